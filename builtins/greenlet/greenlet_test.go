package greenlet_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// TestScripts runs testdata/*.star: greenlet's documented behaviour.
func TestScripts(t *testing.T) { runtest.Scripts(t, "testdata") }
