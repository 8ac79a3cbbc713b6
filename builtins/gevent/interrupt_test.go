package gevent_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// TestCtrlC: a KeyboardInterrupt reaches the main greenlet while it waits
// in joinall (and in a raw switch), it can be caught there, and an uncaught
// one ends the run with status 130, as with threads.
func TestCtrlC(t *testing.T) {
	cases := map[string]struct {
		src  string
		code int
		out  string
	}{
		"joinall, uncaught": {src: `
g = gevent.spawn(gevent.sleep, 100)
print("waiting")
gevent.joinall([g])
`, code: 130, out: "waiting\n"},
		"joinall, caught": {src: `
g = gevent.spawn(gevent.sleep, 100)
print("waiting")
try_(lambda: gevent.joinall([g]), except_ = [(KeyboardInterrupt, lambda e: print("caught"))])
g.kill(block = False)
print("after")
`, code: 0, out: "waiting\ncaught\nafter\n"},
		"raw switch to a greenlet that sleeps": {src: `
def body():
    gevent.sleep(100)
gr = greenlet.greenlet(body)
print("waiting")
gr.switch()
`, code: 130, out: "waiting\n"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out, errw runtest.SyncBuffer
			it := interp.New(interp.Options{Stdout: &out, Stderr: &errw, Predeclared: builtins.Predeclared, Argv: []string{"ctrlc.star"}})
			done := make(chan int, 1)
			go func() { done <- it.Run("ctrlc.star", []byte(c.src)) }()
			for !strings.Contains(out.String(), "waiting") {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
			it.Interrupt()
			select {
			case code := <-done:
				assert.Equal(t, c.code, code, errw.String())
				assert.Equal(t, c.out, out.String())
				if c.code == 130 {
					assert.Contains(t, errw.String(), "KeyboardInterrupt")
				}
			case <-time.After(10 * time.Second):
				require.Fail(t, "Ctrl-C did not end the wait")
			}
		})
	}
}
