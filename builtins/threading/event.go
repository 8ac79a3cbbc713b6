package threading

import (
	"time"

	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
	"go.starlark.net/starlark"
)

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
func (e *Event) record(t *interp.Thread, op trace.Operation, value int) {
	if e.sched.Recording() {
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

func (e *Event) Type() string { return "Event" }

func (e *Event) Freeze() {}

func (e *Event) Truth() starlark.Bool { return true }

func (e *Event) Hash() (uint32, error) { return interp.IdentityHash(e), nil }

func (e *Event) AttrNames() []string { return interp.SortedAttrNames(eventMethods) }

func (e *Event) Attr(name string) (starlark.Value, error) {
	return pyobj.BindCached(&e.bound, eventMethods, name, e), nil
}

// set raises the flag, t being the thread that calls set().
func (e *Event) set(t *interp.Thread) {
	e.flag = true
	e.record(t, trace.Set, 1) // before the waiters wake
	e.sched.WakeAll(&e.waiters)
}

// wait is Event.wait for d (-1: forever). A waiter that set() woke returns
// True even if the flag was cleared again before it ran, as in CPython: the
// traffic light may turn red at once, but the car saw it green.
func (e *Event) wait(t *interp.Thread, d time.Duration) (bool, error) {
	if e.flag {
		e.record(t, trace.WaitOp, 1)
		return true, nil
	}
	// Only set() wakes this queue, so woken means "was set": no loop.
	woken, err := e.sched.Wait(t, &e.waiters, "Event.wait", d)
	if err == nil {
		e.record(t, trace.WaitOp, boolValue(woken))
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
	e.record(interp.Current(th), trace.Clear, 0)
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
