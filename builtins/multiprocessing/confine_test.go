package multiprocessing_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// confinedRun runs src as a confined run would be (labs' graded runs,
// `starlab run --sandbox`): its own folder, loopback only, and the caps
// given; the script lives outside the folder, as a learner's does.
type confinedRun struct {
	code           int
	stdout, stderr string
	dir            string
	took           time.Duration
}

func runConfined(t *testing.T, src string, c interp.Confinement) confinedRun {
	t.Helper()
	return runConfinedSched(t, src, c, interp.SchedConfig{})
}

// runConfinedSched is runConfined with a scheduler config (sim mode).
func runConfinedSched(t *testing.T, src string, c interp.Confinement, cfg interp.SchedConfig) confinedRun {
	t.Helper()
	file := filepath.Join(t.TempDir(), "hostile.star")
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	c.Dir = t.TempDir()
	c.LoopbackOnly = true
	var out, errw runtest.SyncBuffer
	it := interp.New(interp.Options{
		Stdout: &out, Stderr: &errw, Argv: []string{file}, Confine: &c,
		Predeclared: runtest.Predeclared,
		Sched:       withMemory(cfg),
	})
	start := time.Now()
	done := make(chan int, 1)
	go func() { done <- it.RunFile(file) }()
	select {
	case code := <-done:
		return confinedRun{code, out.String(), errw.String(), c.Dir, time.Since(start)}
	case <-time.After(60 * time.Second):
		it.Sched().Stop("the test's time limit")
		t.Fatalf("the confined run did not end\nstdout:\n%s\nstderr:\n%s", out.String(), errw.String())
	}
	return confinedRun{}
}

func withMemory(cfg interp.SchedConfig) interp.SchedConfig {
	cfg.MaxMemory = 1 << 30
	return cfg
}

// leftBehind returns the processes, anywhere on the machine, whose
// environment names dir: the children of a confined run carry its folder
// in STARLAB_MP_CONFINE, so even a grandchild that was reparented to init
// is found.
func leftBehind(dir string) []string {
	var left []string
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		env, err := os.ReadFile(filepath.Join(p, "environ"))
		if err != nil || !bytes.Contains(env, []byte(dir)) || gone(atoi(filepath.Base(p))) {
			continue
		}
		left = append(left, filepath.Base(p))
	}
	return left
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// noneLeft waits a little for the run's processes to be gone.
func noneLeft(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(leftBehind(dir)) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.Empty(t, leftBehind(dir), "processes of the run outlived it")
}

const refusedHelper = `
from multiprocessing import Process, Pool, Queue
def refused(f):
    return try_(f, except_ = [(PermissionError, lambda e: "PermissionError: " + str(e))])
`

// A child inherits its parent's folder: /etc/passwd and the parent's
// neighbours are PermissionError in the child, and what the child writes
// by a relative name lands in the run's folder. A Pool worker too.
func TestConfinedChildFiles(t *testing.T) {
	beside := filepath.Join(t.TempDir(), "grades.csv")
	require.NoError(t, os.WriteFile(beside, []byte("alice,10\n"), 0o644))
	src := refusedHelper + `
def child():
    print("passwd", refused(lambda: open("/etc/passwd").read()))
    print("remove", refused(lambda: os.remove(BESIDE)))
    print("listdir", refused(lambda: os.listdir("/")))
    f = open("from_child.txt", "w")
    f.write("child")
    f.close()
    print("cwd", os.getcwd())

def task(x):
    return refused(lambda: open("/etc/passwd").read())

if __name__ == "__main__":
    p = Process(target=child)
    p.start()
    p.join()
    print("exit", p.exitcode)
    with_pool = Pool(2)
    print("pool", with_pool.map(task, [1, 2]))
    with_pool.close()
    with_pool.join()
    print("parent reads", open("from_child.txt").read())
`
	r := runConfined(t, strings.ReplaceAll(src, "BESIDE", "'"+beside+"'"), interp.Confinement{MaxProcesses: 16})
	require.Equal(t, 0, r.code, r.stderr)
	for _, what := range []string{"passwd", "remove", "listdir"} {
		assert.Contains(t, r.stdout, what+" PermissionError: [Errno 13] Permission denied", r.stdout)
	}
	assert.NotContains(t, r.stdout, "root:")
	assert.Contains(t, r.stdout, "cwd "+r.dir+"\n")
	assert.Contains(t, r.stdout, "exit 0\n")
	assert.Equal(t, 2, strings.Count(r.stdout, "PermissionError: [Errno 13] Permission denied: '/etc/passwd'")-1, r.stdout)
	assert.Contains(t, r.stdout, "parent reads child\n")
	data, err := os.ReadFile(beside)
	require.NoError(t, err)
	assert.Equal(t, "alice,10\n", string(data))
	noneLeft(t, r.dir)
}

// The network rule in a child, in a network namespace of its own (`unshare
// -n`, as labs' TestConfineNetwork): the test binary runs itself again
// there, so even a broken rule sends nothing off the machine.
func TestConfinedChildNetwork(t *testing.T) {
	if os.Getenv("STARLAB_IN_NETNS") != "1" {
		unshare, err := exec.LookPath("unshare")
		if err != nil {
			t.Skip("no unshare: the network rule is tested in a network namespace only")
		}
		if err := exec.Command(unshare, "-n", "true").Run(); err != nil {
			t.Skipf("unshare -n fails here (%v): the network rule is tested in a network namespace only", err)
		}
		cmd := exec.Command(unshare, "-n", os.Args[0], "-test.run=^TestConfinedChildNetwork$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "STARLAB_IN_NETNS=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "--- PASS: TestConfinedChildNetwork", "%s", out)
		require.NotContains(t, string(out), "SKIP", "%s", out)
		return
	}
	if ip, err := exec.LookPath("ip"); err == nil {
		exec.Command(ip, "link", "set", "lo", "up").Run()
	}
	src := refusedHelper + `
def child():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    print("connect", refused(lambda: s.connect(("10.0.0.1", 80))))
    print("sendto", refused(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("8.8.8.8", 53))))
    print("lookup", refused(lambda: socket.getaddrinfo("example.com", 80)))
    lo = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lo.bind(("127.0.0.1", 0))
    print("loopback ok", lo.getsockname()[0])

if __name__ == "__main__":
    p = Process(target=child)
    p.start()
    p.join()
`
	r := runConfined(t, src, interp.Confinement{MaxProcesses: 16})
	require.Equal(t, 0, r.code, r.stderr)
	for _, what := range []string{"connect", "sendto", "lookup"} {
		assert.Contains(t, r.stdout, what+" PermissionError: [Errno 13] Permission denied", r.stdout)
	}
	assert.Contains(t, r.stdout, "loopback ok 127.0.0.1")
}

// Process bombs, in the parent, in a child and with Pools: each ends with
// the process cap's verdict, in bounded time, and no process of the run is
// left.
func TestConfinedProcessBomb(t *testing.T) {
	cases := []struct{ name, src string }{
		{"parent", `
from multiprocessing import Process
import time
def f():
    time.sleep(1000)
if __name__ == "__main__":
    while True:
        Process(target=f).start()
`},
		{"grandchildren", `
from multiprocessing import Process
import time
def f():
    time.sleep(1000)
def bomb():
    while True:
        Process(target=f).start()
if __name__ == "__main__":
    p = Process(target=bomb)
    p.start()
    p.join()
    time.sleep(1000)
`},
		{"pools", `
from multiprocessing import Pool
def sq(x):
    return x * x
if __name__ == "__main__":
    pools = []
    while True:
        p = Pool(3)
        p.map(sq, [1, 2, 3])
        pools.append(p)
`},
		{"caught", `
from multiprocessing import Process
import time
def f():
    time.sleep(1000)
if __name__ == "__main__":
    while True:
        try_(lambda: Process(target=f).start(), except_ = [(Exception, lambda e: None)])
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runConfined(t, c.src, interp.Confinement{MaxProcesses: 8})
			assert.Equal(t, interp.ExitStopped, r.code, r.stderr)
			assert.Contains(t, r.stderr, "starlab: run stopped: it started more than 8 processes", r.stderr)
			assert.Less(t, r.took, 30*time.Second)
			noneLeft(t, r.dir)
		})
		// Simulated processes count against the cap too, with the same
		// verdict: a sim run is no way around it.
		t.Run(c.name+" sim", func(t *testing.T) {
			r := runConfinedSched(t, c.src, interp.Confinement{MaxProcesses: 8}, interp.SchedConfig{Sim: true, Seed: 1})
			assert.Equal(t, interp.ExitStopped, r.code, r.stderr)
			assert.Contains(t, r.stderr, "starlab: run stopped: it started more than 8 processes", r.stderr)
		})
	}
}

// The cap counts simulated processes as real ones: 8 may start, in any
// shape (Processes, a Pool's workers, a child's children), the 9th stops
// the run.
func TestConfinedSimProcessCap(t *testing.T) {
	const src = `
from multiprocessing import Process, Pool
def sq(x):
    return x * x
def child(n):
    if n > 0:
        p = Process(target=child, args=(n - 1,))
        p.start()
        p.join()
if __name__ == "__main__":
    p = Process(target=child, args=(CHAIN,))
    p.start()
    p.join()
    pool = Pool(4)
    print(pool.map(sq, [1, 2, 3]))
    pool.close()
    pool.join()
    print("done")
`
	for _, c := range []struct {
		chain int // the processes are chain+1, then the pool's 4
		code  int
	}{{3, 0}, {4, interp.ExitStopped}} {
		r := runConfinedSched(t, strings.ReplaceAll(src, "CHAIN", strconv.Itoa(c.chain)), interp.Confinement{MaxProcesses: 8}, interp.SchedConfig{Sim: true, Seed: 1})
		assert.Equal(t, c.code, r.code, r.stderr)
		if c.code == 0 {
			assert.Equal(t, "[1, 4, 9]\ndone\n", r.stdout)
		} else {
			assert.Contains(t, r.stderr, "starlab: run stopped: it started more than 8 processes")
			assert.NotContains(t, r.stdout, "done")
		}
	}
}

// A child's memory bomb is MemoryError in the child, under the child's
// share of the budget; the parent goes on.
func TestConfinedChildMemory(t *testing.T) {
	src := `
from multiprocessing import Process
def bomb():
    blocks = []
    while True:
        blocks.append("x" * (1 << 20))
def big():
    return [0] * (1 << 30)
if __name__ == "__main__":
    for name, f in (("bomb", bomb), ("big", big)):
        p = Process(target=f)
        p.start()
        p.join()
        print(name, "exit", p.exitcode)
`
	r := runConfined(t, src, interp.Confinement{MaxProcesses: 16, ChildMemory: 64 << 20})
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "bomb exit 1\n")
	assert.Contains(t, r.stdout, "big exit 1\n")
	assert.Equal(t, 2, strings.Count(r.stderr, "\nMemoryError"), r.stderr)
	assert.Contains(t, r.stderr, "Process Process-1:\n")
	noneLeft(t, r.dir)
}

// A child's thread bomb and fd bomb stop the whole run with the child's
// verdict, and the child is gone.
func TestConfinedChildCaps(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"threads", "    while True:\n        threading.Thread(target=time.sleep, args=(1000,)).start()\n",
			"it started more than 50 threads (in Process-1)"},
		{"files", "    files = []\n    while True:\n        files.append(open('f%d' % len(files), 'w'))\n",
			"it had more than 20 files and sockets open at once (in Process-1)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "from multiprocessing import Process\ndef child():\n" + c.body +
				"if __name__ == '__main__':\n    p = Process(target=child)\n    p.start()\n    p.join()\n    time.sleep(1000)\n"
			r := runConfined(t, src, interp.Confinement{MaxProcesses: 16, MaxThreads: 50, MaxOpen: 20})
			assert.Equal(t, interp.ExitStopped, r.code, r.stderr)
			assert.Contains(t, r.stderr, "starlab: run stopped: "+c.want, r.stderr)
			assert.Less(t, r.took, 30*time.Second)
			noneLeft(t, r.dir)
		})
	}
}
