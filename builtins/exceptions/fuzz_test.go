package exceptions_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// fuzzValues are the argument expressions the fuzzer combines: right and
// wrong kinds of values for every parameter of the exception builtins.
var fuzzValues = []string{
	"None", "1", "-1", "'s'", "b'x'", "[]", "()", "{}", "True",
	"ValueError", "Exception", "BaseException", "KeyboardInterrupt", "SystemExit",
	"ValueError('v')", "KeyError('k')",
	"(ValueError, KeyError)", "(ValueError, 1)", "((ValueError,),)",
	"lambda: None", "lambda: 1", "lambda: raise_(ValueError('x'))", "lambda: raise_()",
	"lambda: raise_(KeyboardInterrupt)", "lambda: int('z')", "lambda: {}['k']",
	"lambda e: None", "lambda e: raise_()", "lambda e: raise_(e)", "lambda a, b: None",
	"[(ValueError, lambda e: 1)]", "[(Exception, lambda: 2)]", "[(1, 2)]", "[1]", "[(ValueError,)]",
	"(ValueError, lambda e: 3)", "[((ValueError, KeyError), lambda e: raise_())]",
	"exception('E')", "exception('E', KeyError)", "len", "try_", "raise_",
}

// fuzzCalls are the shapes of call the fuzzer fills with values.
var fuzzCalls = []string{
	"try_(%s)", "try_(%s, except_=%s)", "try_(%s, except_=%s, else_=%s)",
	"try_(%s, except_=%s, else_=%s, finally_=%s)", "try_(%s, finally_=%s)",
	"try_(body=%s, %s)", "raise_(%s)", "raise_(%s, %s)", "raise_()",
	"exception(%s)", "exception(%s, %s)", "assert_(%s)", "assert_(%s, %s)",
	"isinstance(%s, %s)", "issubclass(%s, %s)", "str(%s)", "repr(%s)", "bytes(%s)", "bytes(%s, %s)",
}

// buildFuzzScript turns fuzz bytes into a script of up to four calls, each a
// call shape with values picked by the following bytes.
func buildFuzzScript(data []byte) string {
	var b strings.Builder
	for i := 0; i < 4 && len(data) > 0; i++ {
		shape := fuzzCalls[int(data[0])%len(fuzzCalls)]
		data = data[1:]
		var args []any
		for n := strings.Count(shape, "%s"); n > 0; n-- {
			v := "None"
			if len(data) > 0 {
				v = fuzzValues[int(data[0])%len(fuzzValues)]
				data = data[1:]
			}
			args = append(args, v)
		}
		call := shape
		for _, a := range args {
			call = strings.Replace(call, "%s", a.(string), 1)
		}
		// Each call on its own: an error in one does not hide the next.
		b.WriteString("try_(lambda: " + call + ", except_=[(Exception, lambda e: print(type(e), e))])\n")
	}
	return b.String()
}

// FuzzExceptionBuiltins runs random combinations of arguments through
// try_, raise_, exception, assert_, isinstance, str, repr and bytes: whatever
// they get, the run ends with a status (never a Go panic, never a hang),
// and no internal error reaches the learner.
func FuzzExceptionBuiltins(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 19}, {1, 21, 30}, {2, 22, 36, 19}, {3, 21, 30, 19, 20}, {6, 14}, {6, 9}, {8, 0},
		{9, 37, 9}, {10, 1, 2}, {13, 14, 9}, {13, 14, 16}, {14, 9, 10}, {17, 5, 3}, {3, 23, 40, 19, 22},
		{5, 19, 22}, {7, 0, 1}, {11, 1}, {12, 0, 2}, {15, 0}, {16, 14}, {18, 3, 3},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src := buildFuzzScript(data)
		var stdout, stderr bytes.Buffer
		it := interp.New(interp.Options{Stdout: &stdout, Stderr: &stderr, Predeclared: builtins.Predeclared})
		done := make(chan int, 1)
		go func() { done <- it.Run("fuzz.star", []byte(src)) }()
		select {
		case code := <-done:
			// 130: a KeyboardInterrupt raised by the script and not caught by
			// the Exception clause, as in Python.
			if code != 0 && code != 1 && code != 130 {
				t.Fatalf("exit %d for\n%s\nstderr:\n%s", code, src, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("hang for\n%s", src)
		}
		if strings.Contains(stderr.String()+stdout.String(), "internal error") {
			t.Fatalf("internal error for\n%s\n%s%s", src, stdout.String(), stderr.String())
		}
	})
}
