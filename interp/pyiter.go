package interp

import (
	"unsafe"

	"go.starlark.net/starlark"
)

// pyIterator is what iter(x) returns: the elements of x, consumed one at a
// time by next(it). It copies what it iterates when it is made for a
// dict or set (Python would fail if they changed size meanwhile), and
// indexes a list, tuple or range as it goes, as Python's list_iterator
// does, so it never holds a Starlark iterator open (which would forbid
// appending to the list until the iteration ended).
type pyIterator struct {
	kind  string // Python's type name: list_iterator, ...
	seq   starlark.Indexable
	items []starlark.Value
	i     int
}

var _ starlark.Iterable = (*pyIterator)(nil)

func (it *pyIterator) String() string {
	return "<" + it.kind + " object at 0x" + hexAddr(unsafe.Pointer(it)) + ">"
}
func (it *pyIterator) Type() string          { return it.kind }
func (it *pyIterator) Freeze()               {}
func (it *pyIterator) Truth() starlark.Bool  { return true }
func (it *pyIterator) Hash() (uint32, error) { return pointerHash(unsafe.Pointer(it)), nil }

func (it *pyIterator) next() (starlark.Value, bool) {
	if it.seq != nil {
		if it.i < it.seq.Len() {
			it.i++
			return it.seq.Index(it.i - 1), true
		}
		return nil, false
	}
	if it.i < len(it.items) {
		it.i++
		return it.items[it.i-1], true
	}
	return nil, false
}

// Iterate lets `for x in it` consume what is left, as in Python.
func (it *pyIterator) Iterate() starlark.Iterator { return &pyIterStep{it} }

type pyIterStep struct{ it *pyIterator }

func (s *pyIterStep) Next(p *starlark.Value) bool {
	v, ok := s.it.next()
	if ok {
		*p = v
	}
	return ok
}
func (s *pyIterStep) Done() {}

func builtinIter(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs("iter", args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	switch v := x.(type) {
	case *pyIterator:
		return v, nil
	case starlark.String:
		return nil, Errorf(TypeError, "%s", "'str' object is not iterable"+strNotSequence)
	case starlark.Indexable:
		return &pyIterator{kind: PyTypeName(x) + "_iterator", seq: v}, nil
	case starlark.Iterable:
		kind := PyTypeName(x) + "_iterator"
		if _, ok := x.(*starlark.Dict); ok {
			kind = "dict_keyiterator"
		}
		var items []starlark.Value
		iter := v.Iterate()
		defer iter.Done()
		var e starlark.Value
		for iter.Next(&e) {
			items = append(items, e)
		}
		return &pyIterator{kind: kind, items: items}, nil
	}
	return nil, Errorf(TypeError, "'%s' object is not iterable", PyTypeName(x))
}

// next(it, default): the next element, default when there is none, or
// StopIteration.
func builtinNext(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, def starlark.Value
	if err := starlark.UnpackPositionalArgs("next", args, kwargs, 1, &x, &def); err != nil {
		return nil, err
	}
	it, ok := x.(*pyIterator)
	if !ok {
		return nil, Errorf(TypeError, "'%s' object is not an iterator", PyTypeName(x))
	}
	if v, ok := it.next(); ok {
		return v, nil
	}
	if def != nil {
		return def, nil
	}
	return nil, Raise(NewException(StopIteration))
}
