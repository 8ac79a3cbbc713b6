package builtins

import (
	"math"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// cIntArg reads an int argument that CPython converts to a C int (the k of
// getrandbits, epoll's maxevents): past 32 bits it is CPython's
// OverflowError, before anything is allocated for it.
func cIntArg(v starlark.Int) (int, error) {
	n, ok := v.Int64()
	if !ok || n > math.MaxInt32 || n < math.MinInt32 {
		return 0, interp.Errorf(interp.OverflowError, "Python int too large to convert to C int")
	}
	return int(n), nil
}

// indexSize reads a size argument that CPython converts to a Py_ssize_t
// (read(n)): past 63 bits it is CPython's OverflowError; a negative one is
// -1 (read everything).
func indexSize(v starlark.Int) (int, error) {
	n, ok := v.Int64()
	if !ok {
		return 0, interp.Errorf(interp.OverflowError, "cannot fit 'int' into an index-sized integer")
	}
	if n < 0 {
		return -1, nil
	}
	return int(n), nil
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
