package interp

import (
	"errors"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// The hidden builtins that the dialect's front end calls (dialect.go,
// pypass.go): __import__ for import statements, __percent__ for
// "literal" % args, __method__ for the hooked method names, __b__ for
// b"..." literals, __globals__ for the variables a
// global statement declares (pyglobals.go). Their names start with two
// underscores, as Python's own hooks do; a learner never writes them.

// dialectHooks returns the hooks of one run.
func (it *Interp) dialectHooks() starlark.StringDict {
	return starlark.StringDict{
		importHook:  starlark.NewBuiltin(importHook, it.builtinImport),
		percentHook: starlark.NewBuiltin(percentHook, builtinPercent),
		methodHook: starlark.NewBuiltin(methodHook, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return builtinMethod(th, args, kwargs)
		}),
		cellsHook: starlark.NewBuiltin(cellsHook, newGlobalCells),
		bytesHook: starlark.NewBuiltin(bytesHook, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var s string
			if err := starlark.UnpackPositionalArgs(bytesHook, args, kwargs, 1, &s); err != nil {
				return nil, err
			}
			return Bytes(s), nil
		}),
	}
}

// builtinImport is __import__(module) → the top-level module, after
// checking that the dotted path exists; __import__(module, name, ...) → the
// named members (one value, or a tuple of several), for `from m import a, b`.
func (it *Interp) builtinImport(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 || len(kwargs) > 0 {
		return nil, Errorf(TypeError, "__import__() takes a module name")
	}
	names := make([]string, len(args))
	for i, a := range args {
		s, ok := a.(starlark.String)
		if !ok {
			return nil, Errorf(TypeError, "__import__() argument %d must be str, not %s", i+1, PyTypeName(a))
		}
		names[i] = string(s)
	}
	path := strings.Split(names[0], ".")
	top, ok := it.predeclared[path[0]]
	if !ok || top.Type() != "module" {
		return nil, Raise(NewException(ModuleNotFoundError, starlark.String("No module named '"+path[0]+"'")))
	}
	mod := top
	for i, part := range path[1:] {
		sub, err := getAttr(mod, part)
		if err != nil {
			return nil, Raise(NewException(ModuleNotFoundError, starlark.String("No module named '"+strings.Join(path[:i+2], ".")+"'")))
		}
		mod = sub
	}
	if len(names) == 1 {
		return top, nil
	}
	var out starlark.Tuple
	for _, name := range names[1:] {
		v, err := getAttr(mod, name)
		if err != nil {
			return nil, Raise(NewException(ImportError, starlark.String("cannot import name '"+name+"' from '"+names[0]+"' (unknown location)")))
		}
		out = append(out, v)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}

// builtinPercent is __percent__(x, y): Python's printf-style formatting
// when x is a string, Starlark's % otherwise.
func builtinPercent(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 2 {
		return nil, Errorf(TypeError, "__percent__ takes 2 arguments")
	}
	if s, ok := args[0].(starlark.String); ok {
		return percent(string(s), args[1])
	}
	return starlark.Binary(syntax.PERCENT, args[0], args[1])
}

// builtinMethod is __method__(recv, name, *args, **kwargs): recv.name(*args,
// **kwargs), with Python's str methods that Starlark lacks, b.decode() and
// s.encode(), and Python's wording where a list's index or a dict's pop
// fails. Any other receiver's own method is called as it is.
func builtinMethod(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	nameV, ok := starlark.Value(nil), false
	if len(args) >= 2 {
		nameV = args[1]
		_, ok = nameV.(starlark.String)
	}
	if !ok {
		return nil, Errorf(TypeError, "__method__ takes a receiver and a method name")
	}
	recv, name, rest := args[0], string(nameV.(starlark.String)), args[2:]
	switch r := recv.(type) {
	case starlark.String:
		if m := strMethods[name]; m != nil {
			return m(string(r), rest, kwargs)
		}
	case starlark.Bytes:
		if name == "decode" {
			return bytesDecode(string(r), rest, kwargs)
		}
	}
	if m := containerMethod(recv, name); m != nil {
		return m(th, rest, kwargs)
	}
	// The receiver's own method, or its own error for a missing one (a
	// module object words it as CPython does).
	var m starlark.Value
	if h, ok := recv.(starlark.HasAttrs); ok {
		v, err := h.Attr(name)
		if err != nil {
			return nil, err
		}
		m = v
	}
	if m == nil {
		return nil, Errorf(AttributeError, "%s", rtNoAttribute(recv.Type(), name, ""))
	}
	v, err := starlark.Call(th, m, rest, kwargs)
	if err != nil && len(rest) > 0 {
		var ev *starlark.EvalError
		msg := err.Error()
		if errors.As(err, &ev) {
			msg = ev.Msg
		}
		switch {
		case name == "index" && strings.HasSuffix(msg, "value not in list"):
			return nil, Errorf(ValueError, "%s is not in list", PyRepr(rest[0]))
		case name == "pop" && strings.HasSuffix(msg, "missing key"):
			return nil, Raise(NewException(KeyError, rest[0]))
		case name == "join" && strings.HasPrefix(msg, "join: in list, want string"):
			if it, ok := rest[0].(starlark.Iterable); ok { // CPython names the first bad item
				iter := it.Iterate()
				defer iter.Done()
				var x starlark.Value
				for i := 0; iter.Next(&x); i++ {
					if _, ok := x.(starlark.String); !ok {
						return nil, Errorf(TypeError, "sequence item %d: expected str instance, %s found", i, PyTypeName(x))
					}
				}
			}
		}
	}
	return v, err
}
