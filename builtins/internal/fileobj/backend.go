package fileobj

import "go.starlark.net/starlark"

// Backend is where a File's bytes come from and go to: an OS file (OSFile),
// memory (Mem, for BytesIO), a socket (the socket package's own). The File
// keeps the Python side (modes, the read buffer, text encoding, closed);
// a backend only moves bytes.
type Backend interface {
	// Fill reads up to len(p) bytes for the File's read buffer, blocking
	// if it must (giving the baton up: a socket, a pipe); (0, nil) at the
	// end. th is nil when an iterator reads: there is no baton to give up.
	Fill(th *starlark.Thread, p []byte) (int, error)
	// Write writes all of p.
	Write(th *starlark.Thread, p []byte) error
	// Flush writes what the backend buffers.
	Flush() error
	// Close releases what the backend holds (a socket's file leaves the
	// socket open, as in Python).
	Close() error
	// Fileno returns the OS descriptor, if there is one.
	Fileno() (fd int, ok bool)
	// Err turns an error of this backend into the Python exception
	// CPython would raise (an OSError with its errno, socket.timeout).
	// It passes nil and Python exceptions through.
	Err(err error) error
}

// Seeker is a Backend with a position the script can move: tell() and
// seek() work when Seekable() is true (a regular file, not a pipe).
type Seeker interface {
	Backend
	Seekable() bool
	// Seek moves the OS position, after the caller flushed.
	Seek(offset int64, whence int) (int64, error)
}
