package interp

import (
	"go.starlark.net/starlark"
)

// map, filter, exit and quit, which Starlark lacks. map and filter return
// lists, not Python 3's lazy iterators: list(map(int, line.split())), the
// way learners write it, gives the same list, and a for loop over either
// is the same; print(map(...)) shows the list (README lists it).

func functionalBuiltins() starlark.StringDict {
	return starlark.StringDict{
		"map":    starlark.NewBuiltin("map", builtinMap),
		"filter": starlark.NewBuiltin("filter", builtinFilter),
		"exit":   starlark.NewBuiltin("exit", builtinExit),
		"quit":   starlark.NewBuiltin("quit", builtinExit),
	}
}

// map(func, *iterables): func applied to the elements, in step, stopping
// at the shortest iterable.
func builtinMap(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "map() takes no keyword arguments")
	}
	if len(args) < 2 {
		return nil, Errorf(TypeError, "map() must have at least two arguments.")
	}
	fn := args[0]
	if _, ok := fn.(starlark.Callable); !ok {
		return nil, Errorf(TypeError, "'%s' object is not callable", PyTypeName(fn))
	}
	iters := make([]starlark.Iterator, len(args)-1)
	for i, a := range args[1:] {
		it, ok := a.(starlark.Iterable)
		if !ok {
			return nil, Errorf(TypeError, "'%s' object is not iterable", PyTypeName(a))
		}
		iters[i] = it.Iterate()
		defer iters[i].Done()
	}
	var out []starlark.Value
	for {
		call := make(starlark.Tuple, len(iters))
		for i, it := range iters {
			if !it.Next(&call[i]) {
				return starlark.NewList(out), nil
			}
		}
		v, err := starlark.Call(th, fn, call, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// filter(func, iterable): the elements for which func is true (or, with
// None, the true elements).
func builtinFilter(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Value
	var iterable starlark.Value
	if err := starlark.UnpackPositionalArgs("filter", args, kwargs, 2, &fn, &iterable); err != nil {
		return nil, err
	}
	it, ok := iterable.(starlark.Iterable)
	if !ok {
		return nil, Errorf(TypeError, "'%s' object is not iterable", PyTypeName(iterable))
	}
	if _, ok := fn.(starlark.Callable); !ok && fn != starlark.None {
		return nil, Errorf(TypeError, "'%s' object is not callable", PyTypeName(fn))
	}
	iter := it.Iterate()
	defer iter.Done()
	var out []starlark.Value
	var x starlark.Value
	for iter.Next(&x) {
		keep := x
		if fn != starlark.None {
			v, err := starlark.Call(th, fn, starlark.Tuple{x}, nil)
			if err != nil {
				return nil, err
			}
			keep = v
		}
		if keep.Truth() {
			out = append(out, x)
		}
	}
	return starlark.NewList(out), nil
}

// exit(code=None) and quit(code=None) raise SystemExit, as sys.exit does.
func builtinExit(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var code starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &code); err != nil {
		return nil, err
	}
	if code == starlark.None {
		return nil, Raise(NewException(SystemExit))
	}
	return nil, Raise(NewException(SystemExit, code))
}
