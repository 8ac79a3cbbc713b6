package builtins_test

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

// TestScripts runs every testdata/*.star file. A script asserts through
// starlab's own builtins (assert_, and assert_eq added here); it must exit 0
// unless its header says otherwise. Header lines, at the top of the file:
//
//	# mode: real | sim | both     (default both: real time, then sim with several seeds)
//	# seeds: N                    (sim runs, default 5)
//	# exit: 3                     (expected exit status)
//	# stderr: some text           (must appear in stderr; may repeat)
//	# stdout: some text           (must appear in stdout; may repeat)
//	# stdin: a line               (fed to input(); may repeat)
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.star")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".star"), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			h := parseHeader(string(src))
			if h.mode != "sim" {
				runScript(t, file, src, h, interp.SchedConfig{})
			}
			if h.mode != "real" {
				for seed := int64(1); seed <= int64(h.seeds); seed++ {
					runScript(t, file, src, h, interp.SchedConfig{Sim: true, Seed: seed})
				}
			}
		})
	}
}

type scriptHeader struct {
	mode           string
	seeds          int
	exit           int
	stderr, stdout []string
	stdin          []string
}

func parseHeader(src string) scriptHeader {
	h := scriptHeader{mode: "both", seeds: 5}
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
		case "stdin":
			h.stdin = append(h.stdin, val)
		}
	}
	return h
}

func runScript(t *testing.T, file string, src []byte, h scriptHeader, cfg interp.SchedConfig) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	stdin := strings.Join(h.stdin, "\n")
	if stdin != "" {
		stdin += "\n"
	}
	it := interp.New(interp.Options{
		Stdin:  strings.NewReader(stdin),
		Stdout: &stdout,
		Stderr: &stderr,
		Argv:   []string{file},
		Sched:  cfg,
		Predeclared: func(it *interp.Interp) starlark.StringDict {
			d := builtins.Predeclared(it)
			d["assert_eq"] = starlark.NewBuiltin("assert_eq", assertEq)
			return d
		},
	})
	done := make(chan int, 1)
	go func() { done <- it.Run(file, src) }()
	var code int
	select {
	case code = <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s (sim=%v seed=%d) did not finish in 60s", file, cfg.Sim, cfg.Seed)
	}
	mode := "real"
	if cfg.Sim {
		mode = fmt.Sprintf("sim seed %d", cfg.Seed)
	}
	require.Equal(t, h.exit, code, "%s (%s): exit status\nstdout:\n%s\nstderr:\n%s", file, mode, stdout.String(), stderr.String())
	for _, want := range h.stderr {
		assert.Contains(t, stderr.String(), want, "%s (%s): stderr", file, mode)
	}
	for _, want := range h.stdout {
		assert.Contains(t, stdout.String(), want, "%s (%s): stdout", file, mode)
	}
}

// assertEq is assert_eq(got, want, msg=""), for test scripts: it fails with
// both values shown.
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
