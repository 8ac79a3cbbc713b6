package socket

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/starlab-dev/starlab/builtins/internal/netpoll"
	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"
)

// Deadline is when a call that starts now times out; zero for none.
func (s *Socket) Deadline() time.Time {
	if s.timeout > 0 {
		return time.Now().Add(s.timeout)
	}
	return time.Time{}
}

// Wait runs op, a non-blocking system call on the socket that returns
// EAGAIN when it would block, with Python's blocking semantics: at once;
// in non-blocking mode, EAGAIN is returned for the caller to raise
// BlockingIOError; otherwise in an external wait until op is done, the
// Deadline (if not zero) passes (ErrTimeout), or the wait is
// cancelled (the scheduler's error: KeyboardInterrupt, or the thread
// being stopped). write says which readiness op waits for.
func (s *Socket) Wait(th *starlark.Thread, reason string, write bool, deadline time.Time, op func(fd int) error) error {
	if s.fd < 0 {
		return unix.EBADF
	}
	// Try at once, keeping the baton, unless the last call in this
	// direction had to wait: then this one very likely waits too (a reply
	// not yet sent), and the try inside the external wait is enough.
	blocked := &s.readBlocked
	if write {
		blocked = &s.writeBlocked
	}
	if !*blocked || s.timeout == 0 {
		err := op(s.fd)
		if err != unix.EAGAIN || s.timeout == 0 {
			*blocked = false
			return err
		}
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return err
	}
	tries := 0
	err = s.m.it.Sched().External(t, reason, func(cancel <-chan struct{}) error {
		var opErr error
		if err := s.PollerWait(cancel, nil, write, deadline, func(fd int) bool {
			tries++
			opErr = op(fd)
			return opErr != unix.EAGAIN
		}); err != nil {
			return err
		}
		return opErr
	})
	*blocked = tries != 1
	return err
}

// watchDelay is how long a wait goes without a cancel watcher: most waits
// on a busy connection are shorter, and a goroutine per wait would cost
// more than the wait. A Ctrl-C is seen at most this late.
const watchDelay = time.Millisecond

// PollerWait parks in Go's poller until ready(fd), called each time the
// socket may be ready, returns true; the deadline passes (ErrTimeout);
// stop is closed (ErrStopped); or cancel is (errSockCancelled). It runs
// in an external wait, without the baton.
func (s *Socket) PollerWait(cancel, stop <-chan struct{}, write bool, deadline time.Time, ready func(fd int) bool) error {
	waitFor := s.rc.Read
	if write {
		waitFor = s.rc.Write
	}
	var w *netpoll.Watch
	defer func() {
		if w != nil {
			w.Stop()
		}
	}()
	for {
		d := deadline
		if w == nil {
			select {
			case <-cancel:
				return errSockCancelled
			case <-stop:
				return ErrStopped
			default:
			}
			if probe := time.Now().Add(watchDelay); d.IsZero() || probe.Before(d) {
				d = probe
			}
		}
		if err := s.setDeadline(write, d); err != nil {
			return errSockClosed
		}
		werr := waitFor(func(fd uintptr) bool { return ready(int(fd)) })
		switch {
		case werr == nil:
			return nil
		case errors.Is(werr, os.ErrDeadlineExceeded):
			if w != nil && w.Cancelled.Load() {
				return errSockCancelled
			}
			if w != nil && w.Stopped.Load() {
				return ErrStopped
			}
			if !deadline.IsZero() && !time.Now().Before(deadline) {
				return ErrTimeout
			}
			if w == nil {
				// A long wait: from now on, a goroutine watches for Ctrl-C.
				w = netpoll.WatchOr(cancel, stop, func() { s.kick(write) })
			}
			// (Or another thread's cancellation kicked this socket: wait on.)
			s.deadlineSide(write).Store(true)
		default:
			return errSockClosed // closed by another thread meanwhile
		}
	}
}

func (s *Socket) deadlineSide(write bool) *atomic.Bool {
	if write {
		return &s.dlWrite
	}
	return &s.dlRead
}

// setDeadline sets the poller's deadline for reads or writes (zero: none),
// without a call when none is set and none is wanted. Safe without the
// baton.
func (s *Socket) setDeadline(write bool, d time.Time) error {
	side := s.deadlineSide(write)
	if d.IsZero() && !side.Swap(false) {
		return nil
	}
	if !d.IsZero() {
		side.Store(true)
	}
	if write {
		return s.file.SetWriteDeadline(d)
	}
	return s.file.SetReadDeadline(d)
}

// kick wakes the threads waiting to read (or write) at once: a deadline in
// the past. Safe without the baton.
func (s *Socket) kick(write bool) {
	s.deadlineSide(write).Store(true)
	if write {
		s.file.SetWriteDeadline(netpoll.ALongTimeAgo)
	} else {
		s.file.SetReadDeadline(netpoll.ALongTimeAgo)
	}
}

// Err raises what wait and the system calls report, as CPython does.
func Err(err error) error {
	switch err {
	case nil:
		return nil
	case ErrTimeout:
		return interp.Raise(interp.NewException(interp.TimeoutError, starlark.String("timed out")))
	case errSockClosed:
		return oserr.Raise(unix.EBADF)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return oserr.Raise(errno)
	}
	return err // a Python exception already, or the thread being stopped
}

// The system calls, retried on EINTR (a signal can interrupt even a
// non-blocking call).

func sysRecv(fd int, p []byte, flags int) (int, unix.Sockaddr, error) {
	for {
		var n int
		var from unix.Sockaddr
		var err error
		if flags == 0 && len(p) > 0 {
			n, err = unix.Read(fd, p)
		} else {
			n, from, err = unix.Recvfrom(fd, p, flags)
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		return n, from, nil
	}
}

var zeroByte byte

func sysSend(fd int, p []byte, flags int) (int, error) {
	ptr := unsafe.Pointer(&zeroByte)
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	for {
		// send(2) with MSG_NOSIGNAL: a closed peer is EPIPE, never SIGPIPE.
		n, _, e := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags|unix.MSG_NOSIGNAL), 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, e
		}
		return int(n), nil
	}
}

func sysAccept(fd int) (int, unix.Sockaddr, error) {
	for {
		nfd, sa, err := unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch err {
		case unix.EINTR:
			continue
		case unix.ECONNABORTED:
			return -1, nil, unix.EAGAIN // the client gave up: wait for the next one
		}
		return nfd, sa, err
	}
}
