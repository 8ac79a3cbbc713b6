package fileobj

import (
	"io"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
)

// File is a Python file object: what open() returns, a socket's
// makefile() and a request handler's rfile/wfile, and BytesIO. Text mode
// reads and writes str, binary mode bytes, as in Python 3. What is common to
// them all (modes, the read buffer, text encoding, closed) is here; where
// the bytes come from and go to is its Backend.
type File struct {
	b Backend

	name     starlark.Value // open(): the path as given; makefile(): the fd
	mode     string
	binary   bool
	canRead  bool
	canWrite bool
	encName  string // text mode: the encoding as given, for repr
	enc      string // text mode: "utf-8", "ascii" or "latin-1"
	typeName string // TextIOWrapper, BufferedReader, ...
	closed   bool

	r *reader // when readable

	bound map[string]*starlark.Builtin
}

// Options describe a new File.
type Options struct {
	Name     starlark.Value // the name attribute (None for BytesIO)
	Mode     string         // the mode attribute
	TypeName string         // TextIOWrapper, BufferedReader, BytesIO, ...
	Binary   bool
	Read     bool
	Write    bool
	Enc      string // text mode: "utf-8", "ascii" or "latin-1" (see Encoding)
	EncName  string // text mode: the encoding as the script spelled it
	// Translate turns "\r\n" and "\r" into "\n" on reading (universal
	// newlines: text mode with newline=None).
	Translate bool
	// Chunk is how much one read from the backend asks for (0: 64 KiB).
	Chunk int
	// Iterable makes `for line in f` work: files and BytesIO. A socket's
	// file is not iterable: the loop could not give the baton up while it
	// waits for the network (use `while True: line = f.readline()`).
	Iterable bool
}

// New makes a file object over b.
func New(b Backend, o Options) starlark.Value {
	f := &File{b: b, name: o.Name, mode: o.Mode, typeName: o.TypeName, binary: o.Binary,
		canRead: o.Read, canWrite: o.Write, enc: o.Enc, encName: o.EncName}
	if f.name == nil {
		f.name = starlark.None
	}
	if f.canRead {
		chunk := o.Chunk
		if chunk == 0 {
			chunk = ioChunk
		}
		f.r = &reader{chunk: chunk, translate: o.Translate, fill: b.Fill}
	}
	if o.Iterable {
		return &iterFile{f}
	}
	return f
}

// Of returns the File behind a file object value, or nil.
func Of(v starlark.Value) *File {
	switch f := v.(type) {
	case *File:
		return f
	case *iterFile:
		return f.File
	}
	return nil
}

// Backend returns where f's bytes come from and go to.
func (f *File) Backend() Backend { return f.b }

// Binary reports whether f reads and writes bytes.
func (f *File) Binary() bool { return f.binary }

// SetTypeName changes the name type() reports (a request handler's wfile
// is a socketserver._SocketWriter).
func (f *File) SetTypeName(name string) { f.typeName = name }

// CheckReadable fails as Python does on a closed file or one not open for
// reading.
func (f *File) CheckReadable() error { return f.check(true, false) }

// Close closes f, flushing what is pending.
func (f *File) Close() error { return f.closeFile() }

// ResetBuffer drops what f has read ahead: after its backend's position
// was moved from outside (socket.sendfile).
func (f *File) ResetBuffer() {
	if f.r != nil {
		f.r.reset()
	}
}

// io.UnsupportedOperation. CPython derives it from OSError and ValueError;
// starlab's classes have one base, so it is an OSError.
var ioUnsupported = interp.NewModuleExceptionClass("io", "UnsupportedOperation", interp.OSError)

func errUnsupported(msg string) error {
	return interp.Raise(interp.NewException(ioUnsupported, starlark.String(msg)))
}

func errClosedFile() error {
	return interp.Errorf(interp.ValueError, "I/O operation on closed file.")
}

var (
	_ starlark.HasAttrs = (*File)(nil)
	_ starlark.Iterable = (*iterFile)(nil)
)

// iterFile is a File that `for line in f` can walk: files and BytesIO.
type iterFile struct{ *File }

// ioOf returns the File behind a method's receiver.
func ioOf(b *starlark.Builtin) *File { return Of(b.Receiver()) }

var ioFileMethods = map[string]*starlark.Builtin{
	"close":      starlark.NewBuiltin("close", ioClose),
	"fileno":     starlark.NewBuiltin("fileno", ioFileno),
	"flush":      starlark.NewBuiltin("flush", ioFlush),
	"read":       starlark.NewBuiltin("read", ioRead),
	"readable":   starlark.NewBuiltin("readable", ioReadable),
	"readline":   starlark.NewBuiltin("readline", ioReadline),
	"readlines":  starlark.NewBuiltin("readlines", ioReadlines),
	"seek":       starlark.NewBuiltin("seek", ioSeek),
	"seekable":   starlark.NewBuiltin("seekable", ioSeekable),
	"tell":       starlark.NewBuiltin("tell", ioTell),
	"writable":   starlark.NewBuiltin("writable", ioWritable),
	"write":      starlark.NewBuiltin("write", ioWrite),
	"writelines": starlark.NewBuiltin("writelines", ioWritelines),
}

var ioMemMethods = map[string]*starlark.Builtin{
	"getvalue": starlark.NewBuiltin("getvalue", ioGetvalue),
}

func (f *File) String() string {
	switch f.typeName {
	case "BytesIO":
		return "<_io.BytesIO object>"
	case "_SocketWriter":
		return "<socketserver._SocketWriter object>"
	case "TextIOWrapper":
		return "<_io.TextIOWrapper name=" + interp.PyRepr(f.name) + " mode=" + interp.PyRepr(starlark.String(f.mode)) +
			" encoding=" + interp.PyRepr(starlark.String(f.encName)) + ">"
	}
	return "<_io." + f.typeName + " name=" + interp.PyRepr(f.name) + ">"
}
func (f *File) Type() string          { return f.typeName }
func (f *File) Freeze()               {}
func (f *File) Truth() starlark.Bool  { return true }
func (f *File) Hash() (uint32, error) { return interp.IdentityHash(f), nil }

func (f *File) AttrNames() []string {
	names := append(interp.SortedAttrNames(ioFileMethods), "closed", "mode", "name")
	if !f.binary {
		names = append(names, "encoding")
	}
	if f.isMem() {
		names = append(names, "getvalue")
	}
	return names
}

func (f *File) Attr(name string) (starlark.Value, error) {
	return f.attr(f, name)
}

func (f *File) attr(recv starlark.Value, name string) (starlark.Value, error) {
	switch name {
	case "closed":
		return starlark.Bool(f.closed), nil
	case "mode":
		if !f.isMem() {
			return starlark.String(f.mode), nil
		}
	case "name":
		if !f.isMem() {
			return f.name, nil
		}
	case "encoding":
		if !f.binary {
			return starlark.String(f.encName), nil
		}
	case "getvalue":
		if f.isMem() {
			return pyobj.BindCached(&f.bound, ioMemMethods, name, recv), nil
		}
		return nil, nil
	}
	return pyobj.BindCached(&f.bound, ioFileMethods, name, recv), nil
}

func (f *iterFile) Attr(name string) (starlark.Value, error) { return f.attr(f, name) }

// Iterate yields the lines, as `for line in f` does in Python. An error
// (a bad encoding) ends the loop: an iterator cannot raise.
func (f *iterFile) Iterate() starlark.Iterator { return &lineIter{f: f.File} }

type lineIter struct{ f *File }

func (it *lineIter) Next(p *starlark.Value) bool {
	if it.f.closed || !it.f.canRead {
		return false
	}
	line, err := it.f.readLine(nil, -1)
	if err != nil || starlark.Len(line) == 0 {
		return false
	}
	*p = line
	return true
}
func (it *lineIter) Done() {}

// check fails on a closed file, or one not open for reading or writing.
func (f *File) check(read, write bool) error {
	if f.closed {
		return errClosedFile()
	}
	if read && !f.canRead {
		return errUnsupported("not readable")
	}
	if write && !f.canWrite {
		return errUnsupported("not writable")
	}
	return nil
}

// beforeRead flushes pending writes of a file open for both.
func (f *File) beforeRead() error {
	return f.b.Err(f.b.Flush())
}

// value returns read data as the script sees it: bytes, or str decoded.
func (f *File) readLine(th *starlark.Thread, limit int) (starlark.Value, error) {
	if err := f.beforeRead(); err != nil {
		return nil, err
	}
	if f.binary {
		b, err := f.r.readLineBytes(th, limit)
		if err != nil {
			return nil, f.ioErr(err)
		}
		return interp.Bytes(unsafe.String(unsafe.SliceData(b), len(b))), nil
	}
	s, err := f.r.readLineText(th, limit, f.enc)
	if err != nil {
		return nil, f.ioErr(err)
	}
	return starlark.String(s), nil
}

func (f *File) read(th *starlark.Thread, n int) (starlark.Value, error) {
	if err := f.beforeRead(); err != nil {
		return nil, err
	}
	if f.binary {
		b, err := f.r.readBytes(th, n)
		if err != nil {
			return nil, f.ioErr(err)
		}
		return interp.Bytes(unsafe.String(unsafe.SliceData(b), len(b))), nil
	}
	s, err := f.r.readText(th, n, f.enc)
	if err != nil {
		return nil, f.ioErr(err)
	}
	return starlark.String(s), nil
}

// ioErr maps an error of the backend to the Python exception.
func (f *File) ioErr(err error) error { return f.b.Err(err) }

// write writes data (already checked to be of the right type). A write
// after a read on a seekable file goes where the script has read to.
func (f *File) write(th *starlark.Thread, p []byte) error {
	if sk, ok := f.b.(Seeker); ok && sk.Seekable() && f.r != nil {
		if f.r.buffered() > 0 {
			if _, err := sk.Seek(int64(-f.r.buffered()), io.SeekCurrent); err != nil {
				return f.b.Err(err)
			}
		}
		f.r.reset()
	}
	return f.b.Err(f.b.Write(th, p))
}

// closeFile closes f; pending writes are written first.
func (f *File) closeFile() error {
	if f.closed {
		return nil
	}
	f.closed = true
	return f.b.Err(f.b.Close())
}

// seeker returns f's backend if it can seek, else nil.
func (f *File) seeker() Seeker {
	if sk, ok := f.b.(Seeker); ok && sk.Seekable() {
		return sk
	}
	return nil
}

// isMem reports whether f is a BytesIO.
func (f *File) isMem() bool {
	_, ok := f.b.(*Mem)
	return ok
}
