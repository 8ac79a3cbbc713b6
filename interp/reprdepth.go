package interp

import (
	"go.starlark.net/starlark"
)

// Formatting a value recurses once per level of nesting, in go.starlark.net
// (String, the % operator, str.format) and in starlab's PyRepr. A script can
// nest a tuple three million levels deep in a loop, and formatting it would
// overflow the Go stack: a fatal error. CPython stops at its recursion
// limit instead, so starlab measures the nesting first, without recursion,
// wherever a value is about to be formatted: print, str, repr, the
// arguments of `"..." % x` and `"...".format(x)` (see guard.go), and the
// REPL's echo of a value.
const maxReprDepth = maxDepth

// errReprDepth is CPython's error for a value nested too deep to format.
func errReprDepth() error {
	return Errorf(RecursionError, "maximum recursion depth exceeded while getting the repr of an object")
}

// CheckReprDepth returns RecursionError if formatting v would recurse
// deeper than Python's recursion limit. It walks v with an explicit stack
// and stops at the limit; a container that contains itself is formatted
// as [...] by go.starlark.net, so the walk does not go into a container
// that is already on its path. It costs a type switch for a scalar.
func CheckReprDepth(v starlark.Value) error {
	if !isContainer(v) {
		return nil
	}
	type frame struct {
		items starlark.Indexable
		i     int
		self  starlark.Value // for the path set; nil for a tuple
	}
	onPath := make(map[starlark.Value]bool)
	stack := []frame{{items: starlark.Tuple{v}}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i == top.items.Len() {
			if top.self != nil {
				delete(onPath, top.self)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		x := top.items.Index(top.i)
		top.i++
		if !isContainer(x) {
			continue
		}
		var self starlark.Value
		if _, ok := x.(starlark.Tuple); !ok {
			if onPath[x] {
				continue
			}
			self = x
			onPath[x] = true
		}
		if len(stack) > maxReprDepth {
			return errReprDepth()
		}
		stack = append(stack, frame{items: elements(x), self: self})
	}
	return nil
}

// isContainer reports whether formatting v formats other values.
func isContainer(v starlark.Value) bool {
	switch v.(type) {
	case *starlark.List, starlark.Tuple, *starlark.Dict, *starlark.Set:
		return true
	}
	return false
}

// elements returns what formatting a container formats, a dict's keys and
// values; a list or tuple as it is, without a copy.
func elements(v starlark.Value) starlark.Indexable {
	switch x := v.(type) {
	case starlark.Indexable: // *List, Tuple
		return x
	case *starlark.Dict:
		out := make(starlark.Tuple, 0, 2*x.Len())
		for _, kv := range x.Items() {
			out = append(out, kv[0], kv[1])
		}
		return out
	case starlark.Iterable: // *Set
		var out starlark.Tuple
		it := x.Iterate()
		defer it.Done()
		var e starlark.Value
		for it.Next(&e) {
			out = append(out, e)
		}
		return out
	}
	return nil
}
