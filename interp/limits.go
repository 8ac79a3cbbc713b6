package interp

import (
	"go.starlark.net/starlark"
)

// Builtins over an iterable that the script sizes: list(range(1 << 62)),
// sorted(...), set(...), sum(range(10**18)). go.starlark.net's versions
// (and core.go's sum) preallocate from Len, which panics or dies on a huge
// one, and loop in Go, where neither Ctrl-C nor a time or step budget can
// reach them. Predeclared names shadow the universe, so starlab wraps them:
//
//   - a sized argument is checked against the memory budget first
//     (CheckAlloc): MemoryError, as CPython's list(range(1 << 62)) says;
//   - a long argument (or one of unknown length) is handed to the original
//     builtin behind a stoppableIterable, whose iterator calls CheckStop
//     every stopCheckEvery items and ends the loop early when the run must
//     stop; the wrapper then returns that error instead of the result.
//
// Short arguments go straight through: no cost for the common case.

// stopCheckEvery is how many items a wrapped loop runs between checks.
const stopCheckEvery = 4096

// sizedBuiltins names the builtins wrapped, with the bytes each item of the
// result costs at least (0: the result does not grow with the input).
var sizedBuiltins = []struct {
	name string
	item int64
	all  bool // every positional argument is an iterable (zip)
}{
	{name: "list", item: 16},
	{name: "tuple", item: 16},
	{name: "sorted", item: 32}, // the result and the sort's copy
	{name: "set", item: 48},
	{name: "dict", item: 64},
	{name: "enumerate", item: 64}, // a pair per item
	{name: "reversed", item: 16},
	{name: "zip", item: 64, all: true},
	{name: "sum"},
	{name: "min"},
	{name: "max"},
	{name: "any"},
	{name: "all"},
}

// wrapSizedBuiltins replaces, in predeclared, each builtin of sizedBuiltins
// (the core's or the universe's) by its checked version.
func (it *Interp) wrapSizedBuiltins(predeclared starlark.StringDict) {
	for _, spec := range sizedBuiltins {
		item, all := spec.item, spec.all
		wrapCall(predeclared, spec.name, func(orig *starlark.Builtin) callFunc {
			return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				return it.callSized(th, orig, item, all, args, kwargs)
			}
		})
	}
	wrapIntDigits(predeclared) // intdigits.go
}

// callFunc is the call of a builtin or of a class's constructor.
type callFunc func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// wrapCall replaces the call of predeclared[name] (or of the universe's
// builtin of that name) by wrap(orig), orig being the call it had. A
// builtin becomes a new builtin of the same name; a Python type name
// (list, int, str: a PyClass, pytypes.go) stays the same class, so type()
// and isinstance still know it, and only its constructor is wrapped.
func wrapCall(predeclared starlark.StringDict, name string, wrap func(orig *starlark.Builtin) callFunc) {
	switch v := predeclared[name].(type) {
	case *PyClass:
		prev := v.new
		v.new = wrap(starlark.NewBuiltin(name, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return prev(th, args, kwargs)
		}))
		return
	case *starlark.Builtin:
		f := wrap(v)
		predeclared[name] = starlark.NewBuiltin(name, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return f(th, args, kwargs)
		})
		return
	case nil:
		if orig, ok := starlark.Universe[name].(*starlark.Builtin); ok {
			f := wrap(orig)
			predeclared[name] = starlark.NewBuiltin(name, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				return f(th, args, kwargs)
			})
		}
	}
}

// callSized checks and wraps the iterable arguments of orig, then calls it.
func (it *Interp) callSized(th *starlark.Thread, orig *starlark.Builtin, item int64, all bool, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := len(args)
	if !all && n > 1 {
		n = 0 // min(a, b), sum(x, start): only the first is the iterable, and only alone
		if orig.Name() == "sum" || orig.Name() == "enumerate" || orig.Name() == "sorted" {
			n = 1
		}
	} else if !all {
		n = min(n, 1)
	}
	t := Current(th)
	var wrapped starlark.Tuple
	var stopErr error // set by a wrapped iterator that ended early
	size := int64(-1)
	for i := 0; i < n; i++ {
		x, ok := args[i].(starlark.Iterable)
		if !ok {
			continue
		}
		if _, isMap := x.(starlark.IterableMapping); isMap {
			continue // dict(d) reads d's items, not its keys
		}
		l, sized := x.(starlark.Sequence)
		if sized {
			if size < 0 || int64(l.Len()) < size {
				size = int64(l.Len())
			}
			if l.Len() <= stopCheckEvery {
				continue
			}
		}
		if t == nil {
			continue
		}
		if wrapped == nil {
			wrapped = append(starlark.Tuple(nil), args...)
		}
		wrapped[i] = &stoppableIterable{sched: it.sched, t: t, x: x, err: &stopErr}
	}
	if item > 0 && size > 0 {
		if err := it.sched.CheckAlloc(size, item); err != nil {
			return nil, err
		}
	}
	if wrapped == nil {
		return starlark.Call(th, orig, args, kwargs)
	}
	v, err := starlark.Call(th, orig, wrapped, kwargs)
	if stopErr != nil {
		return nil, stopErr
	}
	return v, err
}

// stoppableIterable iterates x, calling CheckStop every stopCheckEvery
// items; when the run must stop it ends the iteration early and keeps the
// reason in *err for callSized to return (the builtin's own result, made of
// a truncated input, is thrown away).
type stoppableIterable struct {
	sched *Scheduler
	t     *Thread
	x     starlark.Iterable
	err   *error
}

func (s *stoppableIterable) String() string        { return s.x.String() }
func (s *stoppableIterable) Type() string          { return s.x.Type() }
func (s *stoppableIterable) Freeze()               { s.x.Freeze() }
func (s *stoppableIterable) Truth() starlark.Bool  { return s.x.Truth() }
func (s *stoppableIterable) Hash() (uint32, error) { return s.x.Hash() }
func (s *stoppableIterable) Iterate() starlark.Iterator {
	return &stoppableIterator{s: s, it: s.x.Iterate()}
}

type stoppableIterator struct {
	s  *stoppableIterable
	it starlark.Iterator
	n  int
}

func (i *stoppableIterator) Next(p *starlark.Value) bool {
	if *i.s.err != nil {
		return false
	}
	i.n++
	if i.n%stopCheckEvery == 0 {
		if err := i.s.sched.CheckStop(i.s.t, stopCheckEvery); err != nil {
			*i.s.err = err
			return false
		}
	}
	return i.it.Next(p)
}

func (i *stoppableIterator) Done() { i.it.Done() }
