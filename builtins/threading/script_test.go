package threading_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// TestScripts runs every testdata/*.star script (see runtest.Scripts).
func TestScripts(t *testing.T) { runtest.Scripts(t, "testdata") }
