package threading

import (
	"fmt"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

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
	made    syntax.Position // where the script made it, for deadlock reports
	// acquire and release bound once, as Lock's are.
	acquireM, releaseM *starlark.Builtin
	bound              map[string]*starlark.Builtin
}

func (m *threadingModule) newRLock(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("RLock", args, kwargs, 0); err != nil {
		return nil, err
	}
	r := newRLock(m.it.Sched())
	r.made = interp.CallerPos(th)
	return r, nil
}

func newRLock(s *interp.Scheduler) *RLock {
	r := &RLock{sched: s, name: s.ObjectName("RLock")}
	r.waiters.Of = r
	return r
}

// Blocking describes the lock for a deadlock report (interp.Blocker).
func (r *RLock) Blocking() (string, *starlark.Thread, syntax.Position, string) {
	return r.name, r.owner, r.made, ""
}

// record reports an operation by t, with the recursion count after it.
// Call it after an acquire and before a release wakes a waiter.
func (r *RLock) record(th *starlark.Thread, op trace.Operation) {
	if r.sched.Recording() {
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

func (r *RLock) Type() string { return "RLock" }

func (r *RLock) Freeze() {}

func (r *RLock) Truth() starlark.Bool { return true }

func (r *RLock) Hash() (uint32, error) { return interp.IdentityHash(r), nil }

func (r *RLock) AttrNames() []string { return interp.SortedAttrNames(rlockMethods) }

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
	return pyobj.BindCached(&r.bound, rlockMethods, name, r), nil
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
		r.record(th, trace.Acquire)
		return starlark.True, nil
	}
	wait, err := acquireArgs(b.Name(), args, kwargs)
	if err != nil {
		return nil, err
	}
	if r.owner == th {
		r.count++
		r.record(th, trace.Acquire)
		return starlark.True, nil
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	ok, err := r.sched.WaitUntil(t, &r.waiters, wait, r.reason, func() bool { return r.owner == nil })
	if err != nil || !ok {
		return starlark.False, err
	}
	r.owner, r.count = th, 1
	r.record(th, trace.Acquire)
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
	r.record(th, trace.Release) // before the waiter wakes
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
