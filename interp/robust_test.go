package interp_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// TestRobustScripts runs testdata/robust/*.star, the scripts of issue 16
// that test the interpreter itself (a script must not be able to hang or
// kill starlab: sizes checked before allocation, values nested too deep to
// format), with runtest.Scripts' headers; each run is bounded by a step
// budget (# max-steps), the run's own accounting, not wall-clock time.
func TestRobustScripts(t *testing.T) { runtest.Scripts(t, "testdata/robust") }
