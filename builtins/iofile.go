package builtins

import (
	"bufio"
	"io"
	"os"
	"strings"
	"time"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// ioFile is a Python file object: what open() returns (an OS file), a
// socket's makefile() and a request handler's rfile/wfile (a socket), and
// DatagramRequestHandler's rfile/wfile (bytes in memory, like io.BytesIO).
// Text mode reads and writes str, binary mode bytes, as in Python 3.
type ioFile struct {
	kind ioKind

	name     starlark.Value // open(): the path as given; makefile(): the fd
	mode     string
	binary   bool
	canRead  bool
	canWrite bool
	encName  string // text mode: the encoding as given, for repr
	enc      string // text mode: "utf-8", "ascii" or "latin-1"
	typeName string // TextIOWrapper, BufferedReader, ...
	closed   bool

	r *ioReader // when readable

	// ioOS
	f       *os.File
	regular bool // reads never block: no external wait
	w       *bufio.Writer
	it      *interp.Interp
	untrack func()

	// ioSock
	sock *Socket

	// ioMem: written bytes (getvalue)
	mem []byte

	bound map[string]*starlark.Builtin
}

type ioKind int

const (
	ioOS ioKind = iota
	ioSock
	ioMem
)

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
	_ starlark.HasAttrs = (*ioFile)(nil)
	_ starlark.Iterable = (*iterFile)(nil)
)

// iterFile is an ioFile that `for line in f` can walk: files and BytesIO.
// Socket files are not iterable: a loop could not give the baton up while
// it waits for the network (use `while True: line = f.readline()`).
type iterFile struct{ *ioFile }

// ioOf returns the ioFile behind a method's receiver.
func ioOf(b *starlark.Builtin) *ioFile {
	switch f := b.Receiver().(type) {
	case *ioFile:
		return f
	case *iterFile:
		return f.ioFile
	}
	return nil
}

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

func (f *ioFile) String() string {
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
func (f *ioFile) Type() string          { return f.typeName }
func (f *ioFile) Freeze()               {}
func (f *ioFile) Truth() starlark.Bool  { return true }
func (f *ioFile) Hash() (uint32, error) { return interp.IdentityHash(f), nil }

func (f *ioFile) AttrNames() []string {
	names := append(interp.SortedAttrNames(ioFileMethods), "closed", "mode", "name")
	if !f.binary {
		names = append(names, "encoding")
	}
	if f.kind == ioMem {
		names = append(names, "getvalue")
	}
	return names
}

func (f *ioFile) Attr(name string) (starlark.Value, error) {
	return f.attr(f, name)
}

func (f *ioFile) attr(recv starlark.Value, name string) (starlark.Value, error) {
	switch name {
	case "closed":
		return starlark.Bool(f.closed), nil
	case "mode":
		if f.kind != ioMem {
			return starlark.String(f.mode), nil
		}
	case "name":
		if f.kind != ioMem {
			return f.name, nil
		}
	case "encoding":
		if !f.binary {
			return starlark.String(f.encName), nil
		}
	case "getvalue":
		if f.kind == ioMem {
			return bindCached(&f.bound, ioMemMethods, name, recv), nil
		}
		return nil, nil
	}
	return bindCached(&f.bound, ioFileMethods, name, recv), nil
}

func (f *iterFile) Attr(name string) (starlark.Value, error) { return f.attr(f, name) }

// Iterate yields the lines, as `for line in f` does in Python. An error
// (a bad encoding) ends the loop: an iterator cannot raise.
func (f *iterFile) Iterate() starlark.Iterator { return &lineIter{f: f.ioFile} }

type lineIter struct{ f *ioFile }

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
func (f *ioFile) check(read, write bool) error {
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
func (f *ioFile) beforeRead() error {
	if f.w != nil && f.w.Buffered() > 0 {
		return oserrFromGo(f.w.Flush(), "")
	}
	return nil
}

// value returns read data as the script sees it: bytes, or str decoded.
func (f *ioFile) readLine(th *starlark.Thread, limit int) (starlark.Value, error) {
	if err := f.beforeRead(); err != nil {
		return nil, err
	}
	if f.binary {
		b, err := f.r.readLineBytes(th, limit)
		if err != nil {
			return nil, f.ioErr(err)
		}
		return starlark.Bytes(unsafe.String(unsafe.SliceData(b), len(b))), nil
	}
	s, err := f.r.readLineText(th, limit, f.enc)
	if err != nil {
		return nil, f.ioErr(err)
	}
	return starlark.String(s), nil
}

func (f *ioFile) read(th *starlark.Thread, n int) (starlark.Value, error) {
	if err := f.beforeRead(); err != nil {
		return nil, err
	}
	if f.binary {
		b, err := f.r.readBytes(th, n)
		if err != nil {
			return nil, f.ioErr(err)
		}
		return starlark.Bytes(unsafe.String(unsafe.SliceData(b), len(b))), nil
	}
	s, err := f.r.readText(th, n, f.enc)
	if err != nil {
		return nil, f.ioErr(err)
	}
	return starlark.String(s), nil
}

// ioErr maps an error of the source: a socket's raw errors, an OS error.
func (f *ioFile) ioErr(err error) error {
	if f.kind == ioSock {
		return sockErr(err)
	}
	return oserrFromGo(err, "")
}

// write writes data (already checked to be of the right type).
func (f *ioFile) write(th *starlark.Thread, p []byte) error {
	switch f.kind {
	case ioOS:
		if f.r != nil && f.r.buffered() > 0 {
			// A write after a read goes where the script has read to.
			if _, err := f.f.Seek(int64(-f.r.buffered()), io.SeekCurrent); err != nil {
				return oserrFromGo(err, "")
			}
		}
		if f.r != nil {
			f.r.reset()
		}
		_, err := f.w.Write(p)
		return oserrFromGo(err, "")
	case ioSock:
		return sockErr(f.sock.sendAll(th, "socket.sendall", p, 0))
	}
	f.mem = append(f.mem, p...)
	return nil
}

// fillOS reads a file for its ioReader. A regular file is read at once; a
// pipe or a terminal may block, so it is read in an external wait that a
// Ctrl-C interrupts (where the OS file supports deadlines).
func (f *ioFile) fillOS(th *starlark.Thread, p []byte) (int, error) {
	if f.regular || th == nil {
		n, err := f.f.Read(p)
		if err == io.EOF {
			return n, nil
		}
		return n, err
	}
	t, err := netThread(th)
	if err != nil {
		return 0, err
	}
	var n int
	var rerr error
	err = f.it.Sched().External(t, "file.read", func(cancel <-chan struct{}) error {
		file := f.f
		w := watchCancel(cancel, func() { file.SetReadDeadline(aLongTimeAgo) })
		file.SetReadDeadline(time.Time{})
		n, rerr = file.Read(p)
		w.stop()
		return nil
	})
	if err != nil {
		return 0, err
	}
	if rerr == io.EOF {
		return n, nil
	}
	return n, rerr
}

// closeFile closes f; for an OS file, pending writes are written first.
func (f *ioFile) closeFile() error {
	if f.closed {
		return nil
	}
	f.closed = true
	if f.kind != ioOS {
		return nil
	}
	f.untrack()
	var err error
	if f.w != nil {
		err = f.w.Flush()
	}
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	return oserrFromGo(err, "")
}

func ioClose(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("close", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, ioOf(b).closeFile()
}

func ioFileno(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("fileno", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	switch f.kind {
	case ioOS:
		return starlark.MakeInt(osFd(f.f)), nil
	case ioSock:
		return starlark.MakeInt(f.sock.fd), nil
	}
	return nil, errUnsupported("fileno")
}

// osFd is f's descriptor, without File.Fd's side effect of making a
// pollable file blocking.
func osFd(f *os.File) int {
	fd := -1
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(u uintptr) { fd = int(u) })
	}
	return fd
}

func ioFlush(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("flush", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	if f.w != nil {
		return starlark.None, oserrFromGo(f.w.Flush(), "")
	}
	return starlark.None, nil
}

// sizeArg reads read(size=-1)'s argument: an int, or None for all.
func sizeArg(v starlark.Value) (int, error) {
	if v == starlark.None {
		return -1, nil
	}
	if i, ok := v.(starlark.Int); ok {
		return indexSize(i) // limits.go: read(1 << 62) is not a TypeError
	}
	n, err := netInt(v)
	if err != nil {
		return 0, interp.Errorf(interp.TypeError, "argument should be integer or None, not '%s'", interp.PyTypeName(v))
	}
	if n < 0 {
		return -1, nil
	}
	return n, nil
}

// readArgs reads the optional size (or hint) of read, readline and
// readlines, and checks that the file is open for reading.
func readArgs(fn string, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (*ioFile, int, error) {
	var size starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(fn, args, kwargs, 0, &size); err != nil {
		return nil, 0, err
	}
	n, err := sizeArg(size)
	if err != nil {
		return nil, 0, err
	}
	f := ioOf(b)
	if err := f.check(true, false); err != nil {
		return nil, 0, err
	}
	if fn == "read" && f.it != nil {
		// CPython allocates read(n)'s buffer first: MemoryError past the
		// budget, though starlab's reader grows it as the data comes.
		if err := f.it.Sched().CheckAlloc(int64(n), 1); err != nil {
			return nil, 0, err
		}
	}
	return f, n, nil
}

func ioRead(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, n, err := readArgs("read", b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return f.read(th, n)
}

func ioReadline(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, n, err := readArgs("readline", b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return f.readLine(th, n)
}

func ioReadlines(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, limit, err := readArgs("readlines", b, args, kwargs)
	if err != nil {
		return nil, err
	}
	var lines []starlark.Value
	total := 0
	for {
		line, err := f.readLine(th, -1)
		if err != nil {
			return nil, err
		}
		n := starlark.Len(line)
		if n == 0 {
			break
		}
		lines = append(lines, line)
		total += n
		if limit > 0 && total >= limit {
			break
		}
	}
	return starlark.NewList(lines), nil
}

func ioReadable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.Bool(f.canRead), nil
}

func ioWritable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.Bool(f.canWrite), nil
}

func ioSeekable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.Bool(f.kind == ioOS && f.regular), nil
}

// dataArg checks write()'s argument against the file's mode and encodes it.
func (f *ioFile) dataArg(v starlark.Value) ([]byte, int, error) {
	if f.binary {
		s, err := netBytes(v)
		if err != nil {
			return nil, 0, err
		}
		return unsafe.Slice(unsafe.StringData(s), len(s)), len(s), nil
	}
	s, ok := v.(starlark.String)
	if !ok {
		return nil, 0, interp.Errorf(interp.TypeError, "write() argument must be str, not %s", interp.PyTypeName(v))
	}
	p, err := ioEncode(string(s), f.enc)
	if err != nil {
		return nil, 0, err
	}
	return p, len([]rune(string(s))), nil
}

func ioWrite(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data starlark.Value
	if err := starlark.UnpackPositionalArgs("write", args, kwargs, 1, &data); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, true); err != nil {
		return nil, err
	}
	p, n, err := f.dataArg(data)
	if err != nil {
		return nil, err
	}
	if err := f.write(th, p); err != nil {
		return nil, err
	}
	return starlark.MakeInt(n), nil
}

func ioWritelines(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lines starlark.Iterable
	if err := starlark.UnpackPositionalArgs("writelines", args, kwargs, 1, &lines); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, true); err != nil {
		return nil, err
	}
	iter := lines.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		p, _, err := f.dataArg(x)
		if err != nil {
			return nil, err
		}
		if err := f.write(th, p); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

func ioGetvalue(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getvalue", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.Bytes(f.mem), nil
}

// position is where the script is in an OS file: the OS offset, less what
// is read ahead, plus what is still to be written.
func (f *ioFile) position() (int64, error) {
	if f.w != nil {
		if err := f.w.Flush(); err != nil {
			return 0, oserrFromGo(err, "")
		}
	}
	pos, err := f.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, oserrFromGo(err, "")
	}
	if f.r != nil {
		pos -= int64(f.r.buffered())
	}
	return pos, nil
}

func ioTell(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("tell", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	if f.kind != ioOS || !f.regular {
		return nil, errUnsupported("underlying stream is not seekable")
	}
	pos, err := f.position()
	if err != nil {
		return nil, err
	}
	return starlark.MakeInt64(pos), nil
}

func ioSeek(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var offsetV starlark.Value
	var whence int
	if err := starlark.UnpackPositionalArgs("seek", args, kwargs, 1, &offsetV, &whence); err != nil {
		return nil, err
	}
	offsetI, ok := offsetV.(starlark.Int)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(offsetV))
	}
	offset, ok := offsetI.Int64()
	if !ok {
		return nil, interp.Errorf(interp.OverflowError, "Python int too large to convert to C long")
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	if f.kind != ioOS || !f.regular {
		return nil, errUnsupported("underlying stream is not seekable")
	}
	if whence < 0 || whence > 2 {
		return nil, interp.Errorf(interp.ValueError, "invalid whence (%d, should be 0, 1 or 2)", whence)
	}
	if !f.binary && offset != 0 && whence != 0 {
		what := "cur"
		if whence == 2 {
			what = "end"
		}
		return nil, errUnsupported("can't do nonzero " + what + "-relative seeks")
	}
	if whence == 0 && offset < 0 {
		word := "negative"
		if !f.binary {
			word = "Negative"
		}
		return nil, interp.Errorf(interp.ValueError, "%s seek position %d", word, offset)
	}
	if whence == 1 {
		pos, err := f.position()
		if err != nil {
			return nil, err
		}
		offset, whence = pos+offset, 0
	} else if f.w != nil {
		if err := f.w.Flush(); err != nil {
			return nil, oserrFromGo(err, "")
		}
	}
	pos, err := f.f.Seek(offset, whence)
	if err != nil {
		return nil, oserrFromGo(err, "")
	}
	if f.r != nil {
		f.r.reset()
	}
	return starlark.MakeInt64(pos), nil
}

// newMemReader is a BytesIO holding data, to read (a datagram handler's rfile).
func newMemReader(data string) *iterFile {
	f := &ioFile{kind: ioMem, binary: true, canRead: true, typeName: "BytesIO", name: starlark.None}
	f.r = &ioReader{buf: []byte(data), eof: true, chunk: ioChunk,
		fill: func(*starlark.Thread, []byte) (int, error) { return 0, nil }}
	return &iterFile{f}
}

// newMemWriter is an empty BytesIO to write to (a datagram handler's wfile).
func newMemWriter() *iterFile {
	return &iterFile{&ioFile{kind: ioMem, binary: true, canWrite: true, typeName: "BytesIO", name: starlark.None}}
}

// newSockFile is socket.makefile(mode): reads and writes go through the
// socket with its timeout; close() leaves the socket open.
func newSockFile(s *Socket, mode string, enc, encName string) *ioFile {
	f := &ioFile{kind: ioSock, sock: s, name: starlark.MakeInt(s.fd), mode: mode,
		binary: strings.Contains(mode, "b"), enc: enc, encName: encName}
	f.canRead = strings.Contains(mode, "r")
	f.canWrite = strings.Contains(mode, "w")
	switch {
	case !f.binary:
		f.typeName = "TextIOWrapper"
	case f.canRead && f.canWrite:
		f.typeName = "BufferedRWPair"
	case f.canRead:
		f.typeName = "BufferedReader"
	default:
		f.typeName = "BufferedWriter"
	}
	if f.canRead {
		f.r = &ioReader{chunk: 8192, translate: !f.binary,
			fill: func(th *starlark.Thread, p []byte) (int, error) { return s.recvInto(th, "socket.recv", p) }}
	}
	return f
}
