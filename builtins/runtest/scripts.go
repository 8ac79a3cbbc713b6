package runtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/interp"
)

// Scripts runs every *.star file of dir (a package's testdata), each as a
// subtest, in parallel. A script asserts through starlab's own builtins and
// assert.star; it must exit 0 unless its header says otherwise. Header
// lines, at the top of the file:
//
//	# mode: real | sim | both     (default both: real time, then sim with several seeds)
//	# seeds: N                    (sim runs, default 5)
//	# cpus: N                     (sim runs: the virtual machine's cores, default 2)
//	# exit: 3                     (expected exit status)
//	# stderr: some text           (must appear in stderr; may repeat)
//	# stdout: some text           (must appear in stdout; may repeat)
//	# stdin: a line               (fed to input(); may repeat)
//	# exact: FILE                 (stdout must equal the contents of FILE, next to the script)
//	# max-steps: N                (a step budget for every run: a script that regresses into an
//	                               endless loop ends with the budget's verdict instead of hanging)
func Scripts(t *testing.T, dir string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.star"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no .star scripts in %s", dir)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".star"), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			h := parseHeader(string(src))
			if h.mode != "sim" {
				runScript(t, file, src, h, interp.SchedConfig{MaxSteps: h.maxSteps})
			}
			if h.mode != "real" {
				for seed := int64(1); seed <= int64(h.seeds); seed++ {
					runScript(t, file, src, h, interp.SchedConfig{Sim: true, Seed: seed, MaxSteps: h.maxSteps, CPUs: h.cpus})
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
	exact          string
	maxSteps       uint64
	cpus           int
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
		case "exact":
			h.exact = val
		case "cpus":
			h.cpus, _ = strconv.Atoi(val)
		case "max-steps":
			h.maxSteps, _ = strconv.ParseUint(strings.ReplaceAll(val, "_", ""), 10, 64)
		}
	}
	return h
}

func runScript(t *testing.T, file string, src []byte, h scriptHeader, cfg interp.SchedConfig) {
	t.Helper()
	stdin := strings.Join(h.stdin, "\n")
	if stdin != "" {
		stdin += "\n"
	}
	r := Run(t, file, src, Options{Sched: cfg, Stdin: stdin})
	mode := "real"
	if cfg.Sim {
		mode = fmt.Sprintf("sim seed %d", cfg.Seed)
	}
	require.Equal(t, h.exit, r.Code, "%s (%s): exit status\nstdout:\n%s\nstderr:\n%s", file, mode, r.Stdout, r.Stderr)
	for _, want := range h.stderr {
		assert.Contains(t, r.Stderr, want, "%s (%s): stderr", file, mode)
	}
	for _, want := range h.stdout {
		assert.Contains(t, r.Stdout, want, "%s (%s): stdout", file, mode)
	}
	if h.exact != "" {
		want, err := os.ReadFile(filepath.Join(filepath.Dir(file), h.exact))
		require.NoError(t, err)
		assert.Equal(t, string(want), r.Stdout, "%s (%s): stdout", file, mode)
	}
}
