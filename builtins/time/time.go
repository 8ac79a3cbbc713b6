package time

import (
	"math"
	"time"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// simEpoch is time.time() at the start of a sim-mode run: a fixed date, so
// that a run replays byte for byte (2024-01-01T00:00:00Z).
const simEpoch = 1704067200.0

// New builds the module for one run.
func New(it *interp.Interp) *starlarkstruct.Module {
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
				if f > pyarg.TimeoutMax {
					return nil, interp.Errorf(interp.OverflowError, "sleep length is too large")
				}
				t, err := pyarg.CurrentThread(th)
				if err != nil {
					return nil, err
				}
				return starlark.None, s.Sleep(t, pyarg.SecondsToDuration(f))
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
