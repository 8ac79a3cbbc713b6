package interp_test

import (
	"syscall"
	"testing"

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

// peakRSS is the test process's peak resident memory, in bytes.
func peakRSS(t *testing.T) int64 {
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return ru.Maxrss << 10
}

// A script whose memory grows without end gets MemoryError from the
// budget's watcher, as CPython's allocator raises it; one that catches it
// and drops what it holds goes on. A size over the budget is refused
// before it is allocated. The bound is the process's own accounting: its
// peak resident memory stays within a small multiple of the budget.
func TestMemoryBudget(t *testing.T) {
	const budget = 128 << 20
	cfg := interp.SchedConfig{MaxMemory: budget, MaxSteps: 50_000_000}
	r := run(t, `
x = [0] * 100000
while True:
    x = x + x
`, cfg, nil)
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "MemoryError")
	assert.Less(t, peakRSS(t), int64(1<<30), "peak RSS")

	r = run(t, `
chunks = []
def grow():
    while True:
        chunks.append(list(range(100000)))
try_(grow, except_=[(MemoryError, lambda e: print("caught MemoryError"))])
chunks.clear()
print("goes on")
`, cfg, nil)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "caught MemoryError\ngoes on\n", r.stdout)

	r = run(t, "x = list(range(1 << 30))\n", cfg, nil)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "MemoryError", "16 GiB asked for: refused before it is allocated")
}
