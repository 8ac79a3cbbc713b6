package interp_test

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/interp"
)

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"512M", 512 << 20}, {"512MiB", 512 << 20}, {"4G", 4 << 30}, {"4gb", 4 << 30},
		{"1.5G", 3 << 29}, {"1000", 1000}, {"2T", 2 << 40},
	} {
		got, err := interp.ParseBytes(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", "x", "-1G", "0", "101%", "1e30"} {
		_, err := interp.ParseBytes(bad)
		assert.Error(t, err, bad)
	}
	half, err := interp.ParseBytes("50%")
	require.NoError(t, err)
	assert.Positive(t, half)
	assert.Positive(t, interp.DefaultMaxMemory())
	assert.Equal(t, "4GiB", interp.FormatBytes(4<<30))
}

func heapNow() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// heapPeak samples the Go heap (what the budget's watcher reads) every
// millisecond until stop is called, which returns the highest sample.
func heapPeak() (stop func() int64) {
	done := make(chan struct{})
	peak := make(chan int64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var top int64
		for {
			metrics.Read(s)
			top = max(top, int64(s[0].Value.Uint64()))
			select {
			case <-done:
				peak <- top
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() int64 { close(done); return <-peak }
}

// A script whose memory grows without end gets MemoryError from the
// budget's watcher, as CPython's allocator raises it; one that catches it
// and drops what it holds goes on. A size over the budget is refused
// before it is allocated. The bound is the process's own accounting: its
// peak heap stays within a small multiple of the budget.
func TestMemoryBudget(t *testing.T) {
	const budget = memTestBudget
	cfg := interp.SchedConfig{MaxMemory: budget, MaxSteps: 50_000_000}
	runtime.GC()
	base := heapNow() // what earlier tests of the package left
	peak := heapPeak()
	r := run(t, `
x = [0] * 100000
while True:
    x = x + x
`, cfg, "")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "MemoryError")
	// The step that crosses the budget finishes (x + x doubles), then
	// MemoryError: a few times the budget at most, not the machine.
	assert.Less(t, peak()-base, int64(16*budget), "peak heap over the %d MiB at the start", base>>20)

	r = run(t, `
chunks = []
def grow():
    while True:
        chunks.append(list(range(100000)))
try_(grow, except_=[(MemoryError, lambda e: print("caught MemoryError"))])
chunks.clear()
print("goes on")
`, cfg, "")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "caught MemoryError\ngoes on\n", r.stdout)

	r = run(t, "x = list(range(1 << 30))\n", cfg, "")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "MemoryError", "16 GiB asked for: refused before it is allocated")
}

// Threads count against the budget by their stacks: starting them without
// end gets MemoryError (then the verdict, while the daemons stop).
func TestMemoryBudgetThreads(t *testing.T) {
	r := run(t, `
ev = threading.Event()
while True:
    threading.Thread(target = ev.wait, daemon = True).start()
`, interp.SchedConfig{MaxMemory: memTestBudget, MaxSteps: 50_000_000}, "")
	assert.Contains(t, []int{1, interp.ExitStopped}, r.code, r.stderr)
	assert.Contains(t, r.stderr, "MemoryError")
}

// Formatting counts against the budget before it starts: the text of a
// value that shares a deep part many times is refused at once (the walk
// that measures it visits each shared part once).
func TestMemoryBudgetFormatting(t *testing.T) {
	r := run(t, `
x = []
for i in range(900):
    x = [x]
y = [x] * 100000
s = str(y)
`, interp.SchedConfig{MaxMemory: memTestBudget, MaxSteps: 50_000_000}, "")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "MemoryError")
}
