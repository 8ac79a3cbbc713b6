package labs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeLab is a lab made of a grader only, for testing the grading API.
func fakeLab(grader string) *Lab {
	return &Lab{ID: "99-fake", Num: 99, Name: "fake", Meta: Meta{File: "fake.star"},
		fsys: fstest.MapFS{"grader.star": {Data: []byte(grader)}}}
}

func gradeFake(t *testing.T, grader, submission string) *Report {
	t.Helper()
	rep := Grade(fakeLab(grader), "fake.star", []byte(submission))
	require.NotEqual(t, StatusError, rep.Status, "%s", describe(rep))
	return rep
}

// grade.serve runs a long-lived submission in the background; the grader
// waits for its output, then stops it. argv reaches sys.argv.
func TestServeWaitForStop(t *testing.T) {
	grader := `
def check():
    port = grade.free_port()
    server = grade.serve(argv = [str(port)])
    got = server.wait_for("listening on (\\d+)", timeout = 5)
    grade.expect(got == str(port), "wait_for gave %r" % got)
    grade.expect(server.wait_for("never printed", timeout = 0.1) == None, "a missing line is None")
    run = server.stop()
    grade.expect(run.stopped != None, "stop() stops it")
    grade.expect(run.exit == 124, "exit %d" % run.exit)
    grade.expect(server.stop() == run, "stopping twice gives the same run")
grade.check("serve", check)
`
	rep := gradeFake(t, grader, "print('listening on', sys.argv[1])\ntime.sleep(1000)\n")
	assert.Equal(t, StatusPass, rep.Status, describe(rep))
}

func TestServeFinish(t *testing.T) {
	grader := `
def check():
    server = grade.serve()
    run = server.finish(timeout = 5)
    grade.expect(run.exit == 0 and run.stdout == "done\n", "finish waits for the end: %r" % run.stdout)
grade.check("finish", check)
`
	rep := gradeFake(t, grader, "time.sleep(0.05)\nprint('done')\n")
	assert.Equal(t, StatusPass, rep.Status, describe(rep))
}

// stop_when ends a sweep at the first run it picks, in seed order.
func TestSweepStopWhen(t *testing.T) {
	grader := `
def check():
    runs = grade.sweep(seeds = 50, stop_when = lambda run: run.seed == 7)
    grade.expect([r.seed for r in runs] == list(range(1, 8)), "seeds %r" % [r.seed for r in runs])
    all = grade.sweep(seeds = 5)
    grade.expect(len(all) == 5, "without stop_when every seed runs")
grade.check("sweep", check)
`
	rep := gradeFake(t, grader, "x = 1\n")
	assert.Equal(t, StatusPass, rep.Status, describe(rep))
}

// A failing check reports its message, the end of the run's output and the
// replay command with the run's input and arguments.
func TestFailureReport(t *testing.T) {
	grader := `
def check():
    run = grade.run(sim = True, seed = 4, stdin = "5\n", argv = ["a b"])
    grade.fail("it printed %r" % run.stdout.strip(), run)
grade.check("fails", check)
def broken():
    return 1 // 0
grade.check("grader bug", broken)
`
	rep := gradeFake(t, grader, "print(input(), sys.argv[1])\n")
	require.Len(t, rep.Checks, 2)
	assert.Equal(t, StatusFail, rep.Checks[0].Status)
	assert.Equal(t, "it printed '5 a b'", rep.Checks[0].Message) // %r quotes as Python's repr
	assert.Equal(t, `printf '5\n' | starlab run --sim --seed 4 fake.star 'a b'`, rep.Checks[0].Replay)
	assert.Equal(t, "5 a b", rep.Checks[0].Output)
	assert.Equal(t, StatusError, rep.Checks[1].Status, "an exception in the grader is the lab's error, not the learner's")
	assert.Contains(t, rep.Checks[1].Message, "ZeroDivisionError")
}

// A sim run asked for twice with the same options is made once (the
// submission appends a line to a file in a folder the grader hands it),
// and each check gets a run of its own to change; a real-time run is made
// each time.
func TestRunCacheSimRunsOnce(t *testing.T) {
	dir := t.TempDir()
	grader := `
def first():
    a = grade.run(sim = True, seed = 3, argv = [DIR])
    a.events.append("mine")
    [r.exit for r in grade.sweep(seeds = 4, argv = [DIR])]
    grade.run(argv = [DIR])
def second():
    b = grade.run(sim = True, seed = 3, argv = [DIR])
    grade.expect("mine" not in b.events, "a check changed another's run")
    grade.expect(len(b.events) > 0, "the run has its events")
    [r.exit for r in grade.sweep(seeds = 4, argv = [DIR])]
    grade.run(argv = [DIR])
grade.check("first", first)
grade.check("second", second)
`
	src := `import threading
def work():
    pass
t = threading.Thread(target = work)
t.start()
t.join()
f = open(sys.argv[1] + "/runs", "a")
f.write("%s\n" % (sys.argv[0]))
f.close()
`
	rep := gradeFake(t, strings.ReplaceAll(grader, "DIR", `"`+dir+`"`), src)
	require.Equal(t, StatusPass, rep.Status, describe(rep))
	data, err := os.ReadFile(filepath.Join(dir, "runs"))
	require.NoError(t, err)
	// seed 3 once, the sweep's 4 seeds once (its seed 3 differs from the
	// run's in what it keeps of the globals: made again), and each of the
	// 2 real-time runs.
	assert.Equal(t, 1+4+2, strings.Count(string(data), "\n"), string(data))
}

// cpus sizes sim mode's virtual machine: 2 processes of CPU work take the
// same virtual time as 1 on 2 cores and twice that on 1 (but for the
// steps that start them); the run
// and its replay command say the size, and a sweep takes it too.
func TestRunCPUs(t *testing.T) {
	grader := `
def check():
    one, two = grade.run(sim = True, cpus = 1), grade.run(sim = True, cpus = 2)
    grade.expect(one.exit == 0 and two.exit == 0, "exits %d %d: %s" % (one.exit, two.exit, one.stderr + two.stderr))
    grade.expect((one.cpus, two.cpus) == (1, 2), "cpus %r" % [one.cpus, two.cpus])
    a, b = one.globals["elapsed"], two.globals["elapsed"]
    grade.expect(b > 0 and 1.9 < a / b and a / b < 2.1, "1 core: %r s, 2 cores: %r s" % (a, b))
    grade.expect(one.replay == "starlab run --sim --seed 1 --cpus 1 fake.star", one.replay)
    grade.expect(two.replay == "starlab run --sim --seed 1 fake.star", two.replay)
    grade.expect([r.cpus for r in grade.sweep(seeds = 2, cpus = 3)] == [3, 3], "a sweep's cpus")
    for bad in [0, -1]:
        err = try_(lambda: grade.run(sim = True, cpus = bad), except_ = [(ValueError, lambda e: str(e))])
        grade.expect(err == "run: cpus must be between 1 and 1024", "cpus=%d: %r" % (bad, err))
grade.check("cpus", check)
`
	src := `import time
from multiprocessing import Process
def count(n):
    total = 0
    for i in range(n):
        total += i
if __name__ == "__main__":
    start = time.time()
    ps = [Process(target = count, args = (2000,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    elapsed = time.time() - start
`
	rep := gradeFake(t, grader, src)
	assert.Equal(t, StatusPass, rep.Status, describe(rep))
}

// What graders read of processes is recorded in sim mode as in real mode:
// the main thread's start and join ops on Process-N (value 1: the join
// found it ended) and its waits named Process.join and Pool.join.
func TestProcessEventsBothModes(t *testing.T) {
	grader := `
def check():
    for sim in [True, False]:
        run = grade.run(sim = sim)
        grade.expect(run.exit == 0, "sim=%s: %s" % (sim, run.stderr))
        main = [e for e in run.events if e.thread == "MainThread"]
        ops = sorted(["%s %s %d" % (e.op, e.object, e.value) for e in main if e.kind == "op" and e.object.startswith("Process-")])
        grade.expect(ops == ["join Process-1 1", "join Process-2 1", "start Process-1 1", "start Process-2 1"], "sim=%s: ops %r" % (sim, ops))
        waits = sorted({e.op: True for e in main if e.kind == "wait"}.keys())
        grade.expect("Process.join" in waits and "Pool.join" in waits, "sim=%s: waits %r" % (sim, waits))
grade.check("events", check)
`
	src := `import time
from multiprocessing import Process, Pool
def work(n):
    time.sleep(0.2)
    return n
if __name__ == "__main__":
    ps = [Process(target = work, args = (i,)) for i in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    pool = Pool(2)
    pool.apply_async(work, (1,))
    pool.close()
    pool.join()
`
	rep := gradeFake(t, grader, src)
	assert.Equal(t, StatusPass, rep.Status, describe(rep))
}
