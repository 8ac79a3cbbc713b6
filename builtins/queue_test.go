package builtins_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/interp"
)

// TestQueueTimeoutsUseVirtualClock: in sim mode a timed get or put waits on
// the virtual clock: a 30-second timeout expires after 30 virtual seconds and
// almost no real time.
func TestQueueTimeoutsUseVirtualClock(t *testing.T) {
	t.Parallel()
	src := `
q = queue.Queue(maxsize = 1)
def waited(fn, cls):
    t0 = time.monotonic()
    try_(fn, except_ = [(cls, lambda e: None)], else_ = lambda: fail("no exception"))
    return time.monotonic() - t0
print(waited(lambda: q.get(timeout = 30), queue.Empty))
q.put(1)
print(waited(lambda: q.put(2, timeout = 12.5), queue.Full))
print(waited(lambda: queue.SimpleQueue().get(True, 7), queue.Empty))
`
	for seed := int64(1); seed <= 3; seed++ {
		start := time.Now()
		code, stdout, stderr := runCaptured(t, "queue_vclock.star", []byte(src), interp.SchedConfig{Sim: true, Seed: seed}, "")
		elapsed := time.Since(start)
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		lines := strings.Fields(stdout)
		require.Len(t, lines, 3, "stdout:\n%s", stdout)
		for i, want := range []float64{30, 12.5, 7} {
			got, err := strconv.ParseFloat(lines[i], 64)
			require.NoError(t, err)
			assert.InDelta(t, want, got, 0.01, "virtual seconds waited by timeout %v (seed %d)", want, seed)
		}
		assert.Less(t, elapsed, 5*time.Second, "a sim run must not wait in real time")
	}
}

// TestQueueReportsPutsAndGets: every put, get and task_done reaches the
// scheduler's hook, named after its queue and with the length (or the
// unfinished count) after it: what a grader checks "every item consumed once" with.
func TestQueueReportsPutsAndGets(t *testing.T) {
	t.Parallel()
	src := `
q = queue.Queue(maxsize = 2)
other = queue.LifoQueue()
other.put("x")
def consumer():
    for i in range(10):
        q.get()
        q.task_done()
c = threading.Thread(target = consumer)
c.start()
for i in range(10):
    q.put(i)
q.join()
c.join()
`
	for seed := int64(1); seed <= 3; seed++ {
		var mu sync.Mutex
		var ops []interp.Event
		cfg := interp.SchedConfig{Sim: true, Seed: seed, Hook: func(e interp.Event) {
			if e.Kind == interp.EventOp {
				mu.Lock()
				ops = append(ops, e)
				mu.Unlock()
			}
		}}
		code, _, stderr := runCaptured(t, "queue_ops.star", []byte(src), cfg, "")
		require.Equal(t, 0, code, stderr)
		mu.Lock()
		count := map[string]int{}
		length := 0
		for _, e := range ops {
			count[e.Object+" "+e.Reason]++
			if e.Object == "Queue-1" && (e.Reason == "put" || e.Reason == "get") {
				if e.Reason == "put" {
					length++
				} else {
					length--
				}
				assert.Equal(t, length, e.Value, "queue length after %s (seed %d)", e.Reason, seed)
				assert.LessOrEqual(t, e.Value, 2, "maxsize 2")
				assert.Equal(t, "queue_ops.star", e.Pos.Filename())
			}
		}
		mu.Unlock()
		assert.Equal(t, map[string]int{"Queue-1 put": 10, "Queue-1 get": 10, "Queue-1 task_done": 10, "LifoQueue-1 put": 1}, count, "seed %d", seed)
	}
}
