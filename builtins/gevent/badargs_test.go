package gevent_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// TestBadArguments calls every function of the coroutine modules and every
// method of their objects with argument lists no builtin should choke on:
// each run must end with a Python error at worst, never a Go panic (which
// starlab reports as SystemError) and never a hang.
func TestBadArguments(t *testing.T) {
	targets := []string{
		"greenlet.greenlet", "greenlet.getcurrent", "G.switch", "G.throw", "CUR.switch", "CUR.throw",
		"gevent.spawn", "gevent.spawn_later", "gevent.Greenlet", "gevent.joinall", "gevent.wait", "gevent.sleep",
		"gevent.kill", "gevent.killall", "gevent.getcurrent", "gevent.with_timeout", "gevent.Timeout",
		"GL.start", "GL.start_later", "GL.join", "GL.get", "GL.kill", "GL.ready", "GL.successful", "GL.link",
		"GL.link_value", "GL.link_exception", "GL.unlink", "GL.switch", "GL.throw",
		"gevent.pool.Pool", "gevent.pool.Group", "P.spawn", "P.map", "P.imap", "P.imap_unordered", "P.apply",
		"P.join", "P.kill", "P.free_count", "P.full", "P.wait_available",
		"gevent.queue.Queue", "gevent.queue.JoinableQueue", "Q.put", "Q.put_nowait", "Q.get", "Q.get_nowait",
		"Q.peek", "Q.qsize", "Q.empty", "Q.full", "Q.task_done", "Q.join",
		"gevent.event.Event", "gevent.event.AsyncResult", "E.set", "E.clear", "E.is_set", "E.wait",
		"A.set", "A.set_exception", "A.get", "A.wait", "A.ready", "A.successful",
		"gevent.lock.Semaphore", "gevent.lock.BoundedSemaphore", "S.acquire", "S.release", "S.locked",
		"gevent.monkey.patch_all", "gevent.monkey.patch_time", "gevent.monkey.is_module_patched",
		"T.start", "T.cancel",
		"urllib.request.urlopen", "urllib.request.Request", "R.get_method", "R.add_header",
	}
	setup := `
G = greenlet.greenlet(lambda *a, **k: None)
CUR = greenlet.getcurrent()
GL = gevent.Greenlet(lambda *a, **k: None)
P = gevent.pool.Pool(2)
Q = gevent.queue.JoinableQueue(1)
E = gevent.event.Event()
A = gevent.event.AsyncResult()
S = gevent.lock.BoundedSemaphore(1)
T = gevent.Timeout(0.01)
R = urllib.request.Request("http://localhost/")
`
	args := []string{"", "None", "'x'", "-1", "1e300", "[1]", "1, 2, 3, 4, 5, 6", "x=1", "None, None", "-5, 'x'", "0.0", "lambda: 0"}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			var src strings.Builder
			src.WriteString(setup)
			for _, a := range args {
				fmt.Fprintf(&src, "try_(lambda: %s(%s), except_=[(BaseException, lambda e: None)])\n", target, a)
			}
			src.WriteString("print('done')\n")
			code, stdout, stderr := runtest.Outcome(t, "badargs.star", []byte(src.String()), interp.SchedConfig{Sim: true, Seed: 1, MaxTime: 3600e9})
			assert.NotContains(t, stderr+stdout, "SystemError", target)
			assert.NotContains(t, stderr+stdout, "internal error", target)
			// A wait nobody will end (get() on an empty queue) is a deadlock report.
			finished := strings.HasSuffix(stdout, "done\n") || code == 3 && strings.Contains(stderr, "deadlock")
			assert.True(t, finished, "%s: the run neither ended nor reported a deadlock:\n%s", target, stderr)
		})
	}
}
