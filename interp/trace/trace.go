// Package trace is the vocabulary of what happens in a run: the scheduler
// records every thread's start, end, turn with the baton, wait and wake,
// and the primitives (locks, events, queues, ...) record their operations.
// Graders read these events to check properties ("never two holders",
// "every item got once"), and timelines draw them.
//
// It is a leaf package: it imports nothing of starlab, so the scheduler
// (interp), the modules (builtins/...) and their readers (labs) share one
// typed contract instead of strings.
package trace

import (
	"time"

	"go.starlark.net/syntax"
)

// Kind says what happened in an Event.
type Kind uint8

// The kinds of events.
const (
	Start Kind = iota + 1 // a thread was created
	End                   // a thread ended
	Run                   // a thread got the baton
	Wait                  // a thread blocked (Reason says on what)
	Wake                  // a blocked thread became runnable
	Op                    // an operation on a primitive (Event.Op says which)
	// Yield: the running thread gave the baton to a thread of another
	// simulated process and stays runnable (a preemption, a yield, a
	// start). Recorded in sim mode only then: the next thread's Run is on
	// its own process's clock, so it cannot say when this one stopped.
	Yield
)

var kindNames = [...]string{Start: "start", End: "end", Run: "run", Wait: "wait", Wake: "wake", Op: "op", Yield: "yield"}

// String returns the kind's name: "start", "wait", "op", ...
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind?"
}

// Operation is what a primitive did, named as the Python method that did it.
type Operation uint8

// The operations primitives record. Each is one unit: acquires minus
// releases of an object is how much of it is held.
const (
	Acquire  Operation = iota + 1 // Lock, RLock, Semaphore: value is the recursion count or counter after it
	Release                       // recorded before any waiter wakes
	Set                           // Event.set: value 1
	Clear                         // Event.clear: value 0
	WaitOp                        // Event/Condition/Barrier wait, as it returns: 1 woken (or the barrier index), 0 timed out
	Notify                        // Condition.notify/notify_all: value the number woken
	Abort                         // Barrier.abort
	Reset                         // Barrier.reset
	Put                           // Queue.put: value qsize() after it
	Get                           // Queue.get: value qsize() after it
	TaskDone                      // Queue.task_done: value qsize()
	Join                          // Thread.join (Process.join too) as it returns, Object the joined thread's name: value 1 if it had ended, 0 on timeout
	StartOp                       // Process.start as it returns, Object the process's name ("Process-1"): value 1
	Switch                        // greenlet.switch as it returns, Object the greenlet switched to: value how many values it carried there
)

var opNames = [...]string{
	Acquire: "acquire", Release: "release", Set: "set", Clear: "clear", WaitOp: "wait",
	Notify: "notify", Abort: "abort", Reset: "reset", Put: "put", Get: "get", TaskDone: "task_done",
	Join: "join", StartOp: "start", Switch: "switch",
}

// String returns the Python method's name: "acquire", "put", "task_done", ...
func (o Operation) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return "op?"
}

// Event is one thing that happened in a run.
type Event struct {
	At     time.Duration // on the run's clock (virtual in sim mode), since its start
	Kind   Kind
	Thread int64  // the thread's ident
	Name   string // the thread's name at the time
	// Reason is, for Wait, what the thread waits on ("Lock.acquire",
	// "sleep", "join Thread-2", "recv"); for Wake, "timeout" if the wait
	// timed out.
	Reason string
	Pos    syntax.Position // the line of the script that made the call
	Op     Operation       // for Op events
	Object string          // for Op events: the primitive, e.g. "Lock-1"
	Value  int             // for Op events: a count after the operation, else 0
	// Pid and Process are the simulated process (sim mode) of a thread
	// that is not the run's own: a multiprocessing child's virtual pid
	// and name (1001, "Process-1"), whose clock At is on. Zero and "" for
	// the run's own process, and always in real-time mode, where a child
	// is an OS process that records its own events.
	Pid     int
	Process string
}

// Recorder receives the events of a run. The scheduler calls Record with
// its mutex held: a recorder must be quick and must not call back into the
// run.
type Recorder interface {
	Record(Event)
}

// RecorderFunc lets a plain function be a Recorder.
type RecorderFunc func(Event)

// Record calls f(e).
func (f RecorderFunc) Record(e Event) { f(e) }
