package interp

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/starlab-dev/starlab/interp/trace"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// errTimedOut ends a wait whose timeout expired.
var errTimedOut = errors.New("timed out")

// Wait parks t, the baton holder, on q (nil for a plain sleep) until another
// thread wakes it with WakeOne/WakeAll, or timeout passes (timeout < 0: no
// timeout). reason says what it waits for ("Lock.acquire", "Queue.get") and
// appears in deadlock reports and traces. It returns woken=false on timeout,
// and an error when the wait was interrupted: KeyboardInterrupt (in the main
// thread), or the scheduler stopping the thread. A woken thread should check
// its condition again: the scheduler makes no promise that it still holds.
func (s *Scheduler) Wait(t *Thread, q *WaitQueue, reason string, timeout time.Duration) (woken bool, err error) {
	s.mu.Lock()
	if err := s.pendingLocked(t); err != nil {
		s.mu.Unlock()
		return false, err
	}
	if timeout == 0 {
		s.mu.Unlock()
		// A zero timeout polls (acquire(timeout=0), join(0), wait(0)); the
		// poll is a switch point, see PollYield.
		return false, s.PollYield(t)
	}
	t.waitSeq++
	t.state = stateParked
	t.waitReason = reason
	t.waitPos = userPos(t.S)
	t.waitResult = nil
	if q != nil {
		q.push(t)
	}
	if timeout >= 0 {
		s.armTimerLocked(t, timeout)
	}
	s.emitLocked(trace.Wait, t, reason)
	s.dispatchLocked()
	s.mu.Unlock()

	<-t.wake
	switch res := t.waitResult; res {
	case nil:
		return true, nil
	case errTimedOut:
		return false, nil
	default:
		return false, res
	}
}

// Sleep blocks t for d on the run's clock; d <= 0 only yields, as
// time.sleep(0) does in CPython.
func (s *Scheduler) Sleep(t *Thread, d time.Duration) error {
	if handled, err := s.coopSleep(t, d); handled { // a patched gevent hub (hub.go)
		return err
	}
	if d <= 0 {
		return s.Yield(t)
	}
	_, err := s.Wait(t, nil, "sleep", d)
	return err
}

// Join waits until other ends or timeout passes (timeout < 0: forever).
func (s *Scheduler) Join(t, other *Thread, timeout time.Duration) error {
	return s.JoinAs(t, other, "join "+other.name, timeout)
}

// JoinAs is Join with the wait named reason in events and deadlock reports:
// "Process.join" or "Pool.join" for a simulated process's main thread,
// whose own name (MainThread) says nothing, as real mode names the wait.
func (s *Scheduler) JoinAs(t, other *Thread, reason string, timeout time.Duration) error {
	if !other.Alive() {
		return nil
	}
	_, err := s.Wait(t, &other.joiners, reason, timeout)
	return err
}

// WakeOne makes the longest-waiting thread of q runnable and reports whether
// there was one. The caller holds the baton and keeps it.
func (s *Scheduler) WakeOne(q *WaitQueue) bool {
	if q.Len() == 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q.head == nil {
		return false
	}
	s.endWaitLocked(q.head, nil)
	return true
}

// WakeAll makes every thread of q runnable and returns how many there were.
func (s *Scheduler) WakeAll(q *WaitQueue) int {
	if q.Len() == 0 {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for q.head != nil {
		s.endWaitLocked(q.head, nil)
		n++
	}
	return n
}

// endWaitLocked ends t's scheduler wait with result and makes it runnable.
func (s *Scheduler) endWaitLocked(t *Thread, result error) {
	if s.finishWaitLocked(t, result) {
		s.makeRunnableLocked(t)
	}
}

// finishWaitLocked takes t out of its wait with result, without queueing it.
func (s *Scheduler) finishWaitLocked(t *Thread, result error) bool {
	if t.state != stateParked {
		return false
	}
	if t.waitQ != nil {
		t.waitQ.remove(t)
	}
	if t.realTimer != nil {
		if t.realTimer.Stop() {
			s.realTimers--
		}
		t.realTimer = nil
	}
	t.waitResult = result
	if s.sim && result == nil && s.holder != nil && s.holder.proc != t.proc {
		// Woken by another process: it happened at the waker's time.
		syncClockLocked(t, s.holder.proc.clock)
	}
	reason := ""
	if result == errTimedOut {
		reason = "timeout"
	}
	s.emitLocked(trace.Wake, t, reason)
	t.state = stateRunnable
	return true
}

// userPos is the position of the innermost Starlark (not builtin) frame: the
// line of the learner's script that made the blocking call.
func userPos(st *starlark.Thread) syntax.Position {
	for d := 0; d < st.CallStackDepth(); d++ {
		fr := st.CallFrame(d)
		if fr.Pos.Filename() != "<builtin>" {
			return fr.Pos
		}
	}
	return syntax.Position{}
}

// WaitQueue is a FIFO of threads parked on one object: a lock's waiters, an
// event's, a queue's getters. Every primitive is a little state plus one or
// more WaitQueues; the scheduler does the parking, waking, timeouts,
// interrupts and deadlock detection. Its zero value is ready to use.
// Threads are added and removed only by the scheduler, under its mutex (a
// timeout removes a thread from a timer goroutine); Len may be read anywhere.
type WaitQueue struct {
	head, tail *Thread
	n          atomic.Int32
	// Of, if set, is what the queue's threads wait for: a deadlock report
	// names it, its holder and where it was made.
	Of Blocker
}

// A Blocker is the object a WaitQueue belongs to, as a deadlock report
// shows it: its name ("Lock-2"), the thread that holds it (nil when it is
// free or has no owner), the line of the script that made it, and a note
// ("3 tasks not done"). It is called with the scheduler's mutex held, while
// no thread runs: it must only read its fields.
type Blocker interface {
	Blocking() (name string, holder *starlark.Thread, made syntax.Position, note string)
}

// CallerPos is the line of the script that made the current builtin call
// (not a <builtin> frame): where a primitive was made, for reports.
func CallerPos(st *starlark.Thread) syntax.Position { return userPos(st) }

// Len returns the number of parked threads.
func (q *WaitQueue) Len() int { return int(q.n.Load()) }

func (q *WaitQueue) push(t *Thread) {
	t.waitQ = q
	t.qprev, t.qnext = q.tail, nil
	if q.tail != nil {
		q.tail.qnext = t
	} else {
		q.head = t
	}
	q.tail = t
	q.n.Add(1)
}

func (q *WaitQueue) remove(t *Thread) {
	if t.qprev != nil {
		t.qprev.qnext = t.qnext
	} else {
		q.head = t.qnext
	}
	if t.qnext != nil {
		t.qnext.qprev = t.qprev
	} else {
		q.tail = t.qprev
	}
	t.qprev, t.qnext, t.waitQ = nil, nil, nil
	q.n.Add(-1)
}

// WaitUntil is the wait every primitive is built on: it parks t on q until
// ready() holds, for at most timeout on the run's clock (timeout < 0:
// forever; 0: just test ready()). reason names what t waits for in deadlock
// reports and traces; it is a function so that a primitive builds the text
// only when it really waits. ready is tested while t holds the baton, so it
// may read the primitive's state freely; the primitive's waker calls
// WakeOne or WakeAll on q after changing that state.
//
// It returns true when ready() held, false on timeout, and an error when the
// wait was interrupted (KeyboardInterrupt in the main thread, or the run
// stopping the thread). A wake-up that finds ready() false again (another
// thread took the lock first) waits again for the time left.
func (s *Scheduler) WaitUntil(t *Thread, q *WaitQueue, timeout time.Duration, reason func() string, ready func() bool) (bool, error) {
	if ready() {
		return true, nil
	}
	if timeout == 0 {
		return false, s.PollYield(t) // a failed poll lets the others run
	}
	var deadline time.Duration
	if timeout > 0 {
		deadline = s.Now() + timeout
	}
	for !ready() {
		remaining := time.Duration(-1)
		if timeout > 0 {
			remaining = deadline - s.Now()
			if remaining <= 0 {
				return false, nil
			}
		}
		woken, err := s.Wait(t, q, reason(), remaining)
		if err != nil {
			return false, err
		}
		if !woken && !ready() {
			return false, nil
		}
	}
	return true, nil
}
