package fileobj

import (
	"bufio"
	"io"
	"os"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/netpoll"
	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// OSFile is the backend of a file from open(): an *os.File with a write
// buffer. A regular file is read at once, holding the baton; a pipe or a
// terminal may block, so it is read in an external wait that a Ctrl-C
// interrupts (where the OS file supports deadlines). The file is tracked
// by the run, so that it is flushed and closed when the run ends.
type OSFile struct {
	f       *os.File
	regular bool
	w       *bufio.Writer // nil unless open for writing
	it      *interp.Interp
	untrack func()
}

// NewOSFile wraps f, opened for writing if write; it tracks f in it.
func NewOSFile(it *interp.Interp, f *os.File, regular, write bool) *OSFile {
	o := &OSFile{f: f, regular: regular, it: it}
	if write {
		o.w = bufio.NewWriterSize(f, ioChunk)
	}
	o.untrack = it.Track(func() {
		if o.w != nil {
			o.w.Flush()
		}
		f.Close()
	})
	return o
}

// File returns the *os.File (socket.sendfile reads it directly).
func (o *OSFile) File() *os.File { return o.f }

// Fill reads the file; see OSFile.
func (o *OSFile) Fill(th *starlark.Thread, p []byte) (int, error) {
	if o.regular || th == nil {
		n, err := o.f.Read(p)
		if err == io.EOF {
			return n, nil
		}
		return n, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return 0, err
	}
	var n int
	var rerr error
	err = o.it.Sched().External(t, "file.read", func(cancel <-chan struct{}) error {
		file := o.f
		w := netpoll.WatchCancel(cancel, func() { file.SetReadDeadline(netpoll.ALongTimeAgo) })
		file.SetReadDeadline(time.Time{})
		n, rerr = file.Read(p)
		w.Stop()
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

// Write buffers p.
func (o *OSFile) Write(_ *starlark.Thread, p []byte) error {
	_, err := o.w.Write(p)
	return err
}

// Flush writes the buffer out.
func (o *OSFile) Flush() error {
	if o.w != nil && o.w.Buffered() > 0 {
		return o.w.Flush()
	}
	return nil
}

// Close flushes and closes the file.
func (o *OSFile) Close() error {
	o.untrack()
	var err error
	if o.w != nil {
		err = o.w.Flush()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Fileno is f's descriptor, without File.Fd's side effect of making a
// pollable file blocking.
func (o *OSFile) Fileno() (int, bool) {
	fd := -1
	if rc, err := o.f.SyscallConn(); err == nil {
		rc.Control(func(u uintptr) { fd = int(u) })
	}
	return fd, fd >= 0
}

// Err maps Go's os errors to OSError with its errno.
func (o *OSFile) Err(err error) error { return oserr.FromGo(err, "") }

// Seekable reports whether the file is a regular one.
func (o *OSFile) Seekable() bool { return o.regular }

// Seek moves the OS position.
func (o *OSFile) Seek(offset int64, whence int) (int64, error) { return o.f.Seek(offset, whence) }
