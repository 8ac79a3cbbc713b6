package interp

import (
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// threadState is where a Thread is in its life, from the scheduler's view.
type threadState int

const (
	stateRunnable threadState = iota // queued for the baton
	stateRunning                     // holds the baton
	stateParked                      // in a scheduler wait (lock, event, sleep, join...)
	stateExternal                    // in an external wait (stdin, socket, child process)
	stateDone
)

// Thread is one Starlark-level thread: a goroutine with its own
// *starlark.Thread that runs only while it holds the scheduler's baton.
// The main thread, every threading.Thread, a server's handler thread and a
// greenlet are each one.
//
// Fields without a comment are fixed at creation. The others are guarded by
// the scheduler's mutex.
type Thread struct {
	sched  *Scheduler
	ID     int64            // threading.get_ident()
	S      *starlark.Thread // the interpreter state this thread runs Starlark on
	main   bool
	proc   *Proc         // the process it belongs to (proc.go)
	wake   chan struct{} // receives the baton
	doneCh chan struct{} // closed when the thread has ended

	name   string // written by the baton holder under the scheduler's mutex
	daemon bool   // guarded by the baton

	// Obj is the Starlark value that stands for this thread (the
	// threading.Thread object); set by the module that created it.
	Obj starlark.Value

	state threadState

	// The current wait, for wake-ups and for the deadlock report.
	waitQ      *WaitQueue
	waitReason string
	waitPos    syntax.Position
	waitSeq    uint64        // bumped on every wait, so stale timers are ignored
	waitResult error         // why the wait ended: nil (woken), errTimedOut, an interrupt, errKilled
	realTimer  *time.Timer   // real clock: the timer of a wait with a deadline
	extCancel  chan struct{} // external wait: closed to interrupt it
	qprev      *Thread       // neighbours in waitQ
	qnext      *Thread

	interruptPending bool // a KeyboardInterrupt not yet delivered
	killed           bool // being stopped by the scheduler
	sliceStart       time.Time
	chargedSteps     uint64 // sim mode: steps already turned into virtual time
	countedSteps     uint64 // steps already added to the run's total

	joiners WaitQueue // threads in join() on this one

	// handling is the stack of exceptions being handled by try_ clauses in
	// this thread, innermost last: what a bare raise_() re-raises.
	handling []*Exception
}

// PushHandling records that a try_ handler for exc starts running.
func (t *Thread) PushHandling(exc *Exception) { t.handling = append(t.handling, exc) }

// PopHandling records that the innermost handler has returned.
func (t *Thread) PopHandling() { t.handling = t.handling[:len(t.handling)-1] }

// Handling returns the exception being handled, or nil outside any handler.
func (t *Thread) Handling() *Exception {
	if len(t.handling) == 0 {
		return nil
	}
	return t.handling[len(t.handling)-1]
}

// Name returns the thread's name ("MainThread", "Thread-1 (work)").
func (t *Thread) Name() string { return t.name }

// SetName renames the thread. Call it only while holding the baton. The
// scheduler's mutex guards the write: reports and events read the name from
// other goroutines (a timer, the deadlock detector).
func (t *Thread) SetName(name string) {
	t.sched.mu.Lock()
	defer t.sched.mu.Unlock()
	t.name = name
}

// Daemon reports whether the thread is a daemon thread.
func (t *Thread) Daemon() bool { return t.daemon }

// SetDaemon sets the daemon flag. Call it only while holding the baton.
func (t *Thread) SetDaemon(d bool) { t.daemon = d }

// IsMain reports whether this is the main thread.
func (t *Thread) IsMain() bool { return t.main }

// Alive reports whether the thread has not ended yet.
func (t *Thread) Alive() bool {
	select {
	case <-t.doneCh:
		return false
	default:
		return true
	}
}

// Done is closed when the thread has ended.
func (t *Thread) Done() <-chan struct{} { return t.doneCh }

// Sched returns the scheduler the thread belongs to.
func (t *Thread) Sched() *Scheduler { return t.sched }
