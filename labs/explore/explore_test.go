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
