package interp

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Bytes is Python's bytes: an immutable sequence of small ints. Unlike
// Starlark's bytes, b[0] is an int, iterating gives ints, str(b) is
// "b'...'", and it has Python's methods (decode, split, strip, find,
// replace, join, hex, ...). Make one with NewBytes; the b"..." literals of a
// script, bytes(...), s.encode() and what sockets and binary files give are
// Bytes (the syntax pass turns literals into calls of the hidden __b__).
//
// It is a string underneath, as Starlark's own bytes are: immutable, so
// safe to share between threads without copying.
type Bytes string

// NewBytes returns the bytes value holding a copy of b.
func NewBytes(b []byte) Bytes { return Bytes(b) }

var (
	_ starlark.Comparable = Bytes("")
	_ starlark.Sliceable  = Bytes("")
	_ starlark.Iterable   = Bytes("")
	_ starlark.HasAttrs   = Bytes("")
	_ starlark.HasBinary  = Bytes("")
	_ starlark.Container  = Bytes("")
)

func (b Bytes) String() string        { return bytesRepr(string(b)) }
func (b Bytes) Type() string          { return "bytes" }
func (b Bytes) Freeze()               {}
func (b Bytes) Truth() starlark.Bool  { return len(b) > 0 }
func (b Bytes) Hash() (uint32, error) { return starlark.String(b).Hash() }
func (b Bytes) Len() int              { return len(b) }

// Index is b[i]: an int, as in Python 3.
func (b Bytes) Index(i int) starlark.Value { return starlark.MakeInt(int(b[i])) }

func (b Bytes) Slice(start, end, step int) starlark.Value {
	if step == 1 {
		if start >= end {
			return Bytes("")
		}
		return b[start:end]
	}
	var out []byte
	for i := start; (step > 0 && i < end) || (step < 0 && i > end); i += step {
		out = append(out, b[i])
	}
	return Bytes(out)
}

func (b Bytes) Iterate() starlark.Iterator { return &bytesIterator{b: b} }

type bytesIterator struct {
	b Bytes
	i int
}

func (it *bytesIterator) Next(p *starlark.Value) bool {
	if it.i >= len(it.b) {
		return false
	}
	*p = starlark.MakeInt(int(it.b[it.i]))
	it.i++
	return true
}
func (it *bytesIterator) Done() {}

func (b Bytes) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	c := strings.Compare(string(b), string(y.(Bytes)))
	switch op {
	case syntax.EQL:
		return c == 0, nil
	case syntax.NEQ:
		return c != 0, nil
	case syntax.LT:
		return c < 0, nil
	case syntax.LE:
		return c <= 0, nil
	case syntax.GT:
		return c > 0, nil
	case syntax.GE:
		return c >= 0, nil
	}
	return false, nil
}

// Has is `x in b`: a bytes-like subsequence or an int in range(256).
func (b Bytes) Has(x starlark.Value) (bool, error) {
	if n, ok := x.(starlark.Int); ok {
		v, ok := n.Int64()
		if !ok || v < 0 || v > 255 {
			return false, Errorf(ValueError, "byte must be in range(0, 256)")
		}
		return strings.IndexByte(string(b), byte(v)) >= 0, nil
	}
	s, err := bytesArg(x)
	if err != nil {
		return false, err
	}
	return strings.Contains(string(b), s), nil
}

// Binary is b + other, b * n and b % args.
func (b Bytes) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	switch op {
	case syntax.PLUS:
		s, ok := asBytesLike(y)
		if !ok {
			if side == starlark.Left {
				return nil, Errorf(TypeError, "can't concat %s to bytes", PyTypeName(y))
			}
			return nil, nil
		}
		if side == starlark.Left {
			return b + Bytes(s), nil
		}
		return Bytes(s) + b, nil
	case syntax.STAR:
		n, ok := y.(starlark.Int)
		if !ok {
			return nil, nil
		}
		k, _ := n.Int64()
		if k <= 0 {
			return Bytes(""), nil
		}
		if k*int64(len(b)) > 1<<30 {
			return nil, Errorf(MemoryError, "repeated bytes are too large")
		}
		return Bytes(strings.Repeat(string(b), int(k))), nil
	case syntax.PERCENT:
		if side == starlark.Left {
			return percentBytes(string(b), y)
		}
	}
	return nil, nil
}

// AsBytes reads a bytes argument of a module (socket's send, a binary
// file's write, a path): Python's bytes, or Starlark's if any arises.
func AsBytes(v starlark.Value) (string, bool) { return asBytesLike(v) }

// asBytesLike reads Python's bytes or Starlark's.
func asBytesLike(v starlark.Value) (string, bool) {
	switch v := v.(type) {
	case Bytes:
		return string(v), true
	case starlark.Bytes:
		return string(v), true
	}
	return "", false
}

// bytesArg is asBytesLike with Python's error for anything else.
func bytesArg(v starlark.Value) (string, error) {
	if s, ok := asBytesLike(v); ok {
		return s, nil
	}
	return "", Errorf(TypeError, "a bytes-like object is required, not '%s'", PyTypeName(v))
}

// percentBytes is b"%d" % args: Python's bytes formatting, in which %s
// takes bytes (a str is refused) and everything else is as for str.
func percentBytes(format string, args starlark.Value) (starlark.Value, error) {
	conv := func(v starlark.Value) (starlark.Value, error) {
		switch v := v.(type) {
		case Bytes:
			return rawText(v), nil
		case starlark.Bytes:
			return rawText(v), nil
		case starlark.String:
			return nil, Errorf(TypeError, "%%b requires a bytes-like object, or an object that implements __bytes__, not 'str'")
		}
		return v, nil
	}
	var err error
	switch a := args.(type) {
	case starlark.Tuple:
		t := make(starlark.Tuple, len(a))
		for i, v := range a {
			if t[i], err = conv(v); err != nil {
				return nil, err
			}
		}
		args = t
	default:
		if args, err = conv(a); err != nil {
			return nil, err
		}
	}
	s, err := percent(strings.ReplaceAll(format, "%b", "%s"), args)
	if err != nil {
		return nil, err
	}
	return Bytes(s.(starlark.String)), nil
}

// rawText is a bytes argument of %s in bytes formatting: PyStr gives its
// bytes as they are, not its repr.
type rawText string

func (r rawText) String() string        { return string(r) }
func (r rawText) Type() string          { return "bytes" }
func (r rawText) Freeze()               {}
func (r rawText) Truth() starlark.Bool  { return len(r) > 0 }
func (r rawText) Hash() (uint32, error) { return starlark.String(r).Hash() }

func (b Bytes) Attr(name string) (starlark.Value, error) {
	if m := bytesMethods[name]; m != nil {
		return m.BindReceiver(b), nil
	}
	return nil, nil
}

func (b Bytes) AttrNames() []string { return SortedAttrNames(bytesMethods) }
