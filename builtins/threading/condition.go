package threading

import (
	"fmt"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// The synchronisation primitives of the threading module: RLock, Semaphore,
// BoundedSemaphore, Event and Condition (Barrier, Timer and local have files
// of their own). Each is a little state and one WaitQueue. All of their Go
// code runs while the calling thread holds the baton, so the state needs no
// mutex: the baton is the lock that CPython's versions take internally. A
// blocking call parks on the scheduler with a reason ("Event.wait") that a
// deadlock report shows, and its timeout runs on the run's clock, virtual in
// sim mode. Each reports its operations to the scheduler's hook under the
// name ObjectName gave it ("RLock-1"), as the comment of
// interp.Scheduler.RecordOp describes, and does nothing for it when no one
// listens.

// ---------------------------------------------------------------------------
// RLock

// ---------------------------------------------------------------------------
// The lock of a Condition

// condLock is what a Condition needs of its lock: CPython's _is_owned,
// _release_save and _acquire_restore. Condition.wait must release the lock
// completely, even an RLock held recursively (a plain release() would leave
// it held and the notifier could never get in), and give it back as it was.
type condLock interface {
	starlark.HasAttrs
	isOwned(t *interp.Thread) bool
	releaseSave(t *interp.Thread) (saved int)
	acquireRestore(t *interp.Thread, saved int) error
}

var (
	_ condLock = (*Lock)(nil)
	_ condLock = (*RLock)(nil)
)

// isOwned, for a plain Lock, is CPython's fallback: a Lock has no owner, so
// "owned" means "locked", whoever locked it.
func (l *Lock) isOwned(*interp.Thread) bool { return l.locked }

func (l *Lock) releaseSave(t *interp.Thread) int {
	l.locked = false
	l.owner = nil
	l.record(t.S, trace.Release) // before the waiter wakes
	l.sched.WakeOne(&l.waiters)
	return 0
}

func (l *Lock) acquireRestore(t *interp.Thread, _ int) error {
	_, err := l.sched.WaitUntil(t, &l.waiters, -1, l.reason, func() bool { return !l.locked })
	if err != nil {
		return err
	}
	l.locked = true
	l.owner = t.S
	l.record(t.S, trace.Acquire)
	return nil
}

func (r *RLock) isOwned(t *interp.Thread) bool { return r.owner == t.S }

// releaseSave releases every level at once; it reports one release per
// level, so that acquires minus releases stays the recursion count.
func (r *RLock) releaseSave(t *interp.Thread) int {
	saved := r.count
	r.owner, r.count = nil, 0
	if r.sched.Recording() {
		for v := saved - 1; v >= 0; v-- {
			r.sched.RecordOp(t, r.name, trace.Release, v)
		}
	}
	r.sched.WakeOne(&r.waiters)
	return saved
}

// acquireRestore takes the lock back at the level saved, reporting one
// acquire per level.
func (r *RLock) acquireRestore(t *interp.Thread, saved int) error {
	if _, err := r.sched.WaitUntil(t, &r.waiters, -1, r.reason, func() bool { return r.owner == nil }); err != nil {
		return err
	}
	r.owner, r.count = t.S, saved
	if r.sched.Recording() {
		for v := 1; v <= saved; v++ {
			r.sched.RecordOp(t, r.name, trace.Acquire, v)
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Condition

// Condition is threading.Condition: a lock (an RLock unless one is given)
// and the threads waiting to be notified, woken in the order they began to
// wait, as CPython's deque of waiters does.
type Condition struct {
	sched   *interp.Scheduler
	name    string // "Condition-1", in events
	lock    condLock
	waiters interp.WaitQueue
	bound   map[string]*starlark.Builtin
}

func (m *threadingModule) newCondition(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lock starlark.Value = starlark.None
	if err := starlark.UnpackArgs("Condition", args, kwargs, "lock?", &lock); err != nil {
		return nil, err
	}
	c := &Condition{sched: m.it.Sched()}
	switch l := lock.(type) {
	case starlark.NoneType:
		c.lock = newRLock(c.sched) // reports as the RLock it is, as in CPython
	case condLock:
		c.lock = l
	default:
		return nil, interp.Errorf(interp.TypeError, "Condition: lock must be a Lock or an RLock, not %s", interp.PyRepr(lock))
	}
	c.name = c.sched.ObjectName("Condition")
	return c, nil
}

var conditionMethods = map[string]*starlark.Builtin{
	"wait":       starlark.NewBuiltin("wait", conditionWait),
	"wait_for":   starlark.NewBuiltin("wait_for", conditionWaitFor),
	"notify":     starlark.NewBuiltin("notify", conditionNotify),
	"notify_all": starlark.NewBuiltin("notify_all", conditionNotifyAll),
	"notifyAll":  starlark.NewBuiltin("notifyAll", conditionNotifyAll),
	"_is_owned":  starlark.NewBuiltin("_is_owned", conditionIsOwned),
}

func (c *Condition) String() string {
	return fmt.Sprintf("<Condition(%s, %d)>", c.lock.String(), c.waiters.Len())
}
func (c *Condition) Type() string          { return "Condition" }
func (c *Condition) Freeze()               {}
func (c *Condition) Truth() starlark.Bool  { return true }
func (c *Condition) Hash() (uint32, error) { return interp.IdentityHash(c), nil }
func (c *Condition) AttrNames() []string {
	return append(interp.SortedAttrNames(conditionMethods), "acquire", "release")
}

// Attr exports the lock's own acquire and release, as CPython's Condition
// does (cond.acquire is lock.acquire).
func (c *Condition) Attr(name string) (starlark.Value, error) {
	if name == "acquire" || name == "release" {
		return c.lock.Attr(name)
	}
	return pyobj.BindCached(&c.bound, conditionMethods, name, c), nil
}

// wait is Condition.wait for d (-1: forever, 0: do not block): give the lock
// up completely, park until notified, take the lock back as it was. It
// reports whether a notify woke it, as CPython does (not whether whatever the
// caller waits for holds: use wait_for for that).
func (c *Condition) wait(t *interp.Thread, d time.Duration) (bool, error) {
	if !c.lock.isOwned(t) {
		return false, interp.Errorf(interp.RuntimeError, "cannot wait on un-acquired lock")
	}
	saved := c.lock.releaseSave(t)
	woken, err := c.sched.Wait(t, &c.waiters, "Condition.wait", d)
	// The lock comes back even after a KeyboardInterrupt, as in CPython's
	// finally clause, so that a handler still holds it.
	if rerr := c.lock.acquireRestore(t, saved); err == nil {
		err = rerr
	}
	if err == nil && c.sched.Recording() {
		// Reported as wait returns, after the lock's acquire.
		c.sched.RecordOp(t, c.name, trace.WaitOp, boolValue(woken))
	}
	return woken, err
}

// boolValue is an event's value for a yes/no outcome: 1 or 0.
func boolValue(b bool) int {
	if b {
		return 1
	}
	return 0
}

func conditionWait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return timedWait(th, b, args, kwargs, b.Receiver().(*Condition).wait)
}

// timedWait is a wait(timeout=None) method returning a bool: it reads the
// timeout as Python does and calls wait for the calling thread.
func timedWait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, wait func(*interp.Thread, time.Duration) (bool, error)) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := timeoutArg(b.Name(), timeout, true)
	if err != nil {
		return nil, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	ok, err := wait(t, d)
	if err != nil {
		return nil, err
	}
	return starlark.Bool(ok), nil
}

// conditionWaitFor is wait_for(predicate, timeout=None): wait until
// predicate() is true or the time is up, and return predicate()'s last value
// (not a bool, as in CPython).
func conditionWaitFor(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var predicate starlark.Callable
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "predicate", &predicate, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := timeoutArg(b.Name(), timeout, true)
	if err != nil {
		return nil, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	c := b.Receiver().(*Condition)
	s := c.sched
	result, err := starlark.Call(th, predicate, nil, nil)
	var deadline time.Duration
	for first := true; err == nil && !result.Truth(); first = false {
		wait := d
		if d >= 0 {
			// CPython's loop: the first wait gets the whole timeout, the
			// next ones what is left of it.
			if first {
				deadline = s.Now() + d
			} else if wait = deadline - s.Now(); wait <= 0 {
				break
			}
		}
		if _, err = c.wait(t, wait); err != nil {
			break
		}
		result, err = starlark.Call(th, predicate, nil, nil)
	}
	if err != nil {
		return nil, err
	}
	return result, nil
}

func conditionNotify(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "n?", &n); err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Condition).notify(th, n)
}

func conditionNotifyAll(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	c := b.Receiver().(*Condition)
	return starlark.None, c.notify(th, c.waiters.Len())
}

// notify wakes the n longest-waiting threads (fewer if fewer wait). They run
// only once they get the lock back, so after the notifier releases it.
func (c *Condition) notify(th *starlark.Thread, n int) error {
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return err
	}
	if !c.lock.isOwned(t) {
		return interp.Errorf(interp.RuntimeError, "cannot notify on un-acquired lock")
	}
	woken := 0
	for ; n > 0 && c.sched.WakeOne(&c.waiters); n-- {
		woken++
	}
	if c.sched.Recording() {
		// notify_all too: CPython's is notify(len(waiters)).
		c.sched.RecordOp(t, c.name, trace.Notify, woken)
	}
	return nil
}

func conditionIsOwned(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Condition).lock.isOwned(interp.Current(th))), nil
}

// ---------------------------------------------------------------------------
// Semaphore and BoundedSemaphore

// ---------------------------------------------------------------------------
// Event

// ---------------------------------------------------------------------------
// Module functions
