// Package builtins holds starlab's Python modules, one constructor per module
// (threading, time, sys, os, ...), each built for the interpreter it serves:
// a module keeps its state in values made per run, never in package
// variables, so runs in one process (tests, seed sweeps) never share state.
package builtins

import (
	"io"
	"math"
	"os"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// Predeclared returns the globals of every module of a run: the exception
// builtins (try_, raise_, ...), the modules, and help. Pass it as
// interp.Options.Predeclared.
func Predeclared(it *interp.Interp) starlark.StringDict {
	d := exceptionBuiltins(it)
	d["threading"] = newThreadingModule(it)
	d["time"] = newTimeModule(it)
	d["sys"] = newSysModule(it)
	d["os"] = newOSModule(it)
	d["queue"] = newQueueModule(it)
	d["random"] = newRandomModule(it)
	// socket, socketserver, select, open() and os.path: netmodules.go
	addNetAndFiles(it, d)
	addCoroutines(it, d)       // greenlet, gevent, urllib: coro.go
	d["help"] = newHelp(it, d) // last: help finds builtins by looking in d
	return d
}

// simEpoch is time.time() at the start of a sim-mode run: a fixed date, so
// that a run replays byte for byte (2024-01-01T00:00:00Z).
const simEpoch = 1704067200.0

func newTimeModule(it *interp.Interp) *starlarkstruct.Module {
	s := it.Sched()
	start := time.Now()
	seconds := func(d time.Duration) starlark.Value { return starlark.Float(d.Seconds()) }
	noArgs := func(name string, f func() starlark.Value) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
				return nil, err
			}
			return f(), nil
		})
	}
	wall := func() float64 {
		if s.Sim() {
			return simEpoch + s.Now().Seconds()
		}
		return float64(start.Add(s.Now()).UnixNano()) / 1e9
	}
	return &starlarkstruct.Module{
		Name: "time",
		Members: starlark.StringDict{
			"sleep": starlark.NewBuiltin("sleep", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				var secs starlark.Value
				if err := starlark.UnpackPositionalArgs("sleep", args, kwargs, 1, &secs); err != nil {
					return nil, err
				}
				f, ok := starlark.AsFloat(secs)
				if !ok {
					return nil, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", secs.Type())
				}
				if math.IsNaN(f) {
					return nil, interp.Errorf(interp.ValueError, "Invalid value NaN (not a number)")
				}
				if f < 0 {
					return nil, interp.Errorf(interp.ValueError, "sleep length must be non-negative")
				}
				if f > timeoutMax {
					return nil, interp.Errorf(interp.OverflowError, "sleep length is too large")
				}
				t, err := currentThread(th)
				if err != nil {
					return nil, err
				}
				return starlark.None, s.Sleep(t, secondsToDuration(f))
			}),
			"time":         noArgs("time", func() starlark.Value { return starlark.Float(wall()) }),
			"time_ns":      noArgs("time_ns", func() starlark.Value { return starlark.MakeInt64(int64(wall() * 1e9)) }),
			"monotonic":    noArgs("monotonic", func() starlark.Value { return seconds(s.Now()) }),
			"monotonic_ns": noArgs("monotonic_ns", func() starlark.Value { return starlark.MakeInt64(s.Now().Nanoseconds()) }),
			"perf_counter": noArgs("perf_counter", func() starlark.Value { return seconds(s.Now()) }),
			"perf_counter_ns": noArgs("perf_counter_ns", func() starlark.Value {
				return starlark.MakeInt64(s.Now().Nanoseconds())
			}),
			"ctime": noArgs("ctime", func() starlark.Value {
				sec := wall()
				return starlark.String(time.Unix(int64(sec), 0).Format("Mon Jan _2 15:04:05 2006"))
			}),
		},
	}
}

func newSysModule(it *interp.Interp) *starlarkstruct.Module {
	var argv []starlark.Value
	for _, a := range it.Argv() {
		argv = append(argv, starlark.String(a))
	}
	s := it.Sched()
	return &starlarkstruct.Module{
		Name: "sys",
		Members: starlark.StringDict{
			"argv":     starlark.NewList(argv),
			"platform": starlark.String("linux"),
			"version":  starlark.String("3.11 (starlab: Starlark on go.starlark.net)"),
			"maxsize":  starlark.MakeInt64(math.MaxInt64),
			"stdout":   newStream("stdout", it.Stdout()),
			"stderr":   newStream("stderr", it.Stderr()),
			"exit": starlark.NewBuiltin("exit", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				var code starlark.Value = starlark.None
				if err := starlark.UnpackPositionalArgs("exit", args, kwargs, 0, &code); err != nil {
					return nil, err
				}
				return nil, interp.Raise(interp.NewException(interp.SystemExit, code))
			}),
			"getswitchinterval": starlark.NewBuiltin("getswitchinterval", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				if err := starlark.UnpackPositionalArgs("getswitchinterval", args, kwargs, 0); err != nil {
					return nil, err
				}
				return starlark.Float(s.SwitchInterval().Seconds()), nil
			}),
			"setswitchinterval": starlark.NewBuiltin("setswitchinterval", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				var x starlark.Value
				if err := starlark.UnpackPositionalArgs("setswitchinterval", args, kwargs, 1, &x); err != nil {
					return nil, err
				}
				interval, ok := starlark.AsFloat(x) // an int will do, as in Python
				if !ok {
					return nil, interp.Errorf(interp.TypeError, "must be real number, not %s", x.Type())
				}
				if !(interval > 0) || interval > timeoutMax {
					return nil, interp.Errorf(interp.ValueError, "switch interval must be strictly positive")
				}
				s.SetSwitchInterval(secondsToDuration(interval))
				return starlark.None, nil
			}),
		},
	}
}

// stream is sys.stdout / sys.stderr: write(s) and flush(), enough for
// print(..., file=sys.stderr) and sys.stdout.write.
type stream struct {
	name string
	w    io.Writer
}

func newStream(name string, w io.Writer) *stream { return &stream{name: name, w: w} }

func (s *stream) String() string {
	return "<_io.TextIOWrapper name='<" + s.name + ">' mode='w' encoding='utf-8'>"
}
func (s *stream) Type() string          { return "TextIOWrapper" }
func (s *stream) Freeze()               {}
func (s *stream) Truth() starlark.Bool  { return true }
func (s *stream) Hash() (uint32, error) { return interp.IdentityHash(s), nil }
func (s *stream) AttrNames() []string   { return []string{"flush", "name", "write"} }

func (s *stream) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String("<" + s.name + ">"), nil
	case "write":
		return starlark.NewBuiltin("write", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var text starlark.Value
			if err := starlark.UnpackPositionalArgs("write", args, kwargs, 1, &text); err != nil {
				return nil, err
			}
			str, ok := text.(starlark.String)
			if !ok {
				return nil, interp.Errorf(interp.TypeError, "write() argument must be str, not %s", text.Type())
			}
			io.WriteString(s.w, string(str))
			return starlark.MakeInt(len([]rune(string(str)))), nil
		}), nil
	case "flush":
		return starlark.NewBuiltin("flush", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs("flush", args, kwargs, 0); err != nil {
				return nil, err
			}
			return starlark.None, nil
		}), nil
	}
	return nil, nil
}

func newOSModule(it *interp.Interp) *starlarkstruct.Module {
	intFn := func(name string, f func() int) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
				return nil, err
			}
			return starlark.MakeInt(f()), nil
		})
	}
	return &starlarkstruct.Module{
		Name: "os",
		Members: starlark.StringDict{
			"getpid":  intFn("getpid", os.Getpid),
			"getppid": intFn("getppid", os.Getppid),
			"sep":     starlark.String(string(os.PathSeparator)),
			"linesep": starlark.String("\n"),
		},
	}
}
