package socket

import (
	"strings"

	"github.com/starlab-dev/starlab/builtins/internal/fileobj"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"
)

// A socket's file object: makefile(), a request handler's rfile and wfile,
// and the file a sendfile() reads from.

// fileBackend moves a socket file's bytes through the socket, with the
// socket's timeout; closing the file leaves the socket open, as in Python.
type fileBackend struct{ s *Socket }

func (b fileBackend) Fill(th *starlark.Thread, p []byte) (int, error) {
	return b.s.RecvInto(th, "socket.recv", p)
}
func (b fileBackend) Write(th *starlark.Thread, p []byte) error {
	return b.s.SendAll(th, "socket.sendall", p, 0)
}
func (b fileBackend) Flush() error        { return nil }
func (b fileBackend) Close() error        { return nil }
func (b fileBackend) Fileno() (int, bool) { return b.s.fd, true }
func (b fileBackend) Err(err error) error { return Err(err) }

// NewFile is socket.makefile(mode): reads and writes go through the
// socket with its timeout; close() leaves the socket open. mode is "r",
// "w", "rw" with an optional "b"; enc is a normalised encoding
// (fileobj.Encoding), encName as the script spelled it.
func NewFile(s *Socket, mode string, enc, encName string) *fileobj.File {
	binary := strings.Contains(mode, "b")
	read, write := strings.Contains(mode, "r"), strings.Contains(mode, "w")
	typeName := "BufferedWriter"
	switch {
	case !binary:
		typeName = "TextIOWrapper"
	case read && write:
		typeName = "BufferedRWPair"
	case read:
		typeName = "BufferedReader"
	}
	f := fileobj.New(fileBackend{s}, fileobj.Options{
		Name: starlark.MakeInt(s.fd), Mode: mode, TypeName: typeName, Binary: binary,
		Read: read, Write: write, Enc: enc, EncName: encName, Translate: !binary, Chunk: 8192,
	})
	return fileobj.Of(f)
}

// sockMakefile is makefile(mode='r', buffering=None, *, encoding=None,
// errors=None, newline=None).
func sockMakefile(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	mode := "r"
	var buffering, encoding, errorsArg, newline starlark.Value = starlark.None, starlark.None, starlark.None, starlark.None
	if err := starlark.UnpackArgs("makefile", args, kwargs, "mode?", &mode, "buffering?", &buffering,
		"encoding?", &encoding, "errors?", &errorsArg, "newline?", &newline); err != nil {
		return nil, err
	}
	for _, c := range mode {
		if !strings.ContainsRune("rwb", c) {
			return nil, interp.Errorf(interp.ValueError, "invalid mode %s (only r, w, b allowed)", interp.PyRepr(starlark.String(mode)))
		}
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	enc, encName := "utf-8", "UTF-8"
	if s, ok := encoding.(starlark.String); ok {
		var known bool
		if enc, known = fileobj.Encoding(string(s)); !known {
			return nil, interp.Errorf(interp.LookupError, "unknown encoding: %s (starlab supports utf-8, ascii and latin-1)", s)
		}
		encName = string(s)
	}
	if !strings.ContainsAny(mode, "rw") {
		mode = "r" + mode
	}
	return NewFile(s, mode, enc, encName), nil
}

// sockSendfile is sendfile(file, offset=0, count=None): the file's bytes
// from offset, by sendfile(2); the file's position ends after them.
func sockSendfile(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fileV starlark.Value
	var offsetV, countV starlark.Value = starlark.MakeInt(0), starlark.None
	if err := starlark.UnpackArgs("sendfile", args, kwargs, "file", &fileV, "offset?", &offsetV, "count?", &countV); err != nil {
		return nil, err
	}
	f := fileobj.Of(fileV)
	var osf *fileobj.OSFile
	if f != nil {
		osf, _ = f.Backend().(*fileobj.OSFile)
	}
	if osf == nil {
		return nil, interp.Errorf(interp.TypeError, "sendfile: file must be a file object from open(..., 'rb'), not %s", interp.PyTypeName(fileV))
	}
	if !f.Binary() {
		return nil, interp.Errorf(interp.ValueError, "file should be opened in binary mode")
	}
	offset, err := pyarg.CInt(offsetV)
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, interp.Errorf(interp.ValueError, "offset must be a non-negative integer (got %d)", offset)
	}
	count := -1
	if countV != starlark.None {
		if count, err = pyarg.CInt(countV); err != nil {
			return nil, err
		}
		if count <= 0 {
			return nil, interp.Errorf(interp.ValueError, "count must be a positive integer (got %d)", count)
		}
	}
	s := b.Receiver().(*Socket)
	if s.typ != unix.SOCK_STREAM {
		return nil, interp.Errorf(interp.ValueError, "only SOCK_STREAM type sockets are supported")
	}
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	if s.timeout == 0 {
		return nil, interp.Errorf(interp.ValueError, "non-blocking sockets are not supported")
	}
	if err := f.CheckReadable(); err != nil {
		return nil, err
	}
	if err := osf.Flush(); err != nil {
		return nil, osf.Err(err)
	}
	infd, _ := osf.Fileno()
	off := int64(offset)
	total := 0
	deadline := s.Deadline()
	for count < 0 || total < count {
		chunk := 1 << 30
		if count >= 0 {
			chunk = count - total
		}
		var n int
		err := s.Wait(th, "socket.sendfile", true, deadline, func(fd int) error {
			var err error
			for {
				n, err = unix.Sendfile(fd, infd, &off, chunk)
				if err != unix.EINTR {
					return err
				}
			}
		})
		if err != nil {
			return nil, Err(err)
		}
		if n == 0 {
			break // end of the file
		}
		total += n
	}
	if total > 0 {
		if _, err := osf.Seek(off, 0); err != nil {
			return nil, osf.Err(err)
		}
		f.ResetBuffer()
	}
	return starlark.MakeInt(total), nil
}
