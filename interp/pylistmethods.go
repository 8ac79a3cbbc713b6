package interp

import (
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Python's list, tuple and dict methods that Starlark's lack and that
// learners call on every page: lst.sort(key=, reverse=), lst.reverse(),
// lst.copy(), lst.count(x), t.index(x), t.count(x), d.copy(). They are
// reached through __method__ (pypass.go), so other method calls cost
// nothing more.

// containerMethod returns the implementation of recv.name for the types
// above, or nil.
func containerMethod(recv starlark.Value, name string) func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	switch r := recv.(type) {
	case *starlark.List:
		switch name {
		case "sort":
			return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				if len(args) > 0 {
					return nil, Errorf(TypeError, "sort() takes no positional arguments")
				}
				sorted, err := starlark.Call(th, starlark.Universe["sorted"], starlark.Tuple{r}, kwargs)
				if err != nil {
					return nil, err
				}
				s := sorted.(*starlark.List)
				for i := 0; i < s.Len(); i++ {
					if err := r.SetIndex(i, s.Index(i)); err != nil {
						return nil, err
					}
				}
				return starlark.None, nil
			}
		case "reverse":
			return noArgMethod("reverse", func() (starlark.Value, error) {
				for i, j := 0, r.Len()-1; i < j; i, j = i+1, j-1 {
					a, b := r.Index(i), r.Index(j)
					if err := r.SetIndex(i, b); err != nil {
						return nil, err
					}
					if err := r.SetIndex(j, a); err != nil {
						return nil, err
					}
				}
				return starlark.None, nil
			})
		case "copy":
			return noArgMethod("copy", func() (starlark.Value, error) {
				elems := make([]starlark.Value, r.Len())
				for i := range elems {
					elems[i] = r.Index(i)
				}
				return starlark.NewList(elems), nil
			})
		case "count":
			return countMethod(r)
		}
	case starlark.Tuple:
		switch name {
		case "count":
			return countMethod(r)
		case "index":
			return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				var x starlark.Value
				if err := starlark.UnpackPositionalArgs("index", args, kwargs, 1, &x); err != nil {
					return nil, err
				}
				for i, e := range r {
					if eq, err := starlark.Equal(e, x); err != nil {
						return nil, err
					} else if eq {
						return starlark.MakeInt(i), nil
					}
				}
				return nil, Errorf(ValueError, "tuple.index(x): x not in tuple")
			}
		}
	case *starlark.Dict:
		if name == "copy" {
			return noArgMethod("copy", func() (starlark.Value, error) {
				d := starlark.NewDict(r.Len())
				for _, kv := range r.Items() {
					if err := d.SetKey(kv[0], kv[1]); err != nil {
						return nil, err
					}
				}
				return d, nil
			})
		}
	}
	return nil
}

func noArgMethod(name string, f func() (starlark.Value, error)) func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args)+len(kwargs) > 0 {
			return nil, Errorf(TypeError, "%s() takes no arguments (%d given)", name, len(args)+len(kwargs))
		}
		return f()
	}
}

func countMethod(seq starlark.Indexable) func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var x starlark.Value
		if err := starlark.UnpackPositionalArgs("count", args, kwargs, 1, &x); err != nil {
			return nil, err
		}
		n := 0
		for i := 0; i < seq.Len(); i++ {
			eq, err := starlark.Compare(syntax.EQL, seq.Index(i), x)
			if err != nil {
				return nil, err
			}
			if eq {
				n++
			}
		}
		return starlark.MakeInt(n), nil
	}
}
