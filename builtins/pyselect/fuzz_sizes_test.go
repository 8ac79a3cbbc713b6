package pyselect_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// FuzzSelectSizes feeds huge, negative and wrongly-typed sizes to select,
// poll and epoll (issue 16; see runtest.FuzzSizes).
func FuzzSelectSizes(f *testing.F) { runtest.FuzzSizes(f, selectSizeCalls, false) }

var selectSizeCalls = []string{
	"select.epoll().poll(0, %s)", "select.epoll(%s)", "select.poll().register(0, %s)",
	"select.select([], [], [], 0 * %s)",
}
