// Package scripttest runs the .star test scripts of the module packages
// (builtins/greenlet, builtins/gevent, builtins/urllib) with every module
// wired in, as builtins' own TestScripts does: a script asserts through
// starlab's builtins (assert_, and assert_eq added here), and its header
// says how to run it and what to expect:
//
//	# mode: real | sim | both     (default both: real time, then sim with several seeds)
//	# seeds: N                    (sim runs, default 5)
//	# exit: 3                     (expected exit status)
//	# stderr: some text           (must appear in stderr; may repeat)
//	# stdout: some text           (must appear in stdout; may repeat)
//	# exact: FILE                 (stdout must equal the contents of FILE, next to the script)
package scripttest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// RunAll runs every script that glob matches, in parallel subtests.
func RunAll(t *testing.T, glob string) {
	files, err := filepath.Glob(glob)
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".star"), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			h := parseHeader(string(src))
			if h.mode != "sim" {
				check(t, file, src, h, interp.SchedConfig{})
			}
			if h.mode != "real" {
				for seed := int64(1); seed <= int64(h.seeds); seed++ {
					check(t, file, src, h, interp.SchedConfig{Sim: true, Seed: seed})
				}
			}
		})
	}
}

type header struct {
	mode           string
	seeds          int
	exit           int
	stderr, stdout []string
	exact          string
}

func parseHeader(src string) header {
	h := header{mode: "both", seeds: 5}
	for _, line := range strings.Split(src, "\n") {
		rest, ok := strings.CutPrefix(line, "# ")
		if !ok {
			break
		}
		key, val, ok := strings.Cut(rest, ": ")
		if !ok {
			continue
		}
		switch key {
		case "mode":
			h.mode = val
		case "seeds":
			h.seeds, _ = strconv.Atoi(val)
		case "exit":
			h.exit, _ = strconv.Atoi(val)
		case "stderr":
			h.stderr = append(h.stderr, val)
		case "stdout":
			h.stdout = append(h.stdout, val)
		case "exact":
			h.exact = val
		}
	}
	return h
}

func check(t *testing.T, file string, src []byte, h header, cfg interp.SchedConfig) {
	t.Helper()
	code, stdout, stderr := Run(t, file, src, cfg)
	mode := "real"
	if cfg.Sim {
		mode = fmt.Sprintf("sim seed %d", cfg.Seed)
	}
	require.Equal(t, h.exit, code, "%s (%s): exit status\nstdout:\n%s\nstderr:\n%s", file, mode, stdout, stderr)
	for _, want := range h.stderr {
		assert.Contains(t, stderr, want, "%s (%s): stderr", file, mode)
	}
	for _, want := range h.stdout {
		assert.Contains(t, stdout, want, "%s (%s): stdout", file, mode)
	}
	if h.exact != "" {
		want, err := os.ReadFile(filepath.Join(filepath.Dir(file), h.exact))
		require.NoError(t, err)
		assert.Equal(t, string(want), stdout, "%s (%s): stdout", file, mode)
	}
}

// Run runs src as file with every module (and assert_eq), args in
// sys.argv after the file name, and returns the exit status and the
// output; it fails the test if the run takes a minute.
func Run(t *testing.T, file string, src []byte, cfg interp.SchedConfig, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	it := interp.New(interp.Options{
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &errw,
		Argv:   append([]string{file}, args...),
		Sched:  cfg,
		Predeclared: func(it *interp.Interp) starlark.StringDict {
			d := builtins.Predeclared(it)
			d["assert_eq"] = starlark.NewBuiltin("assert_eq", assertEq)
			return d
		},
	})
	done := make(chan int, 1)
	go func() { done <- it.Run(file, src) }()
	select {
	case code = <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s (sim=%v seed=%d) did not finish in 60s", file, cfg.Sim, cfg.Seed)
	}
	return code, out.String(), errw.String()
}

// assertEq is assert_eq(got, want, msg=""): it fails with both values shown.
func assertEq(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var got, want starlark.Value
	var msg string
	if err := starlark.UnpackPositionalArgs("assert_eq", args, kwargs, 2, &got, &want, &msg); err != nil {
		return nil, err
	}
	eq, err := starlark.Equal(got, want)
	if err != nil {
		return nil, err
	}
	if !eq {
		text := fmt.Sprintf("got %s, want %s", interp.PyRepr(got), interp.PyRepr(want))
		if msg != "" {
			text = msg + ": " + text
		}
		return nil, interp.Raise(interp.NewException(interp.AssertionError, starlark.String(text)))
	}
	return starlark.None, nil
}
