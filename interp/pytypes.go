package interp

import (
	"strconv"
	"strings"
	"unsafe"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// PyClass is a Python built-in type as a value: what type(x) returns, and
// what the names int, float, str, bool, list, tuple, dict, set and bytes
// are bound to, so that type(1) == int, print(type("s")) shows
// <class 'str'> and type(x).__name__ works, as in Python. Calling one calls
// the constructor it wraps (Starlark's own, or starlab's where Python's
// differs, such as int(" 42\n")).
//
// Two PyClass values are equal when their names are: a class is known by
// its name, and type(x) may build one on the fly for a type with no
// predeclared name (NoneType, function, Thread, ...).
type PyClass struct {
	name string
	new  func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)
	// is reports whether a value's Starlark type makes it an instance.
	is func(v starlark.Value) bool
}

var (
	_ starlark.Callable   = (*PyClass)(nil)
	_ starlark.HasAttrs   = (*PyClass)(nil)
	_ starlark.Comparable = (*PyClass)(nil)
)

// Name is the class's name ("int").
func (c *PyClass) Name() string { return c.name }

func (c *PyClass) String() string        { return "<class '" + c.name + "'>" }
func (c *PyClass) Type() string          { return "type" }
func (c *PyClass) Freeze()               {}
func (c *PyClass) Truth() starlark.Bool  { return true }
func (c *PyClass) Hash() (uint32, error) { return starlark.String(c.name).Hash() }

func (c *PyClass) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	same := c.name == y.(*PyClass).name
	switch op {
	case syntax.EQL:
		return same, nil
	case syntax.NEQ:
		return !same, nil
	}
	return false, Errorf(TypeError, "'%s' not supported between instances of 'type' and 'type'", op)
}

func (c *PyClass) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__", "__qualname__":
		return starlark.String(c.name), nil
	}
	return nil, nil
}

func (c *PyClass) AttrNames() []string { return []string{"__name__", "__qualname__"} }

func (c *PyClass) CallInternal(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if c.new == nil {
		return nil, Errorf(TypeError, "cannot create '%s' instances", c.name)
	}
	return c.new(th, args, kwargs)
}

// IsInstance is isinstance(v, c); bool counts as an int, as in Python.
func (c *PyClass) IsInstance(v starlark.Value) bool {
	if c.is != nil {
		return c.is(v)
	}
	return PyTypeName(v) == c.name
}

// universeCall returns a constructor that calls Starlark's builtin name.
func universeCall(name string) func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	fn := starlark.Universe[name]
	return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Call(th, fn, args, kwargs)
	}
}

// builtinClasses are the type names bound to PyClass values. str and bytes
// wrap starlab's own constructors (core.go); int and float accept the
// surrounding whitespace Python accepts (socket and file input ends in a
// newline).
func builtinClasses() starlark.StringDict {
	d := starlark.StringDict{}
	for _, name := range []string{"bool", "list", "tuple", "dict", "set"} {
		d[name] = &PyClass{name: name, new: universeCall(name)}
	}
	d["int"] = &PyClass{name: "int", new: trimmedNumber("int"), is: func(v starlark.Value) bool {
		t := v.Type()
		return t == "int" || t == "bool"
	}}
	d["float"] = &PyClass{name: "float", new: trimmedNumber("float")}
	d["str"] = &PyClass{name: "str", new: builtinCall("str", builtinStr)}
	d["bytes"] = &PyClass{name: "bytes", new: builtinCall("bytes", builtinBytes)}
	return d
}

func builtinCall(name string, fn func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	b := starlark.NewBuiltin(name, fn)
	return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return starlark.Call(th, b, args, kwargs)
	}
}

// trimmedNumber is int() or float() that, like Python's, ignores the
// whitespace around a number in a string: int(" 42\n") is 42.
func trimmedNumber(name string) func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	call := universeCall(name)
	return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) > 0 {
			switch s := args[0].(type) {
			case starlark.String:
				if t := strings.TrimSpace(string(s)); len(t) != len(s) && t != "" {
					args = append(starlark.Tuple{starlark.String(t)}, args[1:]...)
				}
			case starlark.Bytes, Bytes:
				if len(args) == 1 { // int(b"42"), float(b"1.5")
					b, _ := asBytesLike(s)
					args = starlark.Tuple{starlark.String(strings.TrimSpace(b))}
				}
			}
		}
		return call(th, args, kwargs)
	}
}

// typeOf is type(x): a class value. Exceptions give their exception class;
// a value of a type with a predeclared class gives that class.
func typeOf(classes starlark.StringDict, x starlark.Value) starlark.Value {
	switch x := x.(type) {
	case *Exception:
		return x.class
	case *ExceptionClass, *PyClass:
		return &PyClass{name: "type"}
	}
	name := PyTypeName(x)
	if c, ok := classes[name]; ok {
		return c
	}
	return &PyClass{name: name}
}

// hexAddr is an address as Python prints one in a repr (0x7f...).
func hexAddr(p unsafe.Pointer) string { return strconv.FormatUint(uint64(uintptr(p)), 16) }
