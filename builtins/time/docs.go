package time

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the time module, beside its code.

var Docs = pydoc.Table{
	"time": {
		Summary: "Time and sleeping, on the run's clock: real, or virtual in sim mode (where sleeping takes no real time).",
	},
	"time.sleep":           {Sig: "(secs)", Summary: "Suspend the calling thread for secs seconds; other threads run meanwhile."},
	"time.time":            {Sig: "()", Summary: "Seconds since the Unix epoch, a float (a fixed date plus virtual time in sim mode)."},
	"time.time_ns":         {Sig: "()", Summary: "time() in nanoseconds, an int."},
	"time.monotonic":       {Sig: "()", Summary: "Seconds on a clock that never goes back, for measuring intervals."},
	"time.monotonic_ns":    {Sig: "()", Summary: "monotonic() in nanoseconds, an int."},
	"time.perf_counter":    {Sig: "()", Summary: "Seconds on the finest clock there is, for timing code."},
	"time.perf_counter_ns": {Sig: "()", Summary: "perf_counter() in nanoseconds, an int."},
	"time.ctime":           {Sig: "()", Summary: "The current time as a string: 'Mon Jan  1 00:00:00 2024'."},
}
