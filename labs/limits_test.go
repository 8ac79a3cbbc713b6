package labs

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A submission that prints without end, or loops inside a Go builtin, ends
// with a verdict in bounded time and memory: its output is kept up to
// maxKeptOutput bytes, and its run is stopped by the step budget even
// inside sum() (interp.CheckStop), not only between Starlark steps.
func TestGradedRunLimits(t *testing.T) {
	grader := `
def check():
    run = grade.run(max_steps = 300000)
    grade.expect(run.stopped != None, "stopped: %r" % run.stopped)
    grade.expect(len(run.stdout) < 1100000, "kept %d bytes" % len(run.stdout))
    grade.expect("output cut here" in run.stdout, "says it cut the output")
grade.check("prints forever", check)
`
	rep := gradeFake(t, grader, "line = 'x' * 10000\nwhile True:\n    print(line)\n")
	assert.Equal(t, StatusPass, rep.Status, describe(rep))

	grader = `
def check():
    run = grade.run(max_steps = 5000000)
    grade.expect(run.stopped != None and "step budget" in run.stopped, "stopped: %r" % run.stopped)
grade.check("long builtin", check)
`
	rep = gradeFake(t, grader, "print(sum(range(1 << 62)))\n")
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
