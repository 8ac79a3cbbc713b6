package threading

import (
	"sort"
	"strings"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// Timer is threading.Timer, a Thread subclass as in CPython: its run()
// waits on the Event finished for interval seconds and then, unless cancel()
// set the event first, calls function(*args, **kwargs). Everything a Thread
// has (start, join, name, daemon, is_alive, ...) comes from the embedded
// Thread, whose run= is the timer's run.
//
// The attributes are read when the timer fires, so t.interval = 2 before
// start() takes effect, as in CPython. The embedded Thread's self is the
// Timer: threading.current_thread() in the timer's thread, and enumerate(),
// return the Timer. finished is an Event of its own, "Event-N" in events,
// as CPython's Timer makes a threading.Event.
type Timer struct {
	*Thread
	interval starlark.Value // seconds
	function starlark.Value
	args     starlark.Value // a list or tuple
	kwargs   *starlark.Dict
	finished *Event
}

var _ starlark.HasSetField = (*Timer)(nil)

// newTimer is Timer(interval, function, args=None, kwargs=None). Unlike
// CPython, it checks the arguments here rather than failing later in the
// timer's thread: the error then points at the line that made the timer.
func (m *threadingModule) newTimer(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var interval, function, targs, tkwargs starlark.Value = nil, nil, starlark.None, starlark.None
	if err := starlark.UnpackArgs("Timer", args, kwargs, "interval", &interval, "function", &function, "args?", &targs, "kwargs?", &tkwargs); err != nil {
		return nil, err
	}
	tm := &Timer{}
	for _, f := range []struct {
		name string
		v    starlark.Value
	}{{"interval", interval}, {"function", function}, {"args", targs}, {"kwargs", tkwargs}} {
		if err := tm.SetField(f.name, f.v); err != nil {
			return nil, err
		}
	}
	// A Thread with no target: its default name is "Thread-N", as CPython's.
	t, err := m.newThread(th, b, nil, nil)
	if err != nil {
		return nil, err
	}
	tm.Thread = t.(*Thread)
	tm.Thread.runFn = starlark.NewBuiltin("run", tm.run)
	tm.Thread.self = tm
	// Made once the arguments are checked, so that a Timer refused makes
	// no Event (and takes no "Event-N").
	tm.finished = newEvent(m.it.Sched())
	return tm, nil
}

var timerMethods = map[string]*starlark.Builtin{
	"cancel": starlark.NewBuiltin("cancel", timerCancel),
}

// timerAttrs are the Timer's own data attributes.
var timerAttrs = []string{"args", "finished", "function", "interval", "kwargs"}

// String is the Thread's repr under the class's name: <Timer(Thread-1, started)>.
func (tm *Timer) String() string {
	return strings.Replace(tm.Thread.String(), "<Thread(", "<Timer(", 1)
}
func (tm *Timer) Type() string          { return "Timer" }
func (tm *Timer) Hash() (uint32, error) { return interp.IdentityHash(tm), nil }

func (tm *Timer) AttrNames() []string {
	names := append(interp.SortedAttrNames(timerMethods), timerAttrs...)
	names = append(names, tm.Thread.AttrNames()...)
	sort.Strings(names)
	return names
}

func (tm *Timer) Attr(name string) (starlark.Value, error) {
	switch name {
	case "interval":
		return tm.interval, nil
	case "function":
		return tm.function, nil
	case "args":
		return tm.args, nil
	case "kwargs":
		return tm.kwargs, nil
	case "finished":
		return tm.finished, nil
	}
	if b, ok := timerMethods[name]; ok {
		return b.BindReceiver(tm), nil
	}
	// Thread's methods bind to the embedded Thread, which is what they need.
	return tm.Thread.Attr(name)
}

// SetField sets the timer's attributes, checked, and a Thread's name and daemon.
func (tm *Timer) SetField(name string, v starlark.Value) error {
	switch name {
	case "interval":
		if v == starlark.None {
			return interp.Errorf(interp.TypeError, "Timer: interval must be a number, not None")
		}
		if _, err := timeoutArg("Timer", v, true); err != nil {
			return err
		}
		tm.interval = v
	case "function":
		if _, ok := v.(starlark.Callable); !ok {
			return interp.Errorf(interp.TypeError, "Timer: function must be callable, not %s", interp.PyRepr(v))
		}
		tm.function = v
	case "args":
		switch v.(type) {
		case starlark.NoneType:
			v = starlark.NewList(nil) // CPython: args if args is not None else []
		case *starlark.List, starlark.Tuple:
		default:
			return interp.Errorf(interp.TypeError, "Timer: args must be a list or tuple, not %s", interp.PyRepr(v))
		}
		tm.args = v
	case "kwargs":
		switch d := v.(type) {
		case starlark.NoneType:
			tm.kwargs = starlark.NewDict(0)
		case *starlark.Dict:
			for _, k := range d.Keys() {
				if _, ok := k.(starlark.String); !ok {
					return interp.Errorf(interp.TypeError, "Timer: keywords must be strings")
				}
			}
			tm.kwargs = d
		default:
			return interp.Errorf(interp.TypeError, "Timer: kwargs must be a dict, not %s", interp.PyRepr(v))
		}
	case "name", "daemon":
		return tm.Thread.SetField(name, v)
	default:
		return interp.Errorf(interp.AttributeError, "'Timer' object has no attribute '%s'", name)
	}
	return nil
}

// run is the timer's Thread.run: wait, then call unless cancelled.
func (tm *Timer) run(th *starlark.Thread, _ *starlark.Builtin, _ starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	d, err := timeoutArg("Timer", tm.interval, true)
	if err != nil {
		return nil, err
	}
	if _, err := tm.finished.wait(t, d); err != nil {
		return nil, err
	}
	if !tm.finished.flag {
		var args starlark.Tuple
		iter := tm.args.(starlark.Iterable).Iterate()
		var x starlark.Value
		for iter.Next(&x) {
			args = append(args, x)
		}
		iter.Done()
		if _, err := starlark.Call(th, tm.function, args, tm.kwargs.Items()); err != nil {
			return nil, err
		}
	}
	tm.finished.set(t)
	return starlark.None, nil
}

// timerCancel is cancel(): stop the timer if it has not fired yet.
func timerCancel(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	b.Receiver().(*Timer).finished.set(interp.Current(th))
	return starlark.None, nil
}
