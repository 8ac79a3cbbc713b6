package multiprocessing_test

import (
	"os"
	"testing"

	"github.com/starlab-dev/starlab/builtins/multiprocessing"
	"github.com/starlab-dev/starlab/builtins/runtest"
)

// TestMain makes the test binary its own worker: a child started by
// Process.start runs os.Executable(), this binary, with the worker
// variable set, as os/exec's own tests do.
func TestMain(m *testing.M) {
	if multiprocessing.IsWorker() {
		os.Exit(multiprocessing.WorkerMain(runtest.Predeclared))
	}
	if path := os.Getenv(runEnv); path != "" {
		os.Unsetenv(runEnv)
		os.Exit(runScriptMain(path))
	}
	os.Exit(m.Run())
}

// TestScripts runs every testdata/*.star script (see runtest.Scripts).
func TestScripts(t *testing.T) { runtest.Scripts(t, "testdata") }
