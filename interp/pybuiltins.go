package interp

import (
	"math"
	"math/big"
	"reflect"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// pyBuiltins are Python built-ins that Starlark lacks or spells otherwise:
// type (a class, pytypes.go), format, divmod, pow, hex, oct, bin,
// callable, id, iter and next. Messages are CPython's.
func pyBuiltins(classes starlark.StringDict) starlark.StringDict {
	d := starlark.StringDict{
		"type": starlark.NewBuiltin("type", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var x starlark.Value
			if err := starlark.UnpackPositionalArgs("type", args, kwargs, 1, &x); err != nil {
				return nil, Errorf(TypeError, "type() takes 1 argument")
			}
			return typeOf(classes, x), nil
		}),
		"format": starlark.NewBuiltin("format", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var x starlark.Value
			spec := ""
			if err := starlark.UnpackPositionalArgs("format", args, kwargs, 1, &x, &spec); err != nil {
				return nil, err
			}
			s, err := formatValue(x, spec)
			return starlark.String(s), err
		}),
		"divmod":   starlark.NewBuiltin("divmod", builtinDivmod),
		"pow":      starlark.NewBuiltin("pow", builtinPow),
		"hex":      intText("hex", 16, "0x"),
		"oct":      intText("oct", 8, "0o"),
		"bin":      intText("bin", 2, "0b"),
		"callable": starlark.NewBuiltin("callable", builtinCallable),
		"id":       starlark.NewBuiltin("id", builtinID),
		"iter":     starlark.NewBuiltin("iter", builtinIter),
		"next":     starlark.NewBuiltin("next", builtinNext),
	}
	for k, v := range functionalBuiltins() {
		d[k] = v
	}
	return d
}

func isNumber(v starlark.Value) bool {
	switch v.(type) {
	case starlark.Int, starlark.Float, starlark.Bool:
		return true
	}
	return false
}

func boolToInt(v starlark.Value) starlark.Value {
	if b, ok := v.(starlark.Bool); ok {
		if b {
			return starlark.MakeInt(1)
		}
		return starlark.MakeInt(0)
	}
	return v
}

// divmod(a, b) is (a // b, a % b), with Python's floor semantics.
func builtinDivmod(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	if err := starlark.UnpackPositionalArgs("divmod", args, kwargs, 2, &x, &y); err != nil {
		return nil, err
	}
	if !isNumber(x) || !isNumber(y) {
		return nil, Errorf(TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'", PyTypeName(x), PyTypeName(y))
	}
	x, y = boolToInt(x), boolToInt(y)
	if f, ok := asFloat(y); ok && f == 0 {
		_, xf := x.(starlark.Float)
		_, yf := y.(starlark.Float)
		if xf || yf {
			return nil, Errorf(ZeroDivisionError, "float divmod()")
		}
		return nil, Errorf(ZeroDivisionError, "integer division or modulo by zero")
	}
	q, err := starlark.Binary(syntax.SLASHSLASH, x, y)
	if err != nil {
		return nil, err
	}
	r, err := starlark.Binary(syntax.PERCENT, x, y)
	if err != nil {
		return nil, err
	}
	return starlark.Tuple{q, r}, nil
}

// pow(base, exp, mod=None) is base ** exp (Starlark has no ** operator).
func builtinPow(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	var mod starlark.Value = starlark.None
	if err := starlark.UnpackArgs("pow", args, kwargs, "base", &x, "exp", &y, "mod?", &mod); err != nil {
		return nil, err
	}
	if !isNumber(x) || !isNumber(y) {
		if mod != starlark.None {
			return nil, Errorf(TypeError, "unsupported operand type(s) for pow(): '%s', '%s', '%s'", PyTypeName(x), PyTypeName(y), PyTypeName(mod))
		}
		return nil, Errorf(TypeError, "unsupported operand type(s) for ** or pow(): '%s' and '%s'", PyTypeName(x), PyTypeName(y))
	}
	x, y = boolToInt(x), boolToInt(y)
	xi, xInt := x.(starlark.Int)
	yi, yInt := y.(starlark.Int)
	if mod != starlark.None {
		m, ok := boolToInt(mod).(starlark.Int)
		if !xInt || !yInt || !ok {
			return nil, Errorf(TypeError, "pow() 3rd argument not allowed unless all arguments are integers")
		}
		if m.Sign() == 0 {
			return nil, Errorf(ValueError, "pow() 3rd argument cannot be 0")
		}
		if yi.Sign() < 0 {
			return nil, Errorf(ValueError, "pow() 2nd argument cannot be negative when 3rd argument specified")
		}
		r := new(big.Int).Exp(xi.BigInt(), yi.BigInt(), new(big.Int).Abs(m.BigInt()))
		if m.Sign() < 0 && r.Sign() != 0 {
			r.Add(r, m.BigInt())
		}
		return starlark.MakeBigInt(r), nil
	}
	if xInt && yInt && yi.Sign() >= 0 {
		e, ok := yi.Int64()
		if !ok || e > 1<<20 {
			return nil, Errorf(OverflowError, "exponent too large")
		}
		return starlark.MakeBigInt(new(big.Int).Exp(xi.BigInt(), big.NewInt(e), nil)), nil
	}
	xf, _ := asFloat(x)
	yf, _ := asFloat(y)
	if xf == 0 && yf < 0 {
		return nil, Errorf(ZeroDivisionError, "0.0 cannot be raised to a negative power")
	}
	r := math.Pow(xf, yf)
	if math.IsNaN(r) && !math.IsNaN(xf) && !math.IsNaN(yf) {
		return nil, Errorf(ValueError, "math domain error (a negative number to a fractional power is complex in Python; starlab has no complex numbers)")
	}
	if math.IsInf(r, 0) && !math.IsInf(xf, 0) && !math.IsInf(yf, 0) {
		return nil, Errorf(OverflowError, "(34, 'Numerical result out of range')")
	}
	return starlark.Float(r), nil
}

// intText is hex, oct or bin: an int in that base with Python's prefix.
func intText(name string, base int, prefix string) *starlark.Builtin {
	return starlark.NewBuiltin(name, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var x starlark.Value
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &x); err != nil {
			return nil, err
		}
		n, ok := boolToInt(x).(starlark.Int)
		if !ok {
			return nil, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", PyTypeName(x))
		}
		v := n.BigInt()
		sign := ""
		if v.Sign() < 0 {
			sign = "-"
			v.Neg(v)
		}
		return starlark.String(sign + prefix + v.Text(base)), nil
	})
}

func builtinCallable(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs("callable", args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	_, ok := x.(starlark.Callable)
	return starlark.Bool(ok), nil
}

// id(x) is an identity: the address of a value held by pointer, so two
// names for one list have the same id and two equal lists do not; for an
// immutable value (a number, a string) its hash, as equal ones are
// interchangeable.
func builtinID(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs("id", args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	return starlark.MakeUint64(valueID(x)), nil
}

func valueID(x starlark.Value) uint64 {
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return uint64(rv.Pointer())
	case reflect.Slice:
		if rv.Len() > 0 {
			return uint64(rv.Pointer())
		}
	}
	h, err := x.Hash()
	if err != nil {
		return 0
	}
	return 0x7f0000000000 | uint64(h)
}
