package builtins_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// Fuzz targets for issue 16: every size a script controls reaches a builtin
// huge, negative or of the wrong type, and the run must end with a Python
// error or a verdict: never a Go fatal error (which would kill the fuzzer),
// never a SystemError ("internal error"), never a hang. One target per
// module area; `go test` runs each one's seed corpus (every call with every
// size below), `go test -fuzz FuzzCoreSizes` explores further.

// fuzzSizes are the size expressions every call is tried with; the fuzzer's
// own int64 is used past them.
var fuzzSizes = []string{
	"1 << 62", "1 << 40", "(1 << 30) - 1", "1 << 31", "1 << 63", "1 << 70", "-1", "-(1 << 62)",
	"0", "3", "'x'", "None", "1.5", "[]", "True", "float('inf')", "float('nan')",
}

var (
	coreSizeCalls = []string{
		"list(range(%s))", "tuple(range(%s))", "sorted(range(%s))", "set(range(%s))",
		"dict(zip(range(%s), range(3)))", "list(enumerate(range(%s)))", "list(reversed(range(%s)))",
		"sum(range(%s))", "max(range(%s))", "any(range(%s))", "bytes(%s)", "'x' * %s", "%s * 'ab'",
		"[0] * %s", "(0, 1) * %s", "'%%s' %% (%s,)", "'{}'.format(%s)", "range(%s)[-1]", "str(%s)",
		"round(1.5, %s)", "'a,b'.split(',', %s)", "'abc'.replace('a', 'b', %s)", "'abc'[%s]",
		"' '.join(['a'] * %s)", "len(range(%s))", "list(range(0, %s, 1 << 40))", "repr([%s] * 3)",
	}
	randomSizeCalls = []string{
		"random.getrandbits(%s)", "random.sample(range(10), %s)", "random.sample(range(1 << 62), %s)",
		"random.choices([1, 2], k = %s)", "random.randrange(%s)", "random.randint(0, %s)",
		"random.seed(%s)", "random.uniform(0, %s)", "random.choice(range(%s))",
		"random.sample([1, 2, 3], 2, counts = [%s, 1, 1])",
	}
	ioSizeCalls = []string{
		"open('/dev/null').read(%s)", "open('/dev/null').readline(%s)", "open('/dev/null').readlines(%s)",
		"open('/dev/null', 'rb').read(%s)", "open('/dev/null', buffering = %s)",
	}
	selectSizeCalls = []string{
		"select.epoll().poll(0, %s)", "select.epoll(%s)", "select.poll().register(0, %s)",
		"select.select([], [], [], 0 * %s)", "socket.socket().listen(%s)", "socket.socket().settimeout(%s)",
	}
	threadingSizeCalls = []string{
		"queue.Queue(%s).put(1)", "queue.Queue().get(timeout = %s)", "threading.Semaphore(%s).acquire(timeout = 0)",
		"threading.Barrier(%s).n_waiting", "time.sleep(%s)", "threading.Event().wait(%s)",
		"threading.Lock().acquire(timeout = %s)", "threading.Thread(target = len, args = ([0] * %s,)).start()",
		"sys.setswitchinterval(%s)",
	}
)

// fuzzSizeCall runs one call with one size and checks how the run ended.
func fuzzSizeCall(t *testing.T, calls []string, sim bool, call, size uint8, n int64) {
	shape := calls[int(call)%len(calls)]
	sz := fmt.Sprint(n)
	if int(size) < len(fuzzSizes) {
		sz = fuzzSizes[size]
	}
	src := "try_(lambda: " + strings.ReplaceAll(shape, "%s", sz) + ", except_ = [(Exception, lambda e: print(type(e), e))])\n"
	src = strings.ReplaceAll(src, "%%", "%")
	var stdout, stderr bytes.Buffer
	it := interp.New(interp.Options{
		Stdout: &stdout, Stderr: &stderr, Predeclared: builtins.Predeclared,
		Sched: interp.SchedConfig{Sim: sim, Seed: 1, MaxSteps: 1_000_000, MaxTime: 2 * time.Second, MaxMemory: 256 << 20},
	})
	done := make(chan int, 1)
	go func() { done <- it.Run("fuzz.star", []byte(src)) }()
	select {
	case code := <-done:
		if code != 0 && code != 1 && code != 3 && code != interp.ExitStopped { // 3: a deadlock, a verdict too
			t.Fatalf("exit %d for\n%s\nstderr:\n%s", code, src, stderr.String())
		}
	case <-time.After(20 * time.Second):
		it.Sched().Stop("fuzz: hang")
		t.Fatalf("hang for\n%s", src)
	}
	if out := stdout.String() + stderr.String(); strings.Contains(out, "internal error") || strings.Contains(out, "SystemError") {
		t.Fatalf("internal error for\n%s\n%s", src, out)
	}
}

// fuzzSizesTarget seeds f with every call and size, then fuzzes.
func fuzzSizesTarget(f *testing.F, calls []string, sim bool) {
	for c := range calls {
		for s := range fuzzSizes {
			f.Add(uint8(c), uint8(s), int64(0))
		}
	}
	f.Add(uint8(0), uint8(255), int64(-9223372036854775808))
	f.Fuzz(func(t *testing.T, call, size uint8, n int64) {
		fuzzSizeCall(t, calls, sim, call, size, n)
	})
}

func FuzzCoreSizes(f *testing.F)      { fuzzSizesTarget(f, coreSizeCalls, true) }
func FuzzRandomSizes(f *testing.F)    { fuzzSizesTarget(f, randomSizeCalls, true) }
func FuzzIOSizes(f *testing.F)        { fuzzSizesTarget(f, ioSizeCalls, false) }
func FuzzSelectSizes(f *testing.F)    { fuzzSizesTarget(f, selectSizeCalls, false) }
func FuzzThreadingSizes(f *testing.F) { fuzzSizesTarget(f, threadingSizeCalls, true) }
