package multiprocessing_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// simRun runs a testdata script in sim mode and returns what it printed
// and, one line per event, its trace.
func simRun(t *testing.T, file string, seed int64, cpus int) (runtest.Result, string) {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	var mu sync.Mutex
	var events strings.Builder
	rec := trace.RecorderFunc(func(e trace.Event) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&events, "%d %v %d %s %s %s %v\n", e.At, e.Kind, e.Thread, e.Name, e.Reason, e.Object, e.Pos)
	})
	r := runtest.Run(t, file, src, runtest.Options{Sched: interp.SchedConfig{Sim: true, Seed: seed, CPUs: cpus, Recorder: rec}})
	mu.Lock()
	defer mu.Unlock()
	return r, events.String()
}

// TestSimReplays: processes in sim mode replay byte for byte from the
// seed, their trace included; different seeds give different schedules.
func TestSimReplays(t *testing.T) {
	file := filepath.Join("testdata", "sim", "racy.star")
	outputs := map[string]bool{}
	for seed := int64(1); seed <= 6; seed++ {
		first, firstTrace := simRun(t, file, seed, 0)
		require.Equal(t, 0, first.Code, first.Stderr)
		for range 2 {
			again, againTrace := simRun(t, file, seed, 0)
			require.Equal(t, first.Stdout, again.Stdout, "seed %d", seed)
			require.Equal(t, first.Stderr, again.Stderr, "seed %d", seed)
			require.Equal(t, firstTrace, againTrace, "seed %d: trace", seed)
		}
		assert.Contains(t, first.Stdout, "__mp_main__ 100")
		assert.Contains(t, firstTrace, "Process-1 MainThread", "events name the process")
		outputs[first.Stdout] = true
	}
	assert.Greater(t, len(outputs), 1, "every seed gave the same run: %v", outputs)
}

// TestSimGILShape is the GIL lesson, on the virtual clock: 2 threads of CPU
// work take twice as long as 2 processes on 2 cores, as long on 1 core.
// The work is a loop of 20,000 steps; what is not loop (starting the
// workers, a child loading the script) is a few hundred steps, hence the
// margin of 0.5%: there is no timing noise in sim mode, the same seed
// gives the same nanoseconds.
func TestSimGILShape(t *testing.T) {
	file := filepath.Join("testdata", "sim", "gil.star")
	for _, tc := range []struct {
		cpus  int
		ratio float64 // threads / processes
	}{{1, 1.0}, {2, 2.0}, {4, 2.0}} {
		for seed := int64(1); seed <= 2; seed++ {
			r, _ := simRun(t, file, seed, tc.cpus)
			require.Equal(t, 0, r.Code, r.Stderr)
			f := strings.Fields(r.Stdout)
			require.Len(t, f, 3, r.Stdout)
			one, _ := strconv.ParseFloat(f[0], 64)
			threads, _ := strconv.ParseFloat(f[1], 64)
			procs, _ := strconv.ParseFloat(f[2], 64)
			assert.InEpsilon(t, 2*one, threads, 0.005, "cpus %d seed %d: 2 threads take the time of 2 loops (%s)", tc.cpus, seed, r.Stdout)
			assert.InEpsilon(t, tc.ratio, threads/procs, 0.005, "cpus %d seed %d: threads/processes (%s)", tc.cpus, seed, r.Stdout)
			again, _ := simRun(t, file, seed, tc.cpus)
			assert.Equal(t, r.Stdout, again.Stdout, "the same seed, the same virtual times")
		}
	}
}

// TestSimExamples runs the course's process examples (copies of
// labs/examples/processes) in sim mode under a few seeds: each ends as
// in real mode, and replays.
func TestSimExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "examples", "*.star"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".star"), func(t *testing.T) {
			if raceBuild && filepath.Base(file) == "gil.star" {
				t.Skip("900,000 steps a run: too slow under -race; TestSimGILShape runs a smaller one")
			}
			t.Parallel()
			for seed := int64(1); seed <= 3; seed++ {
				r, _ := simRun(t, file, seed, 0)
				require.Equal(t, 0, r.Code, "seed %d\nstdout:\n%s\nstderr:\n%s", seed, r.Stdout, r.Stderr)
				again, _ := simRun(t, file, seed, 0)
				require.Equal(t, r.Stdout+r.Stderr, again.Stdout+again.Stderr, "seed %d replays", seed)
				switch filepath.Base(file) {
				case "isolation.star":
					assert.Contains(t, r.Stdout, "ending []")
				case "lock_counter.star":
					assert.Contains(t, r.Stdout, "counter: 4000")
				case "no_guard.star":
					assert.Contains(t, r.Stderr, "bootstrapping phase")
				case "gil.star":
					assert.Contains(t, r.Stdout, "2 processes")
				}
			}
		})
	}
}
