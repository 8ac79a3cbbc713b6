package labs

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
