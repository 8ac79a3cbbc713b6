package interp

import (
	"testing"

	"go.starlark.net/starlark"
)

// FuzzFormatting feeds arbitrary formats to the formatting engine and the
// f-string rewrite: whatever the format, the result is a string or a Python
// exception, never a Go panic. `go test -fuzz FuzzFormatting ./interp/`.
func FuzzFormatting(f *testing.F) {
	for _, s := range []string{"%5.2f", "%-10s|%05d", "%(k)s", "%*.*f", "%", "%(", "{:>{w}}", "{0!r:^9}", "{:,.2f}",
		"{[0]}", "{a.b}", "{:%}", "%c", "{:010,}", "{}{}{}", "{{}}", "%.0g", "f'{x!r:>4}'", `f"{d['k']}"`, "{:99999999999}"} {
		f.Add(s)
	}
	args := starlark.Tuple{starlark.MakeInt(42), starlark.Float(-2.5), starlark.String("é"), starlark.NewList(nil)}
	dict := starlark.NewDict(1)
	dict.SetKey(starlark.String("k"), starlark.MakeInt(1))
	f.Fuzz(func(t *testing.T, format string) {
		for _, a := range []starlark.Value{args, dict, starlark.MakeInt(7), Bytes("x")} {
			percent(format, a)
			percentBytes(format, a)
		}
		strFormat(format, args, []starlark.Tuple{{starlark.String("w"), starlark.MakeInt(3)}, {starlark.String("k"), dict}})
		for _, v := range args {
			formatValue(v, format)
		}
		rewriteFStrings([]byte(format))
		rewriteImports([]byte(format))
		rewriteGlobalStmts([]byte(format))
	})
}

// TestHooksRefuseBadCalls: the hidden hooks are callable by name, so a
// learner who does gets a TypeError, not an internal error.
func TestHooksRefuseBadCalls(t *testing.T) {
	it := New(Options{})
	for _, name := range []string{methodHook, percentHook, importHook, bytesHook} {
		hook := it.predeclared[name].(*starlark.Builtin)
		for _, args := range []starlark.Tuple{nil, {starlark.MakeInt(1)}, {starlark.MakeInt(1), starlark.MakeInt(2)}, {starlark.None, starlark.String("x"), starlark.None}} {
			_, err := starlark.Call(&starlark.Thread{}, hook, args, nil)
			if err != nil {
				exc := ExceptionFromError(err)
				if exc == nil || exc.Class() == SystemError {
					t.Errorf("%s%v: %v", name, args, err)
				}
			}
		}
	}
}
