//go:build !race

package threading_test

import (
	"testing"
	"time"
)

// TestTenThousandThreadsOnEvent: 10,000 threads blocked on one Event start,
// wake and join. Not under -race, whose detector dies past 8128 goroutines.
func TestTenThousandThreadsOnEvent(t *testing.T) {
	t.Parallel()
	testManyThreads(t, 10000, 60*time.Second)
}
