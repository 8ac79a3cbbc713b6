package gevent

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/interp"
)

// gevent.Timeout is an exception class (so that try_ can catch it) whose
// instances are also timers: Timeout(seconds, exception=None) made, then
// start() raises it (or exception) in the greenlet that started it once
// seconds have passed, at its current or next gevent wait; cancel() stops
// it. interp.NewModuleExceptionClassInit gives each instance the timer's
// methods as attributes.
type timeoutState struct {
	m         *module
	e         *interp.Exception
	d         time.Duration // -1: never (Timeout(None))
	exception starlark.Value
	tm        *timer
	target    *greenlet.G
	fired     error // what the timer delivered, until cancel
}

func (m *module) initTimeout(e *interp.Exception) error {
	_, err := m.setupTimeout(e)
	return err
}

// setupTimeout reads Timeout(seconds=None, exception=None, ref=True) from the
// instance's args and gives it start, cancel, close, seconds and pending.
func (m *module) setupTimeout(e *interp.Exception) (*timeoutState, error) {
	args := e.Args()
	if len(args) > 3 {
		return nil, interp.Errorf(interp.TypeError, "Timeout() takes at most 3 arguments (%d given)", len(args))
	}
	secs, exception := starlark.Value(starlark.None), starlark.Value(starlark.None)
	if len(args) > 0 {
		secs = args[0]
	}
	if len(args) > 1 {
		exception = args[1]
	}
	d, err := seconds("Timeout", secs)
	if err != nil {
		return nil, err
	}
	ts := &timeoutState{m: m, e: e, d: d, exception: exception}
	e.SetAttr("seconds", secs)
	e.SetAttr("exception", exception)
	e.SetAttr("pending", starlark.False)
	e.SetAttr("start", starlark.NewBuiltin("start", ts.startBuiltin))
	e.SetAttr("cancel", starlark.NewBuiltin("cancel", ts.cancelBuiltin))
	e.SetAttr("close", starlark.NewBuiltin("close", ts.cancelBuiltin))
	return ts, nil
}

// raised is the error the timer raises: the Timeout itself, or its exception.
func (ts *timeoutState) raised() error {
	if ts.exception == starlark.None {
		return interp.Raise(ts.e)
	}
	exc, err := greenlet.MakeException(ts.exception, starlark.None, ts.m.timeoutClass)
	if err != nil {
		return err
	}
	return interp.Raise(exc)
}

func (ts *timeoutState) startBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("start", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, ts.start(th)
}

func (ts *timeoutState) start(th *starlark.Thread) error {
	ts.cancel()
	if ts.d < 0 {
		return nil
	}
	cur, err := ts.m.current(th)
	if err != nil {
		return err
	}
	ts.target = cur
	ts.e.SetAttr("pending", starlark.True)
	ts.tm = ts.m.after(cur.Thread(), "gevent.Timeout", ts.d, func(by *interp.Thread) {
		ts.e.SetAttr("pending", starlark.False)
		ts.fired = ts.raised()
		ts.target.Hub().Interrupt(ts.target, ts.fired, by)
	})
	return nil
}

func (ts *timeoutState) cancelBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	ts.cancel()
	return starlark.None, nil
}

func (ts *timeoutState) cancel() {
	if ts.tm != nil {
		ts.tm.cancel(ts.m.it.Sched())
		ts.tm = nil
	}
	if ts.fired != nil && ts.target != nil {
		ts.target.ClearPending(ts.fired)
	}
	ts.fired = nil
	ts.e.SetAttr("pending", starlark.False)
}

// withTimeout is with_timeout(seconds, function, *args, timeout_value=<raise>, **kwargs).
func (m *module) withTimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) < 2 {
		return nil, interp.Errorf(interp.TypeError, "with_timeout() missing required arguments: 'seconds' and 'function'")
	}
	var timeoutValue starlark.Value
	var rest []starlark.Tuple
	for _, kv := range kwargs {
		if k, _ := starlark.AsString(kv[0]); k == "timeout_value" {
			timeoutValue = kv[1]
			continue
		}
		rest = append(rest, kv)
	}
	e := interp.NewException(m.timeoutClass, args[0])
	ts, err := m.setupTimeout(e)
	if err != nil {
		return nil, err
	}
	if err := ts.start(th); err != nil {
		return nil, err
	}
	v, err := starlark.Call(th, args[1], args[2:], rest)
	ts.cancel()
	if err != nil {
		if exc := interp.ExceptionFromError(err); exc == e && timeoutValue != nil {
			return timeoutValue, nil
		}
		return nil, err
	}
	return v, nil
}
