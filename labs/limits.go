package labs

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/starlab-dev/starlab/interp"
)

// A grader runs untrusted submissions, many of them in one process (a seed
// sweep spreads runs over the cores, `watch` grades again on every save),
// so each run gets a memory budget and the output it keeps is bounded in
// bytes: a submission that prints in an endless loop, or lines of a
// megabyte each, must not fill the grader's memory before its time limit.
const (
	// maxKeptOutput is what a run's stdout (and its stderr) keeps; the rest
	// is counted and dropped.
	maxKeptOutput = 1 << 20
	// maxGradeMemory caps the budget of one graded run.
	maxGradeMemory = 2 << 30
)

// gradeMaxMemory is the memory budget of one graded run: the machine's
// default budget, at most maxGradeMemory.
func gradeMaxMemory() int64 {
	return min(interp.DefaultMaxMemory(), maxGradeMemory)
}

// cappedBuffer is an io.Writer over a buffer that the grader reads while
// the run writes it, keeping the first max bytes and a note of how many
// more came.
type cappedBuffer struct {
	mu      *sync.Mutex
	b       *bytes.Buffer
	max     int
	dropped int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.b.Len(); room < len(p) {
		keep := max(room, 0)
		c.b.Write(p[:keep])
		c.dropped += len(p) - keep
		return len(p), nil
	}
	return c.b.Write(p)
}

// String returns what was kept, and says how much was not. The caller
// holds mu.
func (c *cappedBuffer) String() string {
	if c.dropped == 0 {
		return c.b.String()
	}
	return c.b.String() + fmt.Sprintf("\n[starlab: output cut here; %d more bytes were not kept]\n", c.dropped)
}
