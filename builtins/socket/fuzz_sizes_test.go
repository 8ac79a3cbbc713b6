package socket_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// FuzzSocketSizes feeds huge, negative and wrongly-typed sizes to a
// socket's methods (issue 16; see runtest.FuzzSizes).
func FuzzSocketSizes(f *testing.F) { runtest.FuzzSizes(f, socketSizeCalls, false) }

var socketSizeCalls = []string{
	"socket.socket().listen(%s)", "socket.socket().settimeout(%s)",
}
