package io_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// FuzzIOSizes feeds huge, negative and wrongly-typed sizes to open() and
// the file methods (issue 16; see runtest.FuzzSizes).
func FuzzIOSizes(f *testing.F) { runtest.FuzzSizes(f, ioSizeCalls, false) }

var ioSizeCalls = []string{
	"open('/dev/null').read(%s)", "open('/dev/null').readline(%s)", "open('/dev/null').readlines(%s)",
	"open('/dev/null', 'rb').read(%s)", "open('/dev/null', buffering = %s)",
}
