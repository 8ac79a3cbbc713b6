package labs

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLabs proves every lab: the reference solution passes every check, the
// starter fails, and each mutant (a known-wrong solution) fails the check
// its header names (`# expect-fail: check name`).
func TestLabs(t *testing.T) {
	all, err := All()
	require.NoError(t, err)
	require.NotEmpty(t, all)
	for _, l := range all {
		t.Run(l.ID, func(t *testing.T) {
			t.Parallel() // the socket labs' mutants mostly wait out reply timeouts
			solution, err := l.File("solution.star")
			require.NoError(t, err)
			start := time.Now()
			rep := Grade(l, l.Meta.File, solution)
			t.Logf("solution graded in %v", time.Since(start))
			require.Equal(t, StatusPass, rep.Status, "the reference solution must pass: %s", describe(rep))

			starter, err := l.File("starter.star")
			require.NoError(t, err)
			rep = Grade(l, l.Meta.File, starter)
			assert.NotEqual(t, StatusPass, rep.Status, "the starter must not pass")

			mutants, err := l.Mutants()
			require.NoError(t, err)
			require.NotEmpty(t, mutants, "every lab needs at least one mutant")
			if raceEnabled && usesProcesses(solution) {
				// Real processes under -race are slow to start (each child is
				// this race-instrumented binary): prove one mutant here, all of
				// them in the ordinary run of this test.
				mutants = firstMutant(mutants)
			}
			for name, src := range mutants {
				want := expectedFailure(src)
				require.NotEmpty(t, want, "%s: no `# expect-fail: CHECK` header", name)
				rep := Grade(l, l.Meta.File, src)
				var found *CheckResult
				for i := range rep.Checks {
					if rep.Checks[i].Name == want {
						found = &rep.Checks[i]
					}
				}
				require.NotNil(t, found, "%s: the grader has no check %q: %s", name, want, describe(rep))
				assert.Equal(t, StatusFail, found.Status, "%s must fail %q: %s", name, want, describe(rep))
			}
		})
	}
}

// usesProcesses reports whether a lab's solution starts real processes.
func usesProcesses(solution []byte) bool {
	return strings.Contains(string(solution), "multiprocessing")
}

// firstMutant keeps the mutant whose name sorts first.
func firstMutant(mutants map[string][]byte) map[string][]byte {
	first := ""
	for name := range mutants {
		if first == "" || name < first {
			first = name
		}
	}
	return map[string][]byte{first: mutants[first]}
}

func expectedFailure(src []byte) string {
	for _, line := range strings.Split(string(src), "\n") {
		if v, ok := strings.CutPrefix(line, "# expect-fail: "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func describe(r *Report) string {
	var b strings.Builder
	b.WriteString(r.Status + " " + r.Message + "\n")
	for _, c := range r.Checks {
		b.WriteString("  " + c.Status + " " + c.Name + ": " + c.Message + " " + c.Replay + "\n")
	}
	return b.String()
}

// The replay command of a run with input feeds the same bytes to the script.
func TestShellQuoteRoundTrip(t *testing.T) {
	for _, in := range []string{"5\n3\n", "it's 100%\n", `a\b` + "\n\n", "jack"} {
		out, err := exec.Command("sh", "-c", "printf "+shellQuote(in)).Output()
		require.NoError(t, err)
		assert.Equal(t, in, string(out))
	}
}
