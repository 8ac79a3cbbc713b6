package builtins

import (
	"fmt"
	"math"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
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

// RLock is threading.RLock, a reentrant lock: its owner may acquire it again,
// and must release it as many times as it acquired it before another thread
// can have it. Only the owner may release it.
type RLock struct {
	sched *interp.Scheduler
	name  string // "RLock-1", in events
	// owner is the owning thread's interpreter state (nil when unlocked):
	// comparing it with the caller's *starlark.Thread needs no lookup.
	owner   *starlark.Thread
	count   int // recursion level; 0 when unlocked
	waiters interp.WaitQueue
	// acquire and release bound once, as Lock's are.
	acquireM, releaseM *starlark.Builtin
	bound              map[string]*starlark.Builtin
}

func (m *threadingModule) newRLock(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("RLock", args, kwargs, 0); err != nil {
		return nil, err
	}
	return newRLock(m.it.Sched()), nil
}

func newRLock(s *interp.Scheduler) *RLock {
	return &RLock{sched: s, name: s.ObjectName("RLock")}
}

// record reports an operation by t, with the recursion count after it.
// Call it after an acquire and before a release wakes a waiter.
func (r *RLock) record(th *starlark.Thread, op string) {
	if r.sched.HasHook() {
		r.sched.RecordOp(interp.Current(th), r.name, op, r.count)
	}
}

var rlockMethods = map[string]*starlark.Builtin{
	"acquire":          starlark.NewBuiltin("acquire", rlockAcquire),
	"release":          starlark.NewBuiltin("release", rlockRelease),
	"_is_owned":        starlark.NewBuiltin("_is_owned", rlockIsOwned),
	"_recursion_count": starlark.NewBuiltin("_recursion_count", rlockRecursionCount),
}

// String is CPython's repr without the address:
// <locked _thread.RLock object owner=1 count=2>.
func (r *RLock) String() string {
	if r.owner == nil {
		return "<unlocked _thread.RLock object owner=0 count=0>"
	}
	var id int64
	if t := interp.Current(r.owner); t != nil {
		id = t.ID
	}
	return fmt.Sprintf("<locked _thread.RLock object owner=%d count=%d>", id, r.count)
}
func (r *RLock) Type() string          { return "RLock" }
func (r *RLock) Freeze()               {}
func (r *RLock) Truth() starlark.Bool  { return true }
func (r *RLock) Hash() (uint32, error) { return interp.IdentityHash(r), nil }
func (r *RLock) AttrNames() []string   { return interp.SortedAttrNames(rlockMethods) }
func (r *RLock) Attr(name string) (starlark.Value, error) {
	switch name {
	case "acquire":
		if r.acquireM == nil {
			r.acquireM = rlockMethods[name].BindReceiver(r)
		}
		return r.acquireM, nil
	case "release":
		if r.releaseM == nil {
			r.releaseM = rlockMethods[name].BindReceiver(r)
		}
		return r.releaseM, nil
	}
	return bindCached(&r.bound, rlockMethods, name, r), nil
}

// reason names the owner, so that a deadlock report says who holds what.
func (r *RLock) reason() string {
	if t := interp.Current(r.owner); r.owner != nil && t != nil {
		return "RLock.acquire (held by " + t.Name() + ")"
	}
	return "RLock.acquire"
}

func rlockAcquire(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	r := b.Receiver().(*RLock)
	if len(args) == 0 && len(kwargs) == 0 && (r.owner == nil || r.owner == th) {
		// The fast path: an uncontended or recursive acquire.
		r.owner = th
		r.count++
		r.record(th, "acquire")
		return starlark.True, nil
	}
	wait, err := acquireArgs(b.Name(), args, kwargs)
	if err != nil {
		return nil, err
	}
	if r.owner == th {
		r.count++
		r.record(th, "acquire")
		return starlark.True, nil
	}
	t, err := currentThread(th)
	if err != nil {
		return nil, err
	}
	ok, err := waitUntil(r.sched, t, &r.waiters, wait, r.reason, func() bool { return r.owner == nil })
	if err != nil || !ok {
		return starlark.False, err
	}
	r.owner, r.count = th, 1
	r.record(th, "acquire")
	return starlark.True, nil
}

func rlockRelease(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args)+len(kwargs) > 0 {
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
			return nil, err
		}
	}
	r := b.Receiver().(*RLock)
	if r.owner != th {
		// Unlike Lock, an RLock belongs to the thread that acquired it.
		return nil, interp.Errorf(interp.RuntimeError, "cannot release un-acquired lock")
	}
	r.count--
	if r.count == 0 {
		r.owner = nil
	}
	r.record(th, "release") // before the waiter wakes
	if r.count == 0 {
		r.sched.WakeOne(&r.waiters)
	}
	return starlark.None, nil
}

func rlockIsOwned(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*RLock).owner == th), nil
}

// rlockRecursionCount is CPython's _recursion_count(): how many times the
// calling thread holds the lock (0 if another thread holds it).
func rlockRecursionCount(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	r := b.Receiver().(*RLock)
	if r.owner != th {
		return starlark.MakeInt(0), nil
	}
	return starlark.MakeInt(r.count), nil
}

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
	l.record(t.S, "release") // before the waiter wakes
	l.sched.WakeOne(&l.waiters)
	return 0
}

func (l *Lock) acquireRestore(t *interp.Thread, _ int) error {
	_, err := waitUntil(l.sched, t, &l.waiters, -1, l.reason, func() bool { return !l.locked })
	if err != nil {
		return err
	}
	l.locked = true
	l.owner = t.S
	l.record(t.S, "acquire")
	return nil
}

func (r *RLock) isOwned(t *interp.Thread) bool { return r.owner == t.S }

// releaseSave releases every level at once; it reports one release per
// level, so that acquires minus releases stays the recursion count.
func (r *RLock) releaseSave(t *interp.Thread) int {
	saved := r.count
	r.owner, r.count = nil, 0
	if r.sched.HasHook() {
		for v := saved - 1; v >= 0; v-- {
			r.sched.RecordOp(t, r.name, "release", v)
		}
	}
	r.sched.WakeOne(&r.waiters)
	return saved
}

// acquireRestore takes the lock back at the level saved, reporting one
// acquire per level.
func (r *RLock) acquireRestore(t *interp.Thread, saved int) error {
	if _, err := waitUntil(r.sched, t, &r.waiters, -1, r.reason, func() bool { return r.owner == nil }); err != nil {
		return err
	}
	r.owner, r.count = t.S, saved
	if r.sched.HasHook() {
		for v := 1; v <= saved; v++ {
			r.sched.RecordOp(t, r.name, "acquire", v)
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
	return bindCached(&c.bound, conditionMethods, name, c), nil
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
	if err == nil && c.sched.HasHook() {
		// Reported as wait returns, after the lock's acquire.
		c.sched.RecordOp(t, c.name, "wait", boolValue(woken))
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
	t, err := currentThread(th)
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
	t, err := currentThread(th)
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
	t, err := currentThread(th)
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
	if c.sched.HasHook() {
		// notify_all too: CPython's is notify(len(waiters)).
		c.sched.RecordOp(t, c.name, "notify", woken)
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

// Semaphore is threading.Semaphore, and BoundedSemaphore when bounded: a
// counter that acquire() decrements, waiting while it is 0, and release(n)
// increments, waking up to n waiters in the order they came.
type Semaphore struct {
	sched   *interp.Scheduler
	name    string // "Semaphore-1" or "BoundedSemaphore-1", in events
	value   int
	initial int  // the bound of a BoundedSemaphore
	bounded bool // BoundedSemaphore: release() beyond initial is an error
	waiters interp.WaitQueue
	bound   map[string]*starlark.Builtin
}

func (m *threadingModule) newSemaphore(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	value := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "value?", &value); err != nil {
		return nil, err
	}
	if value < 0 {
		return nil, interp.Errorf(interp.ValueError, "semaphore initial value must be >= 0")
	}
	s := m.it.Sched()
	return &Semaphore{sched: s, name: s.ObjectName(b.Name()), value: value, initial: value, bounded: b.Name() == "BoundedSemaphore"}, nil
}

var semaphoreMethods = map[string]*starlark.Builtin{
	"acquire": starlark.NewBuiltin("acquire", semaphoreAcquire),
	"release": starlark.NewBuiltin("release", semaphoreRelease),
}

// String is CPython's repr without the address:
// <threading.BoundedSemaphore: value=1/2>.
func (s *Semaphore) String() string {
	if s.bounded {
		return fmt.Sprintf("<threading.BoundedSemaphore: value=%d/%d>", s.value, s.initial)
	}
	return fmt.Sprintf("<threading.Semaphore: value=%d>", s.value)
}

func (s *Semaphore) Type() string {
	if s.bounded {
		return "BoundedSemaphore"
	}
	return "Semaphore"
}
func (s *Semaphore) Freeze()               {}
func (s *Semaphore) Truth() starlark.Bool  { return true }
func (s *Semaphore) Hash() (uint32, error) { return interp.IdentityHash(s), nil }
func (s *Semaphore) AttrNames() []string {
	return append(interp.SortedAttrNames(semaphoreMethods), "_value")
}

// Attr has _value too: CPython's private counter, which the course's
// examples print to show what a semaphore does.
func (s *Semaphore) Attr(name string) (starlark.Value, error) {
	if name == "_value" {
		return starlark.MakeInt(s.value), nil
	}
	return bindCached(&s.bound, semaphoreMethods, name, s), nil
}

// semaphoreAcquire is acquire(blocking=True, timeout=None). Its arguments
// differ from Lock.acquire's, as in CPython: the timeout defaults to None,
// and a negative one does not block rather than being an error.
func semaphoreAcquire(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s := b.Receiver().(*Semaphore)
	if len(args) == 0 && len(kwargs) == 0 && s.value > 0 {
		s.value--
		s.record(th, "acquire")
		return starlark.True, nil
	}
	blocking := true
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "blocking?", &blocking, "timeout?", &timeout); err != nil {
		return nil, err
	}
	if !blocking && timeout != starlark.None {
		return nil, interp.Errorf(interp.ValueError, "can't specify timeout for non-blocking acquire")
	}
	wait, err := timeoutArg(b.Name(), timeout, true)
	if err != nil {
		return nil, err
	}
	if !blocking {
		wait = 0
	}
	t, err := currentThread(th)
	if err != nil {
		return nil, err
	}
	ok, err := waitUntil(s.sched, t, &s.waiters, wait, func() string { return s.Type() + ".acquire" },
		func() bool { return s.value > 0 })
	if err != nil || !ok {
		return starlark.False, err
	}
	s.value--
	s.record(th, "acquire")
	return starlark.True, nil
}

// record reports an operation by th's thread, with the counter after it.
func (s *Semaphore) record(th *starlark.Thread, op string) {
	if s.sched.HasHook() {
		s.sched.RecordOp(interp.Current(th), s.name, op, s.value)
	}
}

func semaphoreRelease(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "n?", &n); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, interp.Errorf(interp.ValueError, "n must be one or more")
	}
	s := b.Receiver().(*Semaphore)
	if s.bounded && n > s.initial-s.value {
		return nil, interp.Errorf(interp.ValueError, "Semaphore released too many times")
	}
	if n > math.MaxInt-s.value {
		return nil, interp.Errorf(interp.OverflowError, "semaphore value too large")
	}
	if s.sched.HasHook() {
		// One release per unit, before any waiter wakes, so that acquires
		// minus releases is the number of holders.
		for i := 0; i < n; i++ {
			s.value++
			s.record(th, "release")
		}
	} else {
		s.value += n
	}
	for i := 0; i < n && s.sched.WakeOne(&s.waiters); i++ {
	}
	return starlark.None, nil
}

// ---------------------------------------------------------------------------
// Event

// Event is threading.Event: a flag that set() raises, waking every thread in
// wait(), and clear() lowers.
type Event struct {
	sched   *interp.Scheduler
	name    string // "Event-1", in events
	flag    bool
	waiters interp.WaitQueue
	bound   map[string]*starlark.Builtin
}

func (m *threadingModule) newEvent(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("Event", args, kwargs, 0); err != nil {
		return nil, err
	}
	return newEvent(m.it.Sched()), nil
}

func newEvent(s *interp.Scheduler) *Event {
	return &Event{sched: s, name: s.ObjectName("Event")}
}

// record reports an operation by t with value.
func (e *Event) record(t *interp.Thread, op string, value int) {
	if e.sched.HasHook() {
		e.sched.RecordOp(t, e.name, op, value)
	}
}

var eventMethods = map[string]*starlark.Builtin{
	"set":    starlark.NewBuiltin("set", eventSet),
	"clear":  starlark.NewBuiltin("clear", eventClear),
	"is_set": starlark.NewBuiltin("is_set", eventIsSet),
	"isSet":  starlark.NewBuiltin("isSet", eventIsSet),
	"wait":   starlark.NewBuiltin("wait", eventWait),
}

func (e *Event) String() string {
	if e.flag {
		return "<threading.Event: set>"
	}
	return "<threading.Event: unset>"
}
func (e *Event) Type() string          { return "Event" }
func (e *Event) Freeze()               {}
func (e *Event) Truth() starlark.Bool  { return true }
func (e *Event) Hash() (uint32, error) { return interp.IdentityHash(e), nil }
func (e *Event) AttrNames() []string   { return interp.SortedAttrNames(eventMethods) }
func (e *Event) Attr(name string) (starlark.Value, error) {
	return bindCached(&e.bound, eventMethods, name, e), nil
}

// set raises the flag, t being the thread that calls set().
func (e *Event) set(t *interp.Thread) {
	e.flag = true
	e.record(t, "set", 1) // before the waiters wake
	e.sched.WakeAll(&e.waiters)
}

// wait is Event.wait for d (-1: forever). A waiter that set() woke returns
// True even if the flag was cleared again before it ran, as in CPython: the
// traffic light may turn red at once, but the car saw it green.
func (e *Event) wait(t *interp.Thread, d time.Duration) (bool, error) {
	if e.flag {
		e.record(t, "wait", 1)
		return true, nil
	}
	// Only set() wakes this queue, so woken means "was set": no loop.
	woken, err := e.sched.Wait(t, &e.waiters, "Event.wait", d)
	if err == nil {
		e.record(t, "wait", boolValue(woken))
	}
	return woken, err
}

func eventSet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	b.Receiver().(*Event).set(interp.Current(th))
	return starlark.None, nil
}

func eventClear(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	e := b.Receiver().(*Event)
	e.flag = false
	e.record(interp.Current(th), "clear", 0)
	return starlark.None, nil
}

func eventIsSet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Event).flag), nil
}

func eventWait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return timedWait(th, b, args, kwargs, b.Receiver().(*Event).wait)
}

// ---------------------------------------------------------------------------
// Module functions

// getNativeID is threading.get_native_id(): starlab threads are not OS
// threads, so it is the same number as get_ident() and Thread.native_id.
func (m *threadingModule) getNativeID(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return m.getIdent(th, b, args, kwargs)
}
