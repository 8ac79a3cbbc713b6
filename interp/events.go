package interp

import (
	"strconv"

	"github.com/starlab-dev/starlab/interp/trace"
)

// Events: the scheduler records what every thread does (start, end, turn
// with the baton, wait, wake) and the primitives record their operations
// through RecordOp, all as trace.Events to the run's Recorder.

// Recording reports whether anyone listens to events: a primitive can skip
// preparing a RecordOp when nobody does.
func (s *Scheduler) Recording() bool { return s.recorder != nil }

// ObjectName names a new primitive for events and reports: "Lock-1",
// "Queue-2", numbered per kind in creation order (so a sim run replays).
func (s *Scheduler) ObjectName(kind string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.objects == nil {
		s.objects = make(map[string]int)
	}
	s.objects[kind]++
	return kind + "-" + strconv.Itoa(s.objects[kind])
}

// RecordOp reports an operation on a primitive (a lock acquired, an item
// put) for traces and for graders, which check properties such as "never
// more than N holders" from these events instead of from the learner's
// prints. value is a count after the operation (queue length, semaphore
// value). It costs a nil check when nobody listens.
//
// The convention the primitives follow (builtins/threading, builtins/queue):
//   - object is named at creation by ObjectName(kind): "Lock-1", "RLock-1",
//     "Semaphore-1", "BoundedSemaphore-1", "Event-1", "Condition-1",
//     "Barrier-1", "Queue-1" (also "LifoQueue-1", ...).
//   - Lock, RLock, Semaphore and BoundedSemaphore record trace.Acquire and
//     trace.Release, value the recursion count (a Lock's is 1 or 0) or the
//     semaphore's counter after the op. Each event is one unit, so acquires
//     minus releases is what is held: release(n) is n releases, and
//     Condition.wait on an RLock held k times records k releases, later k
//     acquires, as the lock's own (Condition.wait on a Lock, one of each). A
//     release is recorded before any waiter is woken, an acquire after
//     ownership is taken: replaying the events in order never shows more
//     holders than there were.
//   - Event: Set (1), Clear (0), and WaitOp as wait returns (1 if the flag
//     was set, 0 on timeout). Condition: WaitOp as it returns, with the lock
//     held again (1 if notified, 0 on timeout), and Notify (notify_all too)
//     with the number woken. Barrier: WaitOp with the index returned, Abort
//     and Reset with 0. Queues: Put, Get and TaskDone with qsize() after.
//   - An operation that fails or is interrupted records nothing.
func (s *Scheduler) RecordOp(t *Thread, object string, op trace.Operation, value int) {
	if s.recorder == nil || t == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := trace.Event{At: s.nowOfLocked(t), Kind: trace.Op, Thread: t.ID, Name: s.qualName(t), Pos: userPos(t.S), Op: op, Object: object, Value: value}
	s.procOf(&e, t)
	s.recorder.Record(e)
}

func (s *Scheduler) emitLocked(kind trace.Kind, t *Thread, reason string) {
	if s.recorder == nil {
		return
	}
	e := trace.Event{At: s.nowOfLocked(t), Kind: kind, Thread: t.ID, Name: s.qualName(t), Reason: reason, Pos: t.waitPos}
	s.procOf(&e, t)
	s.recorder.Record(e)
}

// procOf names, on e, the simulated process of t when it is a child: a
// trace draws it on its own process track, on its own clock.
func (s *Scheduler) procOf(e *trace.Event, t *Thread) {
	if p := t.proc; p != s.rootProc && p != nil {
		e.Pid, e.Process = p.pid, p.name
	}
}
