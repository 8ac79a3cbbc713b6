package netpoll

import (
	"sync/atomic"
	"time"
)

// Watch turns the cancel channel of an External wait (closed on Ctrl-C
// or when the thread is stopped), and optionally a second channel (a
// server's shutdown), into calls of kick, which must make the blocked
// operation return (a past deadline on a socket, a write to a wake fd).
// kick is called again every 10 ms until the operation has returned:
// another thread's operation may have reset the deadline meanwhile.
type Watch struct {
	done      chan struct{}
	exited    chan struct{}
	Cancelled atomic.Bool // cancel was closed
	Stopped   atomic.Bool // also was closed
}

// WatchCancel watches cancel alone.
func WatchCancel(cancel <-chan struct{}, kick func()) *Watch {
	return WatchOr(cancel, nil, kick)
}

// WatchOr watches cancel and also (nil: none).
func WatchOr(cancel, also <-chan struct{}, kick func()) *Watch {
	w := &Watch{done: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(w.exited)
		select {
		case <-cancel:
			w.Cancelled.Store(true)
		case <-also:
			w.Stopped.Store(true)
		case <-w.done:
			return
		}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		if w.Cancelled.Load() {
			cancel = nil
		}
		for {
			kick()
			select {
			case <-w.done:
				return
			case <-cancel:
				w.Cancelled.Store(true)
				cancel = nil
			case <-tick.C:
			}
		}
	}()
	return w
}

// Stop ends the watch; call it once the operation has returned.
func (w *Watch) Stop() { close(w.done) }

// StopWait ends the watch and waits until kick can no longer run: for a
// kick that writes to a descriptor about to be closed.
func (w *Watch) StopWait() {
	close(w.done)
	<-w.exited
}

// ALongTimeAgo is a deadline in the past: setting it wakes a blocked
// operation at once.
var ALongTimeAgo = time.Unix(1, 0)
