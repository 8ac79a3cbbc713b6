package builtins_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/interp"
)

// robustMaxSteps bounds every run of testdata/robust: a script that
// regresses into an endless loop ends with the step budget's verdict
// (exit 124, a failed exit-status check) instead of hanging the test.
const robustMaxSteps = 20_000_000

// TestRobustScripts runs testdata/robust/*.star, the scripts of issue 16
// (a script must not be able to hang or kill starlab), with the headers of
// TestScripts, in real time and in sim mode, each run bounded by a step
// budget: the bound is the run's own accounting, not wall-clock time.
func TestRobustScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/robust/*.star")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".star"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			h := parseHeader(string(src))
			if h.mode != "sim" {
				runScript(t, file, src, h, interp.SchedConfig{MaxSteps: robustMaxSteps})
			}
			if h.mode != "real" {
				for seed := int64(1); seed <= int64(h.seeds); seed++ {
					runScript(t, file, src, h, interp.SchedConfig{Sim: true, Seed: seed, MaxSteps: robustMaxSteps})
				}
			}
		})
	}
}
