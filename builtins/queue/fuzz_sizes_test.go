package queue_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// FuzzQueueSizes feeds huge, negative and wrongly-typed sizes and timeouts
// to queue's classes (issue 16; see runtest.FuzzSizes).
func FuzzQueueSizes(f *testing.F) { runtest.FuzzSizes(f, queueSizeCalls, true) }

var queueSizeCalls = []string{
	"queue.Queue(%s).put(1)", "queue.Queue().get(timeout = %s)",
}
