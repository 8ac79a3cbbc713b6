// Package oserr raises OS errors as CPython does: the OSError subclass that
// CPython picks for an errno (Objects/exceptions.c), errno and strerror as
// its first two arguments, and the file name where a file function failed,
// so that str(e) reads "[Errno 2] No such file or directory: 'x.txt'".
package oserr

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// Class is CPython's errno → OSError subclass table.
func Class(e syscall.Errno) *interp.ExceptionClass {
	switch e {
	case syscall.EAGAIN, syscall.EALREADY, syscall.EINPROGRESS: // EWOULDBLOCK == EAGAIN on Linux
		return interp.BlockingIOError
	case syscall.ECHILD:
		return interp.ChildProcessError
	case syscall.EPIPE, syscall.ESHUTDOWN:
		return interp.BrokenPipeError
	case syscall.ECONNABORTED:
		return interp.ConnectionAbortedError
	case syscall.ECONNREFUSED:
		return interp.ConnectionRefusedError
	case syscall.ECONNRESET:
		return interp.ConnectionResetError
	case syscall.EEXIST:
		return interp.FileExistsError
	case syscall.ENOENT:
		return interp.FileNotFoundError
	case syscall.EISDIR:
		return interp.IsADirectoryError
	case syscall.ENOTDIR:
		return interp.NotADirectoryError
	case syscall.EINTR:
		return interp.InterruptedError
	case syscall.EACCES, syscall.EPERM:
		return interp.PermissionError
	case syscall.ESRCH:
		return interp.ProcessLookupError
	case syscall.ETIMEDOUT:
		return interp.TimeoutError
	}
	return interp.OSError
}

// Strerror is C's strerror(e) as glibc spells it: Go's table is glibc's
// with the first letter lowered ("address already in use").
func Strerror(e syscall.Errno) string {
	s := e.Error()
	if strings.HasPrefix(s, "errno ") {
		return "Unknown error " + strconv.Itoa(int(e))
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// New makes the exception CPython raises for errno e, with the
// file name (if any) that str(e) shows after the message.
func New(e syscall.Errno, filename ...string) *interp.Exception {
	exc := interp.NewException(Class(e), starlark.MakeInt(int(e)), starlark.String(Strerror(e)))
	exc.SetAttr("filename", starlark.None)
	exc.SetAttr("filename2", starlark.None)
	if len(filename) > 0 {
		exc.SetAttr("filename", starlark.String(filename[0]))
	}
	if len(filename) > 1 {
		exc.SetAttr("filename2", starlark.String(filename[1]))
	}
	return exc
}

// Raise returns the error that raises errno e.
func Raise(e syscall.Errno, filename ...string) error {
	return interp.Raise(New(e, filename...))
}

// FromGo turns an error of Go's os or syscall packages into the Python
// exception CPython would raise: errno, strerror, and the file name the
// PathError names, unless filename overrides it (Python shows the name as
// the script wrote it). Errors that already are Python exceptions, or the
// scheduler stopping the thread, pass through.
func FromGo(err error, filename string) error {
	if err == nil {
		return nil
	}
	var pyErr *interp.PyError
	if errors.As(err, &pyErr) || interp.IsKilled(err) {
		return err
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case filename != "":
			return Raise(errno, filename)
		case errors.As(err, &pe):
			return Raise(errno, pe.Path)
		case errors.As(err, &le):
			return Raise(errno, le.Old, le.New)
		}
		return Raise(errno)
	}
	if errors.Is(err, os.ErrClosed) {
		return Raise(syscall.EBADF)
	}
	return interp.Errorf(interp.OSError, "%v", err)
}

// SimSockets is what every real network operation raises in sim mode:
// its virtual clock and seeded schedule cannot drive the OS's sockets.
func SimSockets() error {
	return interp.Errorf(interp.RuntimeError, "real sockets can't run in sim mode (--sim); run without --sim")
}
