package interp_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

type result struct {
	stdout, stderr string
	code           int
	elapsed        time.Duration
}

// run runs src with the real modules and returns what it printed.
func run(t *testing.T, src string, cfg interp.SchedConfig, stdin string) result {
	t.Helper()
	return runFrom(t, src, cfg, runtest.Options{Stdin: stdin})
}

// runFrom is run with more options (stdin from a pipe).
func runFrom(t *testing.T, src string, cfg interp.SchedConfig, o runtest.Options) result {
	t.Helper()
	start := time.Now()
	o.Sched, o.Timeout = cfg, 30*time.Second
	r := runtest.Run(t, "test.star", []byte(src), o)
	return result{r.Stdout, r.Stderr, r.Code, time.Since(start)}
}

var sim = interp.SchedConfig{Sim: true, Seed: 1}

func TestExitStatus(t *testing.T) {
	tests := []struct {
		name string
		src  string
		code int
	}{
		{"ok", "x = 1", 0},
		{"uncaught exception", "raise_(ValueError('x'))", 1},
		{"syntax error", "x = (", 1},
		{"sys.exit(n)", "sys.exit(5)", 5},
		{"sys.exit()", "sys.exit()", 0},
		{"sys.exit(None)", "sys.exit(None)", 0},
		{"sys.exit(msg)", "sys.exit('bye')", 1},
		{"uncaught KeyboardInterrupt", "raise_(KeyboardInterrupt)", 130},
		{"deadlock", "l = threading.Lock()\nl.acquire()\nl.acquire()", 3},
		{"sys.exit in a thread ends only the thread", "t = threading.Thread(target=sys.exit, args=(4,))\nt.start()\nt.join()", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, cfg := range []interp.SchedConfig{{}, sim} {
				r := run(t, tc.src, cfg, "")
				assert.Equal(t, tc.code, r.code, "sim=%v stderr=%s", cfg.Sim, r.stderr)
			}
		})
	}
}

func TestNameIsMain(t *testing.T) {
	r := run(t, "print(__name__)", interp.SchedConfig{}, "")
	assert.Equal(t, "__main__\n", r.stdout)
}

// The virtual clock: it moves only with the steps threads run (a few
// nanoseconds each) and jumps to the next timer when all wait, so an hour of
// sleeps takes no real time.
func TestVirtualClock(t *testing.T) {
	src := `
t0 = time.monotonic()
w0 = time.time()
def sleeper(n):
    time.sleep(n)
ts = [threading.Thread(target=sleeper, args=(600 * i,)) for i in range(1, 7)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(int(time.monotonic() - t0), int(time.time() - w0))
`
	r := run(t, src, sim, "")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "3600 3600\n", r.stdout)
	assert.Less(t, r.elapsed, 2*time.Second)
}

// Sim mode: same seed, same events, byte for byte; another seed, another schedule.
func TestSimDeterministicEvents(t *testing.T) {
	src := `
def work(n):
    for i in range(50):
        state["x"] = state["x"] + n
    time.sleep(0.01 * n)
state = {"x": 0}
ts = [threading.Thread(target=work, args=(i,)) for i in range(5)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(state["x"])
`
	trace := func(seed int64) string {
		var b strings.Builder
		var mu sync.Mutex
		cfg := interp.SchedConfig{Sim: true, Seed: seed, Recorder: trace.RecorderFunc(func(e trace.Event) {
			mu.Lock()
			defer mu.Unlock()
			b.WriteString(e.Kind.String() + " " + e.Name + " " + e.Reason + " " + e.At.String() + "\n")
		})}
		r := run(t, src, cfg, "")
		require.Equal(t, 0, r.code, r.stderr)
		mu.Lock()
		defer mu.Unlock()
		return b.String() + r.stdout
	}
	a, b := trace(42), trace(42)
	assert.Equal(t, a, b, "same seed, different run")
	assert.NotEqual(t, a, trace(43), "different seeds, same schedule")
	assert.Contains(t, a, "wait Thread-2 (work) sleep")
	assert.Contains(t, a, "end Thread-5 (work)")
}

// In real-time mode a thread that never blocks is preempted after the switch
// interval when another thread waits: here the main thread spins until a
// thread it started sets a flag, which is possible only if it is preempted.
func TestPreemptionRealTime(t *testing.T) {
	src := `
state = {"flag": False}
def setter():
    state["flag"] = True
t = threading.Thread(target=setter)
# the thread runs first at start(); make it wait for the GIL instead
sys.setswitchinterval(0.001)
def spin():
    n = 0
    while not state["flag"]:
        n += 1
    return n
t2 = threading.Thread(target=lambda: time.sleep(0.01) or setter())
t2.start()
n = spin()
t2.join()
print("spun", n > 0)
`
	r := run(t, src, interp.SchedConfig{}, "")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "spun True\n", r.stdout)
}

// Python's exit: the main module's end waits for non-daemon threads; daemon
// threads are stopped, even in an endless loop or a blocking wait.
func TestExitWaitsForNonDaemonAndStopsDaemon(t *testing.T) {
	src := `
def late():
    time.sleep(0.05)
    print("non-daemon finished")
def forever():
    while True:
        pass
def blocked():
    time.sleep(10000)
threading.Thread(target=late).start()
threading.Thread(target=forever, daemon=True).start()
threading.Thread(target=blocked, daemon=True).start()
print("main done")
`
	before := runtime.NumGoroutine()
	for _, cfg := range []interp.SchedConfig{{}, sim} {
		r := run(t, src, cfg, "")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "main done\nnon-daemon finished\n", r.stdout)
		assert.Empty(t, r.stderr)
	}
	// Every thread's goroutine is gone: nothing outlives the run.
	// (Polled by hand: assert.Eventually runs goroutines of its own.)
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines outlived the run") {
		buf := make([]byte, 1<<20)
		t.Logf("%s", buf[:runtime.Stack(buf, true)])
	}
}

// A deadlock that only shows at exit (the main module ended, a non-daemon
// thread waits forever) is reported too.
func TestDeadlockAtExit(t *testing.T) {
	src := `
l = threading.Lock()
l.acquire()
threading.Thread(target=l.acquire, name="stuck").start()
`
	r := run(t, src, interp.SchedConfig{}, "")
	assert.Equal(t, 3, r.code)
	assert.Contains(t, r.stderr, "stuck")
	assert.Contains(t, r.stderr, "waits for Lock.acquire (held by MainThread)")
	assert.Contains(t, r.stderr, "MainThread  waits for join stuck")
}

// A timed wait is no deadlock: the timer will wake it.
func TestTimedWaitIsNoDeadlock(t *testing.T) {
	src := `
l = threading.Lock()
l.acquire()
print(l.acquire(timeout=0.05))
`
	for _, cfg := range []interp.SchedConfig{{}, sim} {
		r := run(t, src, cfg, "")
		assert.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "False\n", r.stdout)
	}
}

// One print call is one write: lines from many threads never mix.
func TestPrintIsWhole(t *testing.T) {
	src := `
def talk(n):
    for i in range(20):
        print("thread", n, "line", i, "x" * 200)
ts = [threading.Thread(target=talk, args=(i,)) for i in range(10)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("a", "b", sep="-", end="!\n")
print()
`
	r := run(t, src, interp.SchedConfig{SwitchInterval: time.Microsecond}, "")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 202)
	for _, l := range lines[:200] {
		assert.Regexp(t, `^thread \d line \d+ x{200}$`, l)
	}
	assert.Equal(t, "a-b!", lines[200])
	assert.Equal(t, "", lines[201])
}

// input() reads stdin line by line; at the end it raises EOFError. While
// it waits, other threads run.
func TestInput(t *testing.T) {
	r := run(t, "print(input('a? '))\nprint(input())\ninput()\n", interp.SchedConfig{}, "one\ntwo")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "a? one\ntwo\n", r.stdout)
	assert.Contains(t, r.stderr, "EOFError: EOF when reading a line")

	pr, pw := io.Pipe()
	defer pw.Close()
	src := `
def ticker():
    print("tick")
threading.Thread(target=lambda: time.sleep(0.02) or ticker()).start()
print("got", input())
`
	go func() {
		time.Sleep(200 * time.Millisecond) // long after the ticker ran
		io.WriteString(pw, "line\n")
	}()
	r = runFrom(t, src, interp.SchedConfig{}, runtest.Options{StdinReader: pr})
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "tick\ngot line\n", r.stdout, "the thread ran while input() waited")
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "lib"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lib", "helper.star"), []byte("load('other.star', 'base')\ndef double(x):\n    return base * x\nname = __name__\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lib", "other.star"), []byte("base = 2\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.star"), []byte("load('lib/helper.star', 'double', 'name')\nprint(double(21), name)\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cycle.star"), []byte("load('cycle.star', 'x')\n"), 0o644))
	var stdout, stderr bytes.Buffer
	it := interp.New(interp.Options{Stdout: &stdout, Stderr: &stderr, Predeclared: builtins.Predeclared})
	assert.Equal(t, 0, it.RunFile(filepath.Join(dir, "main.star")), stderr.String())
	assert.Equal(t, "42 helper\n", stdout.String())

	stderr.Reset()
	it = interp.New(interp.Options{Stdout: &stdout, Stderr: &stderr, Predeclared: builtins.Predeclared})
	assert.Equal(t, 1, it.RunFile(filepath.Join(dir, "cycle.star")))
	assert.Contains(t, stderr.String(), "cycle")
}

// Interrupt raises KeyboardInterrupt in the main thread: caught by try_, it
// does not come back by itself.
func TestInterruptCaught(t *testing.T) {
	src := `
def body():
    print("ready")
    while True:
        pass
try_(body, except_=(KeyboardInterrupt, lambda e: print("caught")))
n = 0
for i in range(200000):
    n += 1
time.sleep(0.01)
print("after", n)
`
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	it := interp.New(interp.Options{Stdout: pw, Stderr: &stderr, Predeclared: builtins.Predeclared})
	done := make(chan int, 1)
	go func() { done <- it.Run("t.star", []byte(src)); pw.Close() }()
	buf := make([]byte, 6)
	_, err := io.ReadFull(pr, buf)
	require.NoError(t, err)
	assert.Equal(t, "ready\n", string(buf))
	it.Interrupt()
	rest, _ := io.ReadAll(pr)
	assert.Equal(t, 0, <-done, stderr.String())
	assert.Equal(t, "caught\nafter 200000\n", string(rest))
}
