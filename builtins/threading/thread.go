package threading

import (
	"fmt"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// Thread is threading.Thread. Before start() it holds the configuration;
// start() creates the scheduler thread t.
type Thread struct {
	m       *threadingModule
	target  starlark.Value
	runFn   starlark.Value // run=fn: the stand-in for overriding run()
	args    starlark.Tuple
	kwargs  []starlark.Tuple
	name    string
	daemon  bool
	started bool
	t       *interp.Thread
	// self is the Starlark value that stands for the thread when it is not
	// this Thread itself: the Timer that embeds it. current_thread(),
	// enumerate() and run= then see the Timer, as in CPython.
	self starlark.Value
}

// value is the Starlark object of the thread: the Timer for a timer's.
func (t *Thread) value() starlark.Value {
	if t.self != nil {
		return t.self
	}
	return t
}

// newThread is Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None, run=None).
func (m *threadingModule) newThread(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var group, target, name, targs, tkwargs, daemon, run starlark.Value = starlark.None, starlark.None, starlark.None, starlark.Tuple{}, starlark.None, starlark.None, starlark.None
	if err := starlark.UnpackArgs("Thread", args, kwargs, "group?", &group, "target?", &target, "name?", &name, "args?", &targs, "kwargs?", &tkwargs, "daemon?", &daemon, "run?", &run); err != nil {
		return nil, err
	}
	if group != starlark.None {
		return nil, interp.Errorf(interp.ValueError, "group argument must be None for now")
	}
	for _, f := range []struct {
		what string
		v    starlark.Value
	}{{"target", target}, {"run", run}} {
		if _, ok := f.v.(starlark.Callable); f.v != starlark.None && !ok {
			return nil, interp.Errorf(interp.TypeError, "Thread: %s must be callable, not %s", f.what, interp.PyRepr(f.v))
		}
	}
	t := &Thread{m: m, target: target, runFn: run}
	seq, ok := targs.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "Thread: args must be a tuple or list, not %s", interp.PyRepr(targs))
	}
	iter := seq.Iterate()
	var x starlark.Value
	for iter.Next(&x) {
		t.args = append(t.args, x)
	}
	iter.Done()
	if tkwargs != starlark.None {
		d, ok := tkwargs.(*starlark.Dict)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "Thread: kwargs must be a dict, not %s", interp.PyRepr(tkwargs))
		}
		for _, kv := range d.Items() {
			if _, ok := kv[0].(starlark.String); !ok {
				return nil, interp.Errorf(interp.TypeError, "Thread: keywords must be strings")
			}
			t.kwargs = append(t.kwargs, kv)
		}
	}
	// Python numbers the threads it names, as they are made: "Thread-3 (work)".
	if name == starlark.None {
		t.name = fmt.Sprintf("Thread-%d", m.it.Sched().NextThreadNumber())
		if fn, ok := target.(interface{ Name() string }); ok {
			t.name += " (" + fn.Name() + ")"
		}
	} else {
		t.name = interp.PyStr(name)
	}
	if daemon == starlark.None {
		// A new thread inherits the daemon flag of the thread that makes it.
		if cur := interp.Current(th); cur != nil {
			t.daemon = cur.Daemon()
		}
	} else {
		t.daemon = bool(daemon.Truth())
	}
	return t, nil
}

var threadMethods = map[string]*starlark.Builtin{
	"start":     starlark.NewBuiltin("start", threadStart),
	"run":       starlark.NewBuiltin("run", threadRun),
	"join":      starlark.NewBuiltin("join", threadJoin),
	"is_alive":  starlark.NewBuiltin("is_alive", threadIsAlive),
	"isAlive":   starlark.NewBuiltin("isAlive", threadIsAlive),
	"getName":   starlark.NewBuiltin("getName", threadGetName),
	"setName":   starlark.NewBuiltin("setName", threadSetName),
	"isDaemon":  starlark.NewBuiltin("isDaemon", threadIsDaemon),
	"setDaemon": starlark.NewBuiltin("setDaemon", threadSetDaemon),
}

func (t *Thread) String() string {
	state := "initial"
	switch {
	case t.started && t.t.Alive():
		state = "started"
	case t.started:
		state = "stopped"
	}
	if t.daemon && t.started {
		state += " daemon"
	}
	return fmt.Sprintf("<Thread(%s, %s)>", t.Name(), state)
}
func (t *Thread) Type() string          { return "Thread" }
func (t *Thread) Freeze()               {}
func (t *Thread) Truth() starlark.Bool  { return true }
func (t *Thread) Hash() (uint32, error) { return interp.IdentityHash(t), nil }

// Name is the thread's current name.
func (t *Thread) Name() string {
	if t.t != nil {
		return t.t.Name()
	}
	return t.name
}

func (t *Thread) Daemon() bool {
	if t.t != nil {
		return t.t.Daemon()
	}
	return t.daemon
}

func (t *Thread) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(t.Name()), nil
	case "daemon":
		return starlark.Bool(t.Daemon()), nil
	case "ident", "native_id":
		if t.t == nil {
			return starlark.None, nil
		}
		return starlark.MakeInt64(t.t.ID), nil
	}
	if b, ok := threadMethods[name]; ok {
		return b.BindReceiver(t), nil
	}
	return nil, nil
}

func (t *Thread) AttrNames() []string {
	return append(interp.SortedAttrNames(threadMethods), "daemon", "ident", "name", "native_id")
}

// SetField makes t.name = "x" and t.daemon = True work, as in Python.
func (t *Thread) SetField(name string, v starlark.Value) error {
	switch name {
	case "name":
		t.setName(interp.PyStr(v))
		return nil
	case "daemon":
		return t.setDaemon(bool(v.Truth()))
	}
	return interp.Errorf(interp.AttributeError, "'Thread' object has no attribute '%s'", name)
}

func (t *Thread) setName(name string) {
	t.name = name
	if t.t != nil {
		t.t.SetName(name)
	}
}

func (t *Thread) setDaemon(d bool) error {
	if t.started {
		return interp.Errorf(interp.RuntimeError, "cannot set daemon status of active thread")
	}
	t.daemon = d
	return nil
}

func threadStart(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("start", args, kwargs, 0); err != nil {
		return nil, err
	}
	t := b.Receiver().(*Thread)
	if t.started {
		return nil, interp.Errorf(interp.RuntimeError, "threads can only be started once")
	}
	cur, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	t.started = true
	// The new thread may run before Go returns here (it gets the baton
	// first in real time, and maybe in sim mode), so both sides link the
	// object and the scheduler thread: current_thread().ident in the new
	// thread, and enumerate() in this one, see the right object either way.
	t.t = t.m.it.Go(cur, t.name, t.daemon, func(self *interp.Thread) error {
		t.t = self
		self.Obj = t.value()
		_, err := t.callRun(self.S)
		return err
	})
	t.t.Obj = t.value()
	return starlark.None, nil
}

// callRun is Thread.run: the run= function with the thread object, else the target.
func (t *Thread) callRun(th *starlark.Thread) (starlark.Value, error) {
	if t.runFn != starlark.None && t.runFn != nil {
		return starlark.Call(th, t.runFn, starlark.Tuple{t.value()}, nil)
	}
	if t.target != starlark.None && t.target != nil {
		return starlark.Call(th, t.target, t.args, t.kwargs)
	}
	return starlark.None, nil
}

func threadRun(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("run", args, kwargs, 0); err != nil {
		return nil, err
	}
	return b.Receiver().(*Thread).callRun(th)
}

// threadJoin is join(timeout=None): wait for the thread to end, at most
// timeout seconds; it returns None either way, as in Python (ask is_alive()).
func threadJoin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("join", args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	t := b.Receiver().(*Thread)
	d, err := timeoutArg("join", timeout, true)
	if err != nil {
		return nil, err
	}
	if !t.started {
		return nil, interp.Errorf(interp.RuntimeError, "cannot join thread before it is started")
	}
	cur, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	if cur == t.t {
		return nil, interp.Errorf(interp.RuntimeError, "cannot join current thread")
	}
	if err := t.m.it.Sched().Join(cur, t.t, d); err != nil {
		return nil, err
	}
	// Recorded even when t had already ended (no wait): graders prove that
	// the main thread joined every worker, not that it happened to wait.
	t.m.it.Sched().RecordOp(cur, t.t.Name(), trace.Join, boolValue(!t.t.Alive()))
	return starlark.None, nil
}

// timeoutArg reads the timeout of join, acquire and wait, in their words;
// clampNegative makes a negative timeout a poll (join), else a ValueError.
func timeoutArg(fn string, v starlark.Value, clampNegative bool) (time.Duration, error) {
	spec := pyarg.TimeoutSpec{
		TypeMsg: func(v starlark.Value) string {
			return fmt.Sprintf("%s: timeout must be a number, not %s", fn, interp.PyRepr(v))
		},
		TooLargeMsg: "timeout value is too large",
	}
	if !clampNegative {
		spec.NegMsg = "timeout value must be positive"
	}
	return pyarg.Timeout(v, spec)
}

func threadIsAlive(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	t := b.Receiver().(*Thread)
	return starlark.Bool(t.started && t.t.Alive()), nil
}

func threadGetName(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getName", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.String(b.Receiver().(*Thread).Name()), nil
}

func threadSetName(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name starlark.Value
	if err := starlark.UnpackPositionalArgs("setName", args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	b.Receiver().(*Thread).setName(interp.PyStr(name))
	return starlark.None, nil
}

func threadIsDaemon(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("isDaemon", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Thread).Daemon()), nil
}

func threadSetDaemon(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d bool
	if err := starlark.UnpackPositionalArgs("setDaemon", args, kwargs, 1, &d); err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Thread).setDaemon(d)
}
