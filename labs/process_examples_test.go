package labs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/multiprocessing"
	"github.com/starlab-dev/starlab/builtins/runtest"
)

// TestMain lets this test binary be a multiprocessing worker: the course's
// process examples start children by running os.Executable(), which is
// this binary during `go test`.
func TestMain(m *testing.M) {
	if multiprocessing.IsWorker() {
		os.Exit(multiprocessing.WorkerMain(runtest.Predeclared))
	}
	os.Exit(m.Run())
}

// processChecks: each of labs/examples/processes, run once in real mode
// (real processes don't run in sim mode), and what its output must show.
var processChecks = map[string]func(t *testing.T, code int, stdout, stderr string){
	"process.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, 10, strings.Count(stdout, "say hi "))
	},
	"no_guard.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "ending []\n")
		assert.Equal(t, 3, strings.Count(stderr, "finished its bootstrapping phase"), "each child refuses to start its own")
	},
	"isolation.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "ending []\n")
		assert.Contains(t, stdout, "say hi [9]\n")
	},
	"array.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "1 -----> 100\n1 -----> 101\n")
		assert.Contains(t, stdout, "parent sees [100, 101, 33, 44]\n")
	},
	"manager_dict.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "[100, 101]\nparent sees {0: 100, 1: 101}\n")
	},
	"lock_counter.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, "counter: 4000\n", stdout)
	},
	"gil.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		// The times depend on the machine and its load: only the lines are checked.
		assert.Regexp(t, `sequential +\d+\.\d\d s\n2 threads +\d+\.\d\d s\n2 processes +\d+\.\d\d s\n`, stdout)
	},
	"pool.star": func(t *testing.T, code int, stdout, stderr string) {
		require.Equal(t, 0, code, stderr)
		assert.True(t, strings.HasPrefix(stdout, "end\n"), "apply_async does not wait: %q", stdout)
		for _, n := range []string{"100", "105", "109"} {
			assert.Contains(t, stdout, n+"\n")
		}
	},
}

func TestProcessExamples(t *testing.T) {
	files, err := filepath.Glob("examples/processes/*.star")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".star"), func(t *testing.T) {
			t.Parallel()
			check, ok := processChecks[name]
			require.True(t, ok, "labs/examples/processes/%s has no check in processChecks", name)
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			r := runtest.Run(t, file, src, runtest.Options{Timeout: 30 * time.Second})
			check(t, r.Code, r.Stdout, r.Stderr)
		})
	}
}
