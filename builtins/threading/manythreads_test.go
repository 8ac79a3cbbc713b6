package threading_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// manyThreadsScript starts n threads that all block on one Event, sets it,
// and joins them all.
const manyThreadsScript = `
N = %d
ev = threading.Event()
started = []
woke = []
def worker(i):
    started.append(i)
    assert_(ev.wait(), "woken by set()")
    woke.append(i)
ts = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in ts:
    t.start()
while len(started) < N:
    time.sleep(0.001)
assert_(len(woke) == 0, "nobody passes the event before set()")
assert_(threading.active_count() == N + 1, "all alive: %%d" %% threading.active_count())
ev.set()
for t in ts:
    t.join()
print(len(started), len(woke), len(set(woke)), threading.active_count())
`

// testManyThreads runs manyThreadsScript in real-time mode and in sim mode,
// each within limit.
func testManyThreads(t *testing.T, n int, limit time.Duration) {
	src := []byte(fmt.Sprintf(manyThreadsScript, n))
	for _, cfg := range []interp.SchedConfig{{}, {Sim: true, Seed: 1}} {
		start := time.Now()
		r := runtest.Run(t, "many.star", src, runtest.Options{Sched: cfg})
		took := time.Since(start)
		require.Equal(t, 0, r.Code, "sim=%v: stderr:\n%s", cfg.Sim, r.Stderr)
		assert.Equal(t, fmt.Sprintf("%d %d %d 1\n", n, n, n), r.Stdout, "sim=%v", cfg.Sim)
		assert.Less(t, took, limit, "sim=%v", cfg.Sim)
		t.Logf("%d threads, sim=%v: %v", n, cfg.Sim, took)
	}
}

// TestThousandThreadsOnEvent is the size that runs under -race too (the race
// detector allows at most 8128 live goroutines).
func TestThousandThreadsOnEvent(t *testing.T) {
	t.Parallel()
	testManyThreads(t, 1000, 30*time.Second)
}
