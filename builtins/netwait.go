package builtins

import (
	"math"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// Helpers shared by socket, select, socketserver and the file objects: how a
// blocking OS operation gives the baton up and stays interruptible, and how
// arguments are read with CPython's messages.

// cancelWatch turns the cancel channel of an External wait (closed on Ctrl-C
// or when the thread is stopped), and optionally a second channel (a
// server's shutdown), into calls of kick, which must make the blocked
// operation return (a past deadline on a socket, a write to a wake fd).
// kick is called again every 10 ms until the operation has returned:
// another thread's operation may have reset the deadline meanwhile.
type cancelWatch struct {
	done      chan struct{}
	exited    chan struct{}
	cancelled atomic.Bool // cancel was closed
	stopped   atomic.Bool // also was closed
}

func watchCancel(cancel <-chan struct{}, kick func()) *cancelWatch {
	return watchCancelOr(cancel, nil, kick)
}

func watchCancelOr(cancel, also <-chan struct{}, kick func()) *cancelWatch {
	w := &cancelWatch{done: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(w.exited)
		select {
		case <-cancel:
			w.cancelled.Store(true)
		case <-also:
			w.stopped.Store(true)
		case <-w.done:
			return
		}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		if w.cancelled.Load() {
			cancel = nil
		}
		for {
			kick()
			select {
			case <-w.done:
				return
			case <-cancel:
				w.cancelled.Store(true)
				cancel = nil
			case <-tick.C:
			}
		}
	}()
	return w
}

// stop ends the watch; call it once the operation has returned.
func (w *cancelWatch) stop() { close(w.done) }

// stopWait ends the watch and waits until kick can no longer run: for a
// kick that writes to a descriptor about to be closed.
func (w *cancelWatch) stopWait() {
	close(w.done)
	<-w.exited
}

// aLongTimeAgo is a deadline in the past: setting it wakes a blocked
// operation at once.
var aLongTimeAgo = time.Unix(1, 0)

// netThread returns the scheduler thread of th, for an External wait.
func netThread(th *starlark.Thread) (*interp.Thread, error) {
	t := interp.Current(th)
	if t == nil {
		return nil, interp.Errorf(interp.RuntimeError, "not called from a starlab thread")
	}
	return t, nil
}

// netInt reads an int argument as CPython does: an int or a bool, else
// "'str' object cannot be interpreted as an integer".
func netInt(v starlark.Value) (int, error) {
	switch v := v.(type) {
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n > math.MaxInt32 || n < math.MinInt32 {
			return 0, interp.Errorf(interp.OverflowError, "Python int too large to convert to C int")
		}
		return int(n), nil
	case starlark.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	}
	return 0, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(v))
}

// netBytes reads a bytes argument: "a bytes-like object is required, not 'str'".
func netBytes(v starlark.Value) (string, error) {
	if b, ok := v.(starlark.Bytes); ok {
		return string(b), nil
	}
	return "", interp.Errorf(interp.TypeError, "a bytes-like object is required, not '%s'", interp.PyTypeName(v))
}

// netSeconds reads a timeout in seconds for select and the servers: None is
// -1 (forever).
func netSeconds(v starlark.Value, typeMsg, negMsg string) (time.Duration, error) {
	if v == starlark.None {
		return -1, nil
	}
	f, ok := starlark.AsFloat(v)
	if !ok {
		return 0, interp.Errorf(interp.TypeError, "%s", typeMsg)
	}
	if math.IsNaN(f) {
		return 0, interp.Errorf(interp.ValueError, "Invalid value NaN (not a number)")
	}
	if f < 0 {
		if negMsg == "" {
			return 0, nil
		}
		return 0, interp.Errorf(interp.ValueError, "%s", negMsg)
	}
	if f > timeoutMax {
		return 0, interp.Errorf(interp.OverflowError, "timeout is too large")
	}
	return secondsToDuration(f), nil
}
