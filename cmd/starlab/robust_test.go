package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deepSources are scripts whose syntax tree is deeper than any Go stack
// allows go.starlark.net's resolver and compiler to recurse (issue 16):
// left-deep chains, which the parser builds in a loop.
var deepSources = []struct{ name, src string }{
	{"sum of 200k terms", "x = " + strings.Repeat("1+", 200_000) + "1\n"},
	{"call chain", "def f():\n    return f\nx = f" + strings.Repeat("()", 200_000) + "\n"},
	{"attribute chain", "x = sys" + strings.Repeat(".a", 200_000) + "\n"},
}

// A too-deep script is a SyntaxError in run, in the REPL and in check, not a
// Go stack overflow.
func TestDeepSyntaxTree(t *testing.T) {
	for _, tc := range deepSources {
		t.Run(tc.name, func(t *testing.T) {
			path := writeScript(t, tc.src)
			_, stderr, code := runCLI(t, "", "run", path)
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, "SyntaxError: too many nested expressions")

			// At the prompt a blank line ends the def block.
			_, stderr, code = runCLI(t, strings.Replace(tc.src, "f\n", "f\n\n", 1), "repl")
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, "SyntaxError: too many nested expressions")

			stdout, stderr, code := runCLI(t, "", "check", "lost-update", path)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, stdout+stderr, "too many nested expressions")
		})
	}
}

// A script or module that is not a regular file is refused before it is
// read: /dev/zero would be read until memory ran out, a FIFO would block.
func TestSourceNotRegular(t *testing.T) {
	path := writeScript(t, `load("/dev/zero", "x")`+"\n")
	_, stderr, code := runCLI(t, "", "run", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "ImportError: cannot load /dev/zero: not a regular file")

	_, stderr, code = runCLI(t, "", "run", "/dev/zero")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "can't open file /dev/zero: not a regular file")
}

// The first Ctrl-C reaches a loop inside a Go builtin (interp.CheckStop).
func TestCtrlCInBuiltins(t *testing.T) {
	for _, call := range []string{"sum(range(1 << 62))", "max(range(1 << 62))", "sorted(range(1 << 27))", "all(range(1, 1 << 62))"} {
		t.Run(call, func(t *testing.T) {
			t.Parallel()
			cmd, stderr, _ := startChild(t, "print('ready')\nx = "+call+"\n")
			time.Sleep(50 * time.Millisecond)
			require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
			assert.Equal(t, 130, waitExit(t, cmd), stderr.String())
			assert.True(t, strings.HasSuffix(stderr.String(), "KeyboardInterrupt\n"), stderr.String())
		})
	}
}

// --max-memory: a script that grows without end gets MemoryError, or the
// budget's verdict if a Go allocation runs past twice the budget first. It
// runs as a child process: the verdict exits the process.
func TestMaxMemoryFlag(t *testing.T) {
	path := writeScript(t, "x = [0] * 100000\nwhile True:\n    x = x + x\n")
	cmd := exec.Command(os.Args[0], "run", "--max-memory", maxMemoryFlagTest, path)
	cmd.Env = append(os.Environ(), "STARLAB_BE_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	require.Error(t, err)
	code := cmd.ProcessState.ExitCode()
	assert.Contains(t, []int{1, 124}, code, stderr.String())
	assert.Regexp(t, "MemoryError|memory budget of .* used up", stderr.String())

	_, errs, code := runCLI(t, "", "run", "--max-memory", "lots", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--max-memory: bad size")
}

// The first Ctrl-C ends an open() of a FIFO that no writer opens, for
// reading and for writing.
func TestCtrlCInFIFOOpen(t *testing.T) {
	for _, mode := range []string{"r", "w"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			fifo := filepath.Join(t.TempDir(), "fifo")
			require.NoError(t, syscall.Mkfifo(fifo, 0o600))
			cmd, stderr, _ := startChild(t, "print('ready')\nf = open("+strconv.Quote(fifo)+", '"+mode+"')\n")
			time.Sleep(50 * time.Millisecond)
			require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
			assert.Equal(t, 130, waitExit(t, cmd), stderr.String())
			assert.True(t, strings.HasSuffix(stderr.String(), "KeyboardInterrupt\n"), stderr.String())
		})
	}
}

// The REPL's echo of a value nested too deep to format is RecursionError,
// and the session goes on.
func TestREPLDeepValue(t *testing.T) {
	stdout, stderr, code := runCLI(t, "t = ()\nfor i in range(5000):\n    t = (t,)\n\nt\nprint('goes on')\n", "repl")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "RecursionError: maximum recursion depth exceeded while getting the repr of an object")
	assert.Equal(t, "goes on\n", stdout)
}
