package socket_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// netObjectPrelude makes one of each object of the socket, socketserver,
// select and file modules, in real-time mode (sim mode refuses sockets, so
// package builtins' TestBuiltinsRejectBadArguments only reaches their
// constructors). Waits are short, so that a call that would block returns
// soon.
const netObjectPrelude = `
def mk_tcp():
    s = socket.socket()
    s.settimeout(0.01)
    return s

def mk_udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.01)
    return s

def mk_listener():
    s = socket.create_server(("127.0.0.1", 0))
    s.settimeout(0.01)
    return s

def mk_server():
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), lambda self: None)
    srv.timeout = 0.01
    return srv

def mk_rfile():
    a, b = socket.socketpair()
    a.settimeout(0.01)
    return a.makefile("rb")

def mk_file():
    return open(TMP + "/f.bin", "w+b")

def mk_text():
    return open(TMP + "/f.txt", "w+")
`

var netObjectExprs = []string{
	"mk_tcp()", "mk_udp()", "mk_listener()", "mk_server()", "socketserver.ThreadingTCPServer",
	"socketserver.StreamRequestHandler", "mk_rfile()", "mk_file()", "mk_text()", "select.poll()", "select.epoll()",
}

// TestNetObjectsRejectBadArguments calls every method of those objects with
// each of runtest.BadArgs, each call in a run of its own: whatever happens,
// the run ends (a call still waiting after a moment gets a Ctrl-C) with at
// worst a Python exception: no Go panic, no internal error.
func TestNetObjectsRejectBadArguments(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	prelude := fmt.Sprintf("TMP = %q\n%s", tmp, netObjectPrelude)
	var targets []string
	for _, expr := range netObjectExprs {
		var stdout, stderr bytes.Buffer
		it := interp.New(interp.Options{Stdout: &stdout, Stderr: &stderr, Predeclared: builtins.Predeclared})
		src := prelude + "x = " + expr + "\nfor a in dir(x):\n    if type(getattr(x, a)).__name__ == 'builtin_function_or_method':\n        print(a)\n"
		if code := it.Run(filepath.Join(tmp, "dir.star"), []byte(src)); code != 0 {
			t.Fatalf("%s: exit %d\n%s", expr, code, stderr.String())
		}
		for _, a := range strings.Fields(stdout.String()) {
			targets = append(targets, "("+expr+")."+a)
		}
	}
	if len(targets) < 60 {
		t.Fatalf("only %d methods found: %v", len(targets), targets)
	}
	// The runs are independent: eight at a time, so that the few that wait
	// for the Ctrl-C overlap.
	type call struct{ target, args string }
	work := make(chan call)
	var wg sync.WaitGroup
	var calls atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				src := prelude + fmt.Sprintf("try_(lambda: %s(%s), except_=[(Exception, lambda e: None)])\n", c.target, c.args)
				var stdout, stderr bytes.Buffer
				it := interp.New(interp.Options{Stdout: &stdout, Stderr: &stderr, Predeclared: builtins.Predeclared})
				done := make(chan int, 1)
				go func() { done <- it.Run(filepath.Join(tmp, "bad.star"), []byte(src)) }()
				select {
				case <-done:
				case <-time.After(200 * time.Millisecond):
					it.Interrupt() // a call that waits (serve_forever(), poll())
					select {
					case <-done:
					case <-time.After(10 * time.Second):
						t.Errorf("no end after Ctrl-C: %s(%s)", c.target, c.args)
						continue
					}
				}
				calls.Add(1)
				assert.NotContains(t, stderr.String(), "internal error", "%s(%s)", c.target, c.args)
				assert.NotContains(t, stderr.String(), "goroutine ", "%s(%s)", c.target, c.args)
			}
		}()
	}
	for _, target := range targets {
		for _, args := range runtest.BadArgs {
			work <- call{target, args}
		}
	}
	close(work)
	wg.Wait()
	t.Logf("%d calls of %d methods", calls.Load(), len(targets))
}
