package netpoll

import (
	"math"
	"time"

	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"
)

// Wait is poll(2) on fds for at most timeout (-1: forever) as an
// external wait; it fills in the Revents and returns how many are ready.
// It tries once without waiting first, keeping the baton if any is.
func Wait(it *interp.Interp, th *starlark.Thread, reason string, fds []unix.PollFd, timeout time.Duration) (int, error) {
	n, err := retry(fds, 0)
	if err != nil || n > 0 || timeout == 0 {
		return n, oserr.FromGo(err, "")
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return 0, err
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	err = it.Sched().External(t, reason, func(cancel <-chan struct{}) error {
		efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
		if err != nil {
			return err
		}
		defer unix.Close(efd)
		all := make([]unix.PollFd, len(fds)+1)
		copy(all, fds)
		all[len(fds)] = unix.PollFd{Fd: int32(efd), Events: unix.POLLIN}
		w := WatchCancel(cancel, func() {
			one := [8]byte{1}
			unix.Write(efd, one[:])
		})
		defer w.StopWait() // before efd is closed: a late kick must not write to a reused fd
		for {
			ms := -1
			if !deadline.IsZero() {
				left := time.Until(deadline)
				if left <= 0 {
					n = 0
					return nil
				}
				ms = int(min((left+time.Millisecond-1)/time.Millisecond, math.MaxInt32))
			}
			ms = closeRecheck(ms)
			n, err = retry(all, ms)
			if err != nil {
				return err
			}
			if w.Cancelled.Load() {
				return nil // External returns the cancellation
			}
			if all[len(fds)].Revents != 0 {
				n--
			}
			if n > 0 {
				copy(fds, all[:len(fds)])
				return nil
			}
		}
	})
	if err != nil {
		return 0, oserr.FromGo(err, "")
	}
	return n, nil
}

func retry(fds []unix.PollFd, ms int) (int, error) {
	for {
		n, err := unix.Poll(fds, ms)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// FD is a value that has an OS descriptor (a socket, a server), for select
// and poll to wait on without knowing its module.
type FD interface {
	FD() int
}

// closeRecheckMs bounds one poll(2) of a select/poll wait. Linux does not
// wake a poll(2) whose descriptor another thread closes (CPython's select
// hangs the same way on Linux, but there recv and accept on the socket fail
// with EBADF, which is what the course's servers rely on), so the wait
// polls again this often: the closed descriptor then reports POLLNVAL, and
// select raises OSError EBADF, as select(2) on a closed descriptor does.
const closeRecheckMs = 100

// closeRecheck is the timeout in ms of one poll(2) of a wait that may last
// ms (-1: forever).
func closeRecheck(ms int) int {
	if ms < 0 || ms > closeRecheckMs {
		return closeRecheckMs
	}
	return ms
}
