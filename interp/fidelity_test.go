package interp_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// TestFidelity runs every testdata/fidelity/NAME.star and its Python twin
// NAME.py (under python3, CPython 3.11 or later) and compares what they
// print: stdout byte for byte, the exit status, and stderr's unindented
// lines (the exception lines and the lines that join a chain). The indented
// frame lines differ by design: a try_ body is a function of its own, so
// starlab's traceback has a frame more than Python's. NAME.stdin, when
// present, is fed to both. The course_* pairs are the
// course's examples; where the .star equals the .py, the example runs
// unchanged.
func TestFidelity(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the fidelity suite compares starlab with CPython")
	}
	files, err := filepath.Glob("testdata/fidelity/*.star")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, star := range files {
		name := strings.TrimSuffix(star, ".star")
		t.Run(filepath.Base(name), func(t *testing.T) {
			t.Parallel()
			stdin, _ := os.ReadFile(name + ".stdin")
			src, err := os.ReadFile(star)
			require.NoError(t, err)

			cmd := exec.Command(py, filepath.Base(name)+".py")
			cmd.Dir = filepath.Dir(star)
			cmd.Stdin = bytes.NewReader(stdin)
			cmd.Env = append(os.Environ(), "PYTHONWARNINGS=ignore") // getName() is deprecated, and the course uses it
			var pyOut, pyErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &pyOut, &pyErr
			pyCode := 0
			if err := cmd.Run(); err != nil {
				var exitErr *exec.ExitError
				require.ErrorAs(t, err, &exitErr, "python3 %s.py", name)
				pyCode = exitErr.ExitCode()
			}

			got := runOpts(t, string(src), interp.Options{
				Stdin: bytes.NewReader(stdin),
			})
			assert.Equal(t, pyOut.String(), got.stdout, "stdout")
			assert.Equal(t, pyCode, got.code, "exit status; stderr:\n%s", got.stderr)
			assert.Equal(t, summary(pyErr.String()), summary(got.stderr), "stderr, unindented lines")
		})
	}
}

// summary keeps the lines of a traceback that do not depend on how the code
// is laid out: the unindented ones.
func summary(stderr string) string {
	var keep []string
	for _, line := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(line, " ") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// runOpts runs src with the real modules and opts (stdio and Predeclared
// are set here).
func runOpts(t *testing.T, src string, opts interp.Options) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	opts.Stdout, opts.Stderr = &stdout, &stderr
	opts.Argv, opts.Predeclared = []string{"test.star"}, builtins.Predeclared
	it := interp.New(opts)
	code := it.Run("test.star", []byte(src))
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}
