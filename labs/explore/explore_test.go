package explore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/labs/explore"
)

func explored(t *testing.T, path string, seeds int, untilFail bool) *explore.Report {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	rep := explore.Run(context.Background(), explore.Config{
		File: filepath.Base(path), Src: src, Seeds: seeds, UntilFail: untilFail,
		Predeclared: builtins.Predeclared,
	})
	require.Empty(t, rep.CompileError)
	return rep
}

// Within 200 seeds, explore finds what the course's broken examples do
// wrong: updates lost (more than one final number), a deadlock.
func TestExploreFindsTheBug(t *testing.T) {
	t.Run("lost update", func(t *testing.T) {
		rep := explored(t, "testdata/race.star", 200, false)
		assert.Equal(t, 200, rep.Runs)
		assert.Greater(t, len(rep.Outcomes), 1, "one outcome: no lost update found")
	})
	t.Run("lost update with sleep", func(t *testing.T) {
		rep := explored(t, "testdata/lost_update.star", 200, false)
		assert.Greater(t, len(rep.Outcomes), 1)
	})
	for _, file := range []string{"testdata/philosophers_starter.star", "testdata/deadlock.star"} {
		t.Run(file, func(t *testing.T) {
			rep := explored(t, file, 200, true)
			f := rep.FirstFailure()
			require.NotNil(t, f, "no deadlock in 200 seeds")
			assert.True(t, f.Deadlock)
			assert.Equal(t, interp.ExitDeadlock, f.Exit)
			assert.Equal(t, int(f.Seed()), rep.Runs, "--until-fail stops at the first failing seed")
		})
	}
}

// The replayed seed gives the outcome it stands for.
func TestExploreSeedReplays(t *testing.T) {
	src, err := os.ReadFile("testdata/race.star")
	require.NoError(t, err)
	cfg := explore.Config{File: "race.star", Src: src, Seeds: 30, Predeclared: builtins.Predeclared, Jobs: 2}
	rep := explore.Run(context.Background(), cfg)
	for _, o := range rep.Outcomes {
		again := explore.RunSeed(rep.Compiled, cfg, o.Seed(), nil)
		assert.Equal(t, o.Stdout, again.Stdout, "seed %d", o.Seed())
	}
}

// A script that does not compile runs nothing and says why.
func TestExploreCompileError(t *testing.T) {
	rep := explore.Run(context.Background(), explore.Config{File: "bad.star", Src: []byte("def (:\n"), Seeds: 3, Predeclared: builtins.Predeclared})
	assert.Contains(t, rep.CompileError, "SyntaxError")
	assert.Zero(t, rep.Runs)
}

// fixedOneOutcome checks the fixed versions give one outcome over seeds.
func fixedOneOutcome(t *testing.T, seeds int) {
	for _, file := range []string{"testdata/counter_locked.star", "testdata/philosophers_fixed.star"} {
		t.Run(file, func(t *testing.T) {
			rep := explored(t, file, seeds, false)
			require.Len(t, rep.Outcomes, 1, "a fixed script has one outcome")
			assert.Equal(t, 0, rep.Outcomes[0].Exit)
			assert.Len(t, rep.Outcomes[0].Seeds, seeds)
		})
	}
}

// Interleaved progress lines make every schedule an outcome of its own;
// grouped by the last line or the exit status, a correct total is one
// outcome, and a lost update still shows as several totals.
func TestExploreGroupBy(t *testing.T) {
	tests := []struct {
		file     string
		by       explore.GroupBy
		outcomes func(n int) bool
		lastLine string // of the first outcome
	}{
		{"testdata/progress.star", explore.ByOutput, func(n int) bool { return n > 1 }, "total: 12"},
		{"testdata/progress.star", explore.ByLastLine, func(n int) bool { return n == 1 }, "total: 12"},
		{"testdata/progress.star", explore.ByExit, func(n int) bool { return n == 1 }, "total: 12"},
		{"testdata/progress_racy.star", explore.ByLastLine, func(n int) bool { return n > 1 }, ""},
		{"testdata/progress_racy.star", explore.ByExit, func(n int) bool { return n == 1 }, ""},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file)+" by "+tc.by.String(), func(t *testing.T) {
			src, err := os.ReadFile(tc.file)
			require.NoError(t, err)
			rep := explore.Run(context.Background(), explore.Config{File: filepath.Base(tc.file), Src: src, Seeds: 60,
				Predeclared: builtins.Predeclared, GroupBy: tc.by})
			require.Equal(t, 60, rep.Runs)
			assert.True(t, tc.outcomes(len(rep.Outcomes)), "%d outcomes", len(rep.Outcomes))
			total := 0
			lines := map[string]bool{}
			for _, o := range rep.Outcomes {
				total += len(o.Seeds)
				assert.Equal(t, 0, o.Exit)
				if tc.by == explore.ByLastLine {
					assert.False(t, lines[o.LastLine], "two outcomes with the last line %q", o.LastLine)
					lines[o.LastLine] = true
				}
			}
			assert.Equal(t, 60, total, "every seed in one outcome")
			if tc.lastLine != "" {
				assert.Equal(t, tc.lastLine, rep.Outcomes[0].LastLine)
			}
		})
	}
}

func TestParseGroupBy(t *testing.T) {
	for _, by := range []explore.GroupBy{explore.ByOutput, explore.ByLastLine, explore.ByExit} {
		got, err := explore.ParseGroupBy(by.String())
		require.NoError(t, err)
		assert.Equal(t, by, got)
	}
	_, err := explore.ParseGroupBy("stdout")
	assert.ErrorContains(t, err, "output, last-line or exit")
}
