package interp

import (
	"strings"

	"go.starlark.net/starlark"
)

// maxIntStrDigits is CPython 3.11's limit on converting a decimal string to
// an int (sys.get_int_max_str_digits()): the conversion is quadratic, so
// int("9" * 10**8) would keep a Go builtin busy for minutes, where neither
// Ctrl-C nor a time limit reaches it. CPython refuses it at once.
const maxIntStrDigits = 4300

// wrapIntDigits makes int() refuse a string of more than maxIntStrDigits
// digits in a base that is not a power of two, with CPython's message.
func wrapIntDigits(predeclared starlark.StringDict) {
	wrapCall(predeclared, "int", func(orig *starlark.Builtin) callFunc {
		return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if len(args) > 0 {
				if s, ok := args[0].(starlark.String); ok && len(s) > maxIntStrDigits {
					var base starlark.Value = starlark.MakeInt(10)
					if len(args) > 1 {
						base = args[1]
					}
					for _, kv := range kwargs {
						if kv[0] == starlark.String("base") {
							base = kv[1]
						}
					}
					if n := decimalDigits(string(s), base); n > maxIntStrDigits {
						return nil, Errorf(ValueError, "Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit", maxIntStrDigits, n)
					}
				}
			}
			return starlark.Call(th, orig, args, kwargs)
		}
	})
}

// decimalDigits counts the digits of s that CPython's limit applies to: 0
// for a base that is a power of two (or base 0 with a 0x, 0o or 0b prefix),
// whose conversion is linear.
func decimalDigits(s string, base starlark.Value) int {
	b, ok := base.(starlark.Int)
	if !ok {
		return 0 // a bad base: int's own error
	}
	bi, _ := b.Int64()
	t := strings.TrimLeft(strings.TrimSpace(s), "+-")
	switch {
	case bi == 2 || bi == 4 || bi == 8 || bi == 16 || bi == 32:
		return 0
	case bi == 0 && len(t) > 1 && t[0] == '0' && strings.ContainsRune("xXoObB", rune(t[1])):
		return 0
	}
	n := 0
	for i := 0; i < len(t); i++ {
		if t[i] != '_' {
			n++
		}
	}
	return n
}
