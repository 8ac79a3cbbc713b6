// Package runtest runs starlab scripts in tests: a source with the real
// modules, a scheduler configuration and a time limit (Run), every
// testdata/*.star file of a package with its expectations in its header
// (Scripts), a run in the background whose output a test waits on
// (Start), Python 3 peers for interop tests (StartPython, EchoClientsPy),
// the operations a run's primitives record (Ops), and the argument lists
// the bad-arguments tests call every builtin with (BadArgs). Every run has
// the assertions of assert.star predeclared (assert_eq, assert_ne,
// assert_in, assert_raises), so a script asserts in the language it tests.
package runtest

import (
	_ "embed"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

//go:embed assert.star
var assertSource string

// Predeclared is builtins.Predeclared plus the assertions of assert.star.
func Predeclared(it *interp.Interp) starlark.StringDict {
	d := builtins.Predeclared(it)
	th := &starlark.Thread{Name: "assert.star"}
	globals, err := starlark.ExecFileOptions(interp.FileOptions(), th, "assert.star", assertSource, d)
	if err != nil {
		panic("runtest: assert.star: " + err.Error()) // a bug in this package, not in a test
	}
	for k, v := range globals {
		d[k] = v
	}
	return d
}

// Options configure a run.
type Options struct {
	Sched interp.SchedConfig
	Stdin string
	// StdinReader, if set, is read instead of Stdin (a pipe the test
	// writes to while the run waits in input()).
	StdinReader io.Reader
	Argv        []string      // sys.argv[1:]
	Timeout     time.Duration // the test fails if the run takes longer (0: 60 s)
	// Predeclared, if set, replaces the globals (default Predeclared).
	Predeclared func(*interp.Interp) starlark.StringDict
}

// Result is how a run ended and what it printed.
type Result struct {
	Code           int
	Stdout, Stderr string
	Interp         *interp.Interp // for what the run left: globals, deadlock, ...
}

// Run runs src as file and returns how it ended. The test fails if the run
// does not end within the timeout.
func Run(t testing.TB, file string, src []byte, o Options) Result {
	t.Helper()
	var out, errw SyncBuffer
	pre := o.Predeclared
	if pre == nil {
		pre = Predeclared
	}
	var stdin io.Reader = strings.NewReader(o.Stdin)
	if o.StdinReader != nil {
		stdin = o.StdinReader
	}
	it := interp.New(interp.Options{
		Stdin:       stdin,
		Stdout:      &out,
		Stderr:      &errw,
		Argv:        append([]string{file}, o.Argv...),
		Sched:       o.Sched,
		Predeclared: pre,
	})
	timeout := o.Timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	done := make(chan int, 1)
	go func() { done <- it.Run(file, src) }()
	select {
	case code := <-done:
		return Result{Code: code, Stdout: out.String(), Stderr: errw.String(), Interp: it}
	case <-time.After(timeout):
		it.Sched().Stop("the test's time limit")
		t.Fatalf("%s (sim=%v seed=%d) did not finish in %v\nstdout:\n%s\nstderr:\n%s",
			file, o.Sched.Sim, o.Sched.Seed, timeout, out.String(), errw.String())
	}
	return Result{}
}

// SyncBuffer is an output that a run's threads and the test share: writes
// and reads are safe from any goroutine, and WaitLine waits for a line.
type SyncBuffer struct {
	mu    sync.Mutex
	buf   strings.Builder
	added chan struct{} // closed and replaced on every write
}

func (w *SyncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.added != nil {
		close(w.added)
		w.added = nil
	}
	return len(p), nil
}

// String returns everything written so far.
func (w *SyncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// WaitLine waits for a complete line that starts with prefix and returns
// the rest of it, trimmed; the test fails after timeout.
func (w *SyncBuffer) WaitLine(t testing.TB, prefix string, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		w.mu.Lock()
		text := w.buf.String()
		if w.added == nil {
			w.added = make(chan struct{})
		}
		added := w.added
		w.mu.Unlock()
		for _, line := range strings.SplitAfter(text, "\n") {
			if rest, ok := strings.CutPrefix(line, prefix); ok && strings.HasSuffix(rest, "\n") {
				return strings.TrimSpace(rest)
			}
		}
		select {
		case <-added:
		case <-deadline:
			t.Fatalf("no line %q within %v; output so far:\n%s", prefix, timeout, text)
		}
	}
}

// Outcome is Run's short form: src run as file under cfg with argv, its
// exit status and output.
func Outcome(t testing.TB, file string, src []byte, cfg interp.SchedConfig, argv ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := Run(t, file, src, Options{Sched: cfg, Argv: argv})
	return r.Code, r.Stdout, r.Stderr
}
