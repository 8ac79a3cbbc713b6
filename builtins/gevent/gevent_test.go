package gevent_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/internal/scripttest"
)

// TestScripts runs testdata/*.star: gevent's documented behaviour.
func TestScripts(t *testing.T) { scripttest.RunAll(t, "testdata/*.star") }
