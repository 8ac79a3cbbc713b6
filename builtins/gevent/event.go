package gevent

import (
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// gevent.event: Event (a flag greenlets wait for) and AsyncResult (a value
// one greenlet hands to others, or an exception). Waiting gives the hub to
// the other greenlets; set() makes every waiter ready.

func (m *module) eventModule() *starlarkstruct.Module {
	return &starlarkstruct.Module{
		Name: "gevent.event",
		Members: starlark.StringDict{
			"Event":       starlark.NewBuiltin("Event", m.newEvent),
			"AsyncResult": starlark.NewBuiltin("AsyncResult", m.newAsyncResult),
		},
	}
}

// Event is gevent.event.Event, and the core of AsyncResult.
type Event struct {
	m       *module
	name    string
	flag    bool
	waiters []*greenlet.G

	async bool // an AsyncResult
	value starlark.Value
	exc   *interp.Exception
}

func (m *module) newEvent(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("Event", args, kwargs, 0); err != nil {
		return nil, err
	}
	return &Event{m: m, name: m.it.Sched().ObjectName("Event"), value: starlark.None}, nil
}

func (m *module) newAsyncResult(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("AsyncResult", args, kwargs, 0); err != nil {
		return nil, err
	}
	return &Event{m: m, name: m.it.Sched().ObjectName("AsyncResult"), async: true, value: starlark.None}, nil
}

var eventMethods = map[string]*starlark.Builtin{
	"set":    starlark.NewBuiltin("set", evSet),
	"clear":  starlark.NewBuiltin("clear", evClear),
	"is_set": starlark.NewBuiltin("is_set", evIsSet),
	"isSet":  starlark.NewBuiltin("isSet", evIsSet),
	"ready":  starlark.NewBuiltin("ready", evIsSet),
	"wait":   starlark.NewBuiltin("wait", evWait),
}

var asyncMethods = map[string]*starlark.Builtin{
	"set":           starlark.NewBuiltin("set", evSet),
	"set_exception": starlark.NewBuiltin("set_exception", evSetException),
	"get":           starlark.NewBuiltin("get", evGet),
	"ready":         starlark.NewBuiltin("ready", evIsSet),
	"successful":    starlark.NewBuiltin("successful", evSuccessful),
	"wait":          starlark.NewBuiltin("wait", evWait),
}

func (e *Event) methods() map[string]*starlark.Builtin {
	if e.async {
		return asyncMethods
	}
	return eventMethods
}

func (e *Event) String() string {
	state := "unset"
	if e.flag {
		state = "set"
	}
	return "<" + e.Type() + " " + state + ", " + itoa(len(e.waiters)) + " waiters>"
}
func (e *Event) Type() string {
	if e.async {
		return "gevent.event.AsyncResult"
	}
	return "gevent.event.Event"
}
func (e *Event) Freeze()               {}
func (e *Event) Truth() starlark.Bool  { return true }
func (e *Event) Hash() (uint32, error) { return interp.IdentityHash(e), nil }

func (e *Event) Attr(name string) (starlark.Value, error) {
	if e.async {
		switch name {
		case "value":
			return e.value, nil
		case "exception":
			if e.exc == nil {
				return starlark.None, nil
			}
			return e.exc, nil
		}
	}
	if b, ok := e.methods()[name]; ok {
		return b.BindReceiver(e), nil
	}
	return nil, nil
}

func (e *Event) AttrNames() []string {
	names := interp.SortedAttrNames(e.methods())
	if e.async {
		names = append(names, "exception", "value")
	}
	return names
}

func (e *Event) record(th *starlark.Thread, op trace.Operation, v int) {
	if s := e.m.it.Sched(); s.Recording() {
		s.RecordOp(interp.Current(th), e.name, op, v)
	}
}

// evSet is Event.set() and AsyncResult.set(value=None).
func evSet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	e := b.Receiver().(*Event)
	if e.async {
		var v starlark.Value = starlark.None
		if err := starlark.UnpackArgs("set", args, kwargs, "value?", &v); err != nil {
			return nil, err
		}
		e.value, e.exc = v, nil
	} else if err := starlark.UnpackPositionalArgs("set", args, kwargs, 0); err != nil {
		return nil, err
	}
	e.set(th)
	return starlark.None, nil
}

func (e *Event) set(th *starlark.Thread) {
	e.flag = true
	e.record(th, trace.Set, 1)
	wakeAll(e.waiters, interp.Current(th))
	e.waiters = nil
}

func evSetException(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs("set_exception", args, kwargs, "exception", &v); err != nil {
		return nil, err
	}
	exc, err := greenlet.MakeException(v, starlark.None, interp.Exception_)
	if err != nil {
		return nil, err
	}
	e := b.Receiver().(*Event)
	e.value, e.exc = starlark.None, exc
	e.set(th)
	return starlark.None, nil
}

func evClear(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("clear", args, kwargs, 0); err != nil {
		return nil, err
	}
	e := b.Receiver().(*Event)
	e.flag = false
	e.record(th, trace.Clear, 0)
	return starlark.None, nil
}

func evIsSet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Event).flag), nil
}

func evSuccessful(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("successful", args, kwargs, 0); err != nil {
		return nil, err
	}
	e := b.Receiver().(*Event)
	return starlark.Bool(e.flag && e.exc == nil), nil
}

// waitFor blocks the calling greenlet until the event is set or timeout passes.
func (e *Event) waitFor(th *starlark.Thread, d time.Duration) error {
	if e.flag {
		return nil
	}
	cur, err := e.m.current(th)
	if err != nil {
		return err
	}
	e.waiters = append(e.waiters, cur)
	_, err = cur.Hub().Block(cur, e.Type()+".wait", d)
	e.waiters = removeG(e.waiters, cur)
	return err
}

// evWait is Event.wait(timeout=None), returning the flag, and
// AsyncResult.wait(timeout=None), returning the value (None if not set).
func evWait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("wait", args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("wait", timeout)
	if err != nil {
		return nil, err
	}
	e := b.Receiver().(*Event)
	if err := e.waitFor(th, d); err != nil {
		return nil, err
	}
	if e.async {
		return e.value, nil
	}
	flag := 0
	if e.flag {
		flag = 1
	}
	e.record(th, trace.WaitOp, flag)
	return starlark.Bool(e.flag), nil
}

// evGet is AsyncResult.get(block=True, timeout=None): the value, the
// exception raised, or gevent.Timeout.
func evGet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	block := true
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("get", args, kwargs, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("get", timeout)
	if err != nil {
		return nil, err
	}
	if !block {
		d = 0
	}
	e := b.Receiver().(*Event)
	if err := e.waitFor(th, d); err != nil {
		return nil, err
	}
	if !e.flag {
		return nil, interp.Raise(interp.NewException(e.m.timeoutClass))
	}
	if e.exc != nil {
		return nil, interp.Raise(e.exc)
	}
	return e.value, nil
}

// eventList reads a list of Events (gevent.wait's objects), if that is what v is.
func eventList(v starlark.Value) ([]*Event, bool) {
	it, ok := v.(starlark.Iterable)
	if !ok {
		return nil, false
	}
	var out []*Event
	iter := it.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		e, ok := x.(*Event)
		if !ok {
			return nil, false
		}
		out = append(out, e)
	}
	return out, len(out) > 0
}

// waitEvents is gevent.wait(events, timeout, count): those set, once count
// (default: all) are.
func (m *module) waitEvents(th *starlark.Thread, evs []*Event, count starlark.Value, d time.Duration) (starlark.Value, error) {
	n := len(evs)
	if count != starlark.None {
		if c, err := starlark.AsInt32(count); err == nil {
			n = min(n, c)
		}
	}
	cur, err := m.current(th)
	if err != nil {
		return nil, err
	}
	deadline := m.deadline(d)
	for {
		var set []starlark.Value
		for _, e := range evs {
			if e.flag {
				set = append(set, e)
			}
		}
		left := m.remaining(deadline)
		if len(set) >= n || left == 0 {
			return starlark.NewList(set), nil
		}
		for _, e := range evs {
			e.waiters = append(e.waiters, cur)
		}
		_, err := cur.Hub().Block(cur, "gevent.wait", left)
		for _, e := range evs {
			e.waiters = removeG(e.waiters, cur)
		}
		if err != nil {
			return nil, err
		}
	}
}

func itoa(n int) string { return starlark.MakeInt(n).String() }
