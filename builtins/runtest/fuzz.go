package runtest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/interp"
)

// Fuzzing of script-controlled sizes (issue 16): every size a script
// controls reaches a builtin huge, negative or of the wrong type, and the
// run must end with a Python error or a verdict: never a Go fatal error
// (which would kill the fuzzer), never a SystemError ("internal error"),
// never a hang. Each module package has one target over its own calls;
// `go test` runs each one's seed corpus (every call with every size below),
// `go test -fuzz FuzzRandomSizes` (say) explores further.

// FuzzSizeValues are the size expressions every call is tried with; the
// fuzzer's own int64 is used past them.
var FuzzSizeValues = []string{
	"1 << 62", "1 << 40", "(1 << 30) - 1", "1 << 31", "1 << 63", "1 << 70", "-1", "-(1 << 62)",
	"0", "3", "'x'", "None", "1.5", "[]", "True", "float('inf')", "float('nan')",
}

// FuzzSizes seeds f with every call shape (a format with %s for the size;
// %% for a literal %) and every size of FuzzSizeValues, then fuzzes.
func FuzzSizes(f *testing.F, calls []string, sim bool) {
	for c := range calls {
		for s := range FuzzSizeValues {
			f.Add(uint8(c), uint8(s), int64(0))
		}
	}
	f.Add(uint8(0), uint8(255), int64(-9223372036854775808))
	f.Fuzz(func(t *testing.T, call, size uint8, n int64) {
		fuzzSizeCall(t, calls, sim, call, size, n)
	})
}

// fuzzSizeCall runs one call with one size and checks how the run ended.
func fuzzSizeCall(t *testing.T, calls []string, sim bool, call, size uint8, n int64) {
	shape := calls[int(call)%len(calls)]
	sz := fmt.Sprint(n)
	if int(size) < len(FuzzSizeValues) {
		sz = FuzzSizeValues[size]
	}
	src := "try_(lambda: " + strings.ReplaceAll(shape, "%s", sz) + ", except_ = [(Exception, lambda e: print(type(e), e))])\n"
	src = strings.ReplaceAll(src, "%%", "%")
	var stdout, stderr bytes.Buffer
	it := interp.New(interp.Options{
		Stdout: &stdout, Stderr: &stderr, Predeclared: Predeclared,
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
