package greenlet_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/internal/scripttest"
)

// TestScripts runs testdata/*.star: greenlet's documented behaviour.
func TestScripts(t *testing.T) { scripttest.RunAll(t, "testdata/*.star") }
