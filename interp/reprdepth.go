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
func CheckReprDepth(v starlark.Value) error { return reprWalk(v, nil) }

// checkRepr is CheckReprDepth for a value that thread th is about to
// format, with two more checks: the run's cancellation (CheckStop, every
// stopCheckEvery containers: the walk of a huge value is a long Go loop),
// and the size of the text, at least one byte per value, which must fit the
// memory budget: printing [x] * 10**6 with x nested 900 deep would make
// gigabytes of text, after quadratic work in go.starlark.net.
func (it *Interp) checkRepr(th *starlark.Thread, v starlark.Value) error {
	t := Current(th)
	return reprWalk(v, func(values int64, done bool) error {
		if err := it.sched.CheckAlloc(values, 1); err != nil {
			return err
		}
		if done {
			return nil
		}
		return it.sched.CheckStop(t, stopCheckEvery)
	})
}

// reprSize is what the walk remembers of a container it has walked: how
// deep it nests and how many values its text shows (a shared one, as in
// [x] * n, is walked once and counted n times).
type reprSize struct {
	height int
	values int64
}

// reprWalk is the walk of CheckReprDepth: depth first with an explicit
// stack, each list, dict and set walked once (memo), a container already on
// the path (a cycle, which formats as [...]) counted as one value. tick, if
// not nil, gets the running count of values every stopCheckEvery containers
// and the total at the end; its error stops the walk.
func reprWalk(v starlark.Value, tick func(values int64, done bool) error) error {
	if !isContainer(v) {
		return nil
	}
	type frame struct {
		items starlark.Indexable
		i     int
		self  starlark.Value // for the path set and the memo; nil for a tuple
		size  reprSize       // of what was walked so far, the container itself included
	}
	onPath := make(map[starlark.Value]bool)
	memo := make(map[starlark.Value]reprSize)
	var total int64 // values counted so far, for tick
	pushed := 0
	stack := []frame{{items: starlark.Tuple{v}}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i == top.items.Len() {
			done := top.size
			if top.self != nil {
				delete(onPath, top.self)
				memo[top.self] = done
			}
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				parent := &stack[len(stack)-1]
				parent.size.values += done.values
				parent.size.height = max(parent.size.height, done.height+1)
			}
			continue
		}
		x := top.items.Index(top.i)
		top.i++
		_, isTuple := x.(starlark.Tuple) // a slice: not a map key
		if !isContainer(x) || !isTuple && onPath[x] {
			top.size.values++
			total++
			continue
		}
		var self starlark.Value
		if !isTuple {
			if m, ok := memo[x]; ok {
				if len(stack)+m.height > maxReprDepth {
					return errReprDepth()
				}
				top.size.values += m.values
				top.size.height = max(top.size.height, m.height+1)
				total += m.values
				continue
			}
			self = x
			onPath[x] = true
		}
		if len(stack) > maxReprDepth {
			return errReprDepth()
		}
		total++
		if pushed++; tick != nil && pushed%stopCheckEvery == 0 {
			if err := tick(total, false); err != nil {
				return err
			}
		}
		stack = append(stack, frame{items: elements(x), self: self, size: reprSize{values: 1}})
	}
	if tick != nil {
		return tick(total, true)
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
