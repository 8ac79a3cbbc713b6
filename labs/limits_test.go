package labs

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile submissions against a run's caps: each is stopped with its
// verdict, in bounded time, and the check that reads the run says why.
func TestLimitsHostileSubmissions(t *testing.T) {
	grader := `
def check():
    run = grade.run(sim = SIM)
    grade.expect(run.exit == 124, "exit %d, stopped %r" % (run.exit, run.stopped))
    grade.expect(run.stopped != None and WANT in run.stopped, "stopped: %r" % run.stopped)
    grade.expect(("stopped: " + run.stopped) in run.stderr, "the verdict ends stderr: %r" % run.stderr[-200:])
    grade.expect(len(run.stdout) + len(run.stderr) <= CAP + 200, "output kept: %d" % (len(run.stdout) + len(run.stderr)))
grade.check("capped", check)
`
	cases := []struct {
		name, src, want string
		sim             bool
	}{
		{"thread bomb", "def f():\n    time.sleep(1000)\nwhile True:\n    threading.Thread(target=f).start()\n", "it started more than 1000 threads", false},
		{"thread bomb, sim", "def f():\n    time.sleep(1000)\nwhile True:\n    threading.Thread(target=f).start()\n", "it started more than 1000 threads", true},
		{"daemon bomb", "def f():\n    while True:\n        threading.Thread(target=f, daemon=True).start()\n        time.sleep(0.001)\nf()\n", "it started more than 1000 threads", true},
		{"fd bomb", "files = []\nwhile True:\n    files.append(open('f%d' % len(files), 'w'))\n", "more than 256 files and sockets open at once", false},
		{"socket bomb", "socks = []\nwhile True:\n    socks.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))\n", "more than 256 files and sockets open at once", false},
		{"output flood", "while True:\n    print('x' * 1000)\n", "it printed more than 1 MiB", false},
		{"stderr flood", "while True:\n    sys.stderr.write('y' * 100000)\n", "it printed more than 1 MiB", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := strings.NewReplacer("SIM", map[bool]string{true: "True", false: "False"}[c.sim], "WANT", "'"+c.want+"'", "CAP", "1048576").Replace(grader)
			start := time.Now()
			rep := gradeFake(t, g, c.src)
			assert.Equal(t, StatusPass, rep.Status, describe(rep))
			assert.Less(t, time.Since(start), 8*time.Second)
		})
	}
}

// The children of a graded run (multiprocessing) are confined and counted
// with it: a process bomb, a child's output flood (its output is the run's)
// and a child's thread bomb each end the run with their verdict, in
// bounded time, and no process of the run is left.
func TestLimitsHostileChildren(t *testing.T) {
	grader := `
def check():
    run = grade.run()
    grade.expect(run.exit == 124, "exit %d, stopped %r" % (run.exit, run.stopped))
    grade.expect(run.stopped != None and WANT in run.stopped, "stopped: %r" % run.stopped)
    grade.expect(("stopped: " + run.stopped) in run.stderr, "the verdict ends stderr: %r" % run.stderr[-300:])
    grade.expect(len(run.stdout) + len(run.stderr) <= CAP + 64 * 1024, "output kept: %d" % (len(run.stdout) + len(run.stderr)))
grade.check("capped", check)
`
	const head = "from multiprocessing import Process, Pool\n"
	const main = "if __name__ == '__main__':\n"
	cases := []struct{ name, src, want string }{
		{"process bomb", head + "def f():\n    time.sleep(1000)\n" + main + "    while True:\n        Process(target=f).start()\n",
			"it started more than 16 processes"},
		{"pool bomb", head + "def sq(x):\n    return x * x\n" + main + "    pools = []\n    while True:\n        pools.append(Pool(4))\n        pools[-1].map(sq, [1, 2, 3, 4])\n",
			"it started more than 16 processes"},
		{"child output flood", head + "def f():\n    while True:\n        print('x' * 1000)\n" + main + "    p = Process(target=f)\n    p.start()\n    p.join()\n",
			"it printed more than 1 MiB"},
		{"child flood without newlines", head + "def f():\n    while True:\n        sys.stdout.write('y' * 100000)\n" + main + "    p = Process(target=f)\n    p.start()\n    p.join()\n",
			"it printed more than 1 MiB"},
		{"child thread bomb", head + "def f():\n    while True:\n        threading.Thread(target=time.sleep, args=(1000,)).start()\n" + main + "    p = Process(target=f)\n    p.start()\n    p.join()\n",
			"it started more than 1000 threads (in Process-1)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A child loads the script from its file: grade it by its path.
			file := filepath.Join(t.TempDir(), "hostile.star")
			require.NoError(t, os.WriteFile(file, []byte(c.src), 0o644))
			g := strings.NewReplacer("WANT", "'"+c.want+"'", "CAP", "1048576").Replace(grader)
			start := time.Now()
			rep := Grade(fakeLab(g), file, []byte(c.src))
			assert.Equal(t, StatusPass, rep.Status, describe(rep))
			assert.Less(t, time.Since(start), 30*time.Second)
			assert.Empty(t, childrenOf(os.Getpid()), "children of the grader left")
		})
	}
}

// childrenOf returns the live children of pid, waiting a little for the
// last ones to be reaped.
func childrenOf(pid int) []string {
	var kids []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		kids = kids[:0]
		stats, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, f := range stats {
			b, err := os.ReadFile(f)
			s := string(b)
			i := strings.LastIndexByte(s, ')')
			if err != nil || i < 0 {
				continue
			}
			fields := strings.Fields(s[i+1:]) // state, ppid, ...
			if len(fields) > 1 && fields[1] == strconv.Itoa(pid) && fields[0] != "Z" {
				kids = append(kids, f)
			}
		}
		if len(kids) == 0 || time.Now().After(deadline) {
			return kids
		}
	}
}
