package gevent_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// TestScripts runs testdata/*.star: gevent's documented behaviour.
func TestScripts(t *testing.T) { runtest.Scripts(t, "testdata") }
