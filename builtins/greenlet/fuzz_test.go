package greenlet_test

import (
	"strings"
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// The fuzzer builds a program of greenlets that switch to each other, throw
// into each other, change parents and end in any order, from these pieces.
var (
	fuzzValues = []string{"None", "1", "'s'", "()", "(1, 2)", "{'k': 1}", "ValueError", "ValueError('v')", "GreenletExit", "KeyboardInterrupt"}
	fuzzSteps  = []string{
		"G%d.switch(%s)", "G%d.throw(%s)", "G%d.switch(a = %s)", "greenlet.getcurrent().switch(%s)",
		"MAIN.switch(%s)", "setparent(G%d, G%d)", "G%d.dead", "G%d.parent", "greenlet.greenlet(%s).switch()",
		"1 // 0", "fail('x')",
	}
)

// buildProgram turns fuzz bytes into 3 greenlets, each running a few
// steps, and a main part that starts them.
func buildProgram(data []byte) string {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := int(data[0])
		data = data[1:]
		return b
	}
	step := func() string {
		s := fuzzSteps[next()%len(fuzzSteps)]
		for strings.Contains(s, "%") {
			if strings.HasPrefix(s[strings.Index(s, "%"):], "%d") {
				s = strings.Replace(s, "%d", string(rune('0'+next()%3)), 1)
			} else {
				s = strings.Replace(s, "%s", fuzzValues[next()%len(fuzzValues)], 1)
			}
		}
		return "    try_(lambda: " + s + ", except_ = [(Exception, lambda e: print(type(e)))])\n"
	}
	var b strings.Builder
	b.WriteString("GreenletExit = greenlet.GreenletExit\nMAIN = greenlet.getcurrent()\n")
	b.WriteString("def setparent(g, p):\n    g.parent = p\n")
	for i := 0; i < 3; i++ {
		b.WriteString("def body" + string(rune('0'+i)) + "(*args, **kwargs):\n    print('in', " + string(rune('0'+i)) + ", args)\n")
		for j := next() % 4; j >= 0; j-- {
			b.WriteString(step())
		}
		b.WriteString("    return " + string(rune('0'+i)) + "\n")
	}
	b.WriteString("G0 = greenlet.greenlet(body0)\nG1 = greenlet.greenlet(body1)\nG2 = greenlet.greenlet(body2)\n")
	b.WriteString("def main():\n")
	for j := next() % 4; j >= 0; j-- {
		b.WriteString(step())
	}
	b.WriteString("main()\nprint('end')\n")
	return b.String()
}

// FuzzGreenlets: whatever the program does with switch, throw and parent,
// the run ends (exit 0, 1 for an uncaught exception, 130 for an uncaught
// KeyboardInterrupt, 3 for a deadlock report), never a hang, never an
// internal error, and a sim run replays byte for byte.
func FuzzGreenlets(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 0, 1, 1, 0, 2, 1, 2, 0, 0}, {1, 1, 2, 3, 4, 0, 0, 1, 0, 0}, {3, 4, 1, 5, 0, 1, 2, 0, 3, 1, 1},
		{2, 5, 2, 9, 1, 0, 2, 2, 1, 0, 0, 0, 8, 3}, {1, 9, 2, 10, 3, 8, 0, 0, 0, 1, 2, 3, 4, 5},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src := []byte(buildProgram(data))
		cfg := interp.SchedConfig{Sim: true, Seed: 1}
		code, out, errs := runtest.Outcome(t, "fuzz.star", src, cfg)
		switch code {
		case 0, 1, 3, 130:
		default:
			t.Fatalf("exit %d for\n%s\nstderr:\n%s", code, src, errs)
		}
		if strings.Contains(out+errs, "internal error") {
			t.Fatalf("internal error for\n%s\n%s%s", src, out, errs)
		}
		_, again, _ := runtest.Outcome(t, "fuzz.star", src, cfg)
		if again != out {
			t.Fatalf("sim run did not replay for\n%s", src)
		}
	})
}
