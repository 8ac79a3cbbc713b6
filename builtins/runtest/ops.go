package runtest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// Ops runs src as file with cfg and returns the operations its primitives
// recorded (the trace.Op events, in order; not Thread.join's), for tests of
// what the primitives report. The test fails unless the run exits 0.
func Ops(t testing.TB, file, src string, cfg interp.SchedConfig) []trace.Event {
	t.Helper()
	var mu sync.Mutex
	var ops []trace.Event
	cfg.Recorder = trace.RecorderFunc(func(e trace.Event) {
		if e.Kind == trace.Op && e.Op != trace.Join {
			mu.Lock()
			ops = append(ops, e)
			mu.Unlock()
		}
	})
	r := Run(t, file, []byte(src), Options{Sched: cfg})
	require.Equal(t, 0, r.Code, "%s (sim=%v seed=%d): exit status\nstdout:\n%s\nstderr:\n%s", file, cfg.Sim, cfg.Seed, r.Stdout, r.Stderr)
	mu.Lock()
	defer mu.Unlock()
	return append([]trace.Event(nil), ops...)
}

// OpStrings renders op events as "thread object op value"
// ("MainThread Lock-1 acquire 1"), for comparing sequences.
func OpStrings(ops []trace.Event) []string {
	out := make([]string, len(ops))
	for i, e := range ops {
		out[i] = fmt.Sprintf("%s %s %s %d", e.Name, e.Object, e.Op, e.Value)
	}
	return out
}
