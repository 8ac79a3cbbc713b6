package labs

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A submission that loops inside a Go builtin ends with a verdict in
// bounded time: its run is stopped by the step budget even inside sum()
// (interp.CheckStop), not only between Starlark steps, and by the grader's
// wall-clock limit. (Output floods: TestLimitsHostileSubmissions.)
func TestGradedRunStopsInsideBuiltins(t *testing.T) {
	grader := `
def check():
    run = grade.run(max_steps = 5000000, time_limit = 120) # the step budget, not the clock: -race on a loaded machine took >10 s
    grade.expect(run.stopped != None and "step budget" in run.stopped, "stopped: %r" % run.stopped)
grade.check("long builtin", check)
`
	rep := gradeFake(t, grader, "print(sum(range(1 << 62)))\n")
	assert.Equal(t, StatusPass, rep.Status, describe(rep))

	// The grader's wall-clock limit stops it too: Stop reaches the loop.
	grader = `
def check():
    run = grade.run(time_limit = 0.3)
    grade.expect(run.stopped != None and "longer than" in run.stopped, "stopped: %r" % run.stopped)
    grade.expect(run.exit == 124, "exit %d" % run.exit)
grade.check("time limit", check)
`
	rep = gradeFake(t, grader, "print(sum(range(1 << 62)))\n")
	assert.Equal(t, StatusPass, rep.Status, describe(rep))
}
