package threading_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// FuzzThreadingSizes feeds huge, negative and wrongly-typed sizes and
// timeouts to threading's primitives, time.sleep and sys.setswitchinterval
// (issue 16; see runtest.FuzzSizes).
func FuzzThreadingSizes(f *testing.F) { runtest.FuzzSizes(f, threadingSizeCalls, true) }

var threadingSizeCalls = []string{
	"threading.Semaphore(%s).acquire(timeout = 0)",
	"threading.Barrier(%s).n_waiting", "time.sleep(%s)", "threading.Event().wait(%s)",
	"threading.Lock().acquire(timeout = %s)", "threading.Thread(target = len, args = ([0] * %s,)).start()",
	"sys.setswitchinterval(%s)",
}
