package multiprocessing

import (
	"sort"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// The shared data: Value and Array (typed, each with a lock of its own,
// get_lock()), and the Manager's dict, list and Namespace.

// coerce makes v fit a ctypes typecode, with CPython's TypeErrors.
func coerce(typecode string, v starlark.Value) (starlark.Value, error) {
	switch typecode {
	case "d", "f":
		if f, ok := starlark.AsFloat(v); ok {
			if _, isStr := v.(starlark.String); !isStr {
				return starlark.Float(f), nil
			}
		}
		return nil, interp.Errorf(interp.TypeError, "must be real number, not %s", v.Type())
	case "c":
		if b, ok := interp.AsBytes(v); ok && len(b) == 1 {
			return interp.Bytes(b), nil
		}
		if n, err := starlark.AsInt32(v); err == nil && n >= 0 && n < 256 { // a byte of Array('c', b"...")
			return interp.Bytes([]byte{byte(n)}), nil
		}
		return nil, interp.Errorf(interp.TypeError, "one character bytes, bytearray or integer expected")
	case "u":
		if s, ok := v.(starlark.String); ok && len([]rune(string(s))) == 1 {
			return s, nil
		}
		return nil, interp.Errorf(interp.TypeError, "unicode string expected instead of %s instance", v.Type())
	case "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q":
		if n, ok := v.(starlark.Int); ok {
			return n, nil
		}
		if b, ok := v.(starlark.Bool); ok {
			return starlark.MakeInt(map[bool]int{true: 1}[bool(b)]), nil
		}
		return nil, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", v.Type())
	}
	return nil, interp.Errorf(interp.TypeError, "bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f, d or c)")
}

func zeroOf(typecode string) starlark.Value {
	switch typecode {
	case "d", "f":
		return starlark.Float(0)
	case "c":
		return interp.Bytes("\x00")
	case "u":
		return starlark.String("\x00")
	}
	return starlark.MakeInt(0)
}

// valueObj is Value (one item) and Array (n items).
type valueObj struct {
	cond
	array    bool
	typecode string
	items    []starlark.Value
	lock     starlark.Value // the proxy get_lock() returns
}

func (v *valueObj) kind() string {
	if v.array {
		return "SynchronizedArray"
	}
	return "Synchronized"
}

func (v *valueObj) index(i starlark.Value) (int, error) {
	n, err := starlark.AsInt32(i)
	if err != nil {
		return 0, interp.Errorf(interp.TypeError, "array indices must be integers")
	}
	if n < 0 {
		n += len(v.items)
	}
	if n < 0 || n >= len(v.items) {
		return 0, interp.Errorf(interp.IndexError, "invalid index")
	}
	return n, nil
}

func (v *valueObj) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, _ *waiter) (starlark.Value, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch method {
	case "get":
		return v.items[0], nil
	case "set":
		x, err := coerce(v.typecode, args[0])
		if err != nil {
			return nil, err
		}
		v.items[0] = x
		return starlark.None, nil
	case "get_lock":
		return v.lock, nil
	case "len":
		return starlark.MakeInt(len(v.items)), nil
	case "tolist":
		return starlark.NewList(append([]starlark.Value(nil), v.items...)), nil
	case "getitem":
		i, err := v.index(args[0])
		if err != nil {
			return nil, err
		}
		return v.items[i], nil
	case "setitem":
		i, err := v.index(args[0])
		if err != nil {
			return nil, err
		}
		x, err := coerce(v.typecode, args[1])
		if err != nil {
			return nil, err
		}
		v.items[i] = x
		return starlark.None, nil
	}
	return nil, noMethod(v.kind(), method)
}

// dictObj is a Manager's dict.
type dictObj struct {
	cond
	d *starlark.Dict
}

func (d *dictObj) kind() string { return "DictProxy" }

func (d *dictObj) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, _ *waiter) (starlark.Value, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch method {
	case "getitem":
		v, found, err := d.d.Get(args[0])
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, interp.Raise(interp.NewException(interp.KeyError, args[0]))
		}
		return v, nil
	case "setitem":
		return starlark.None, d.d.SetKey(args[0], args[1])
	case "delitem":
		_, found, err := d.d.Delete(args[0])
		if err == nil && !found {
			err = interp.Raise(interp.NewException(interp.KeyError, args[0]))
		}
		return starlark.None, err
	case "contains":
		_, found, err := d.d.Get(args[0])
		return starlark.Bool(found), err
	case "len":
		return starlark.MakeInt(d.d.Len()), nil
	case "copy":
		out := starlark.NewDict(d.d.Len())
		for _, kv := range d.d.Items() {
			out.SetKey(kv[0], kv[1])
		}
		return out, nil
	}
	// The dict's own methods: keys, values, items, get, pop, update, ...
	m, err := d.d.Attr(method)
	if err != nil || m == nil {
		return nil, noMethod("DictProxy", method)
	}
	res, err := starlark.Call(&starlark.Thread{Name: "manager"}, m, args, kwargs)
	if err != nil {
		return nil, err
	}
	if l, ok := res.(*starlark.List); ok { // keys(), values(), items(): lists, as proxies return
		return l, nil
	}
	return res, nil
}

// listObj is a Manager's list.
type listObj struct {
	cond
	l *starlark.List
}

func (l *listObj) kind() string { return "ListProxy" }

func (l *listObj) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, _ *waiter) (starlark.Value, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	index := func(v starlark.Value) (int, error) {
		n, err := starlark.AsInt32(v)
		if err != nil {
			return 0, interp.Errorf(interp.TypeError, "list indices must be integers or slices, not %s", v.Type())
		}
		if n < 0 {
			n += l.l.Len()
		}
		if n < 0 || n >= l.l.Len() {
			return 0, interp.Errorf(interp.IndexError, "list index out of range")
		}
		return n, nil
	}
	switch method {
	case "getitem":
		i, err := index(args[0])
		if err != nil {
			return nil, err
		}
		return l.l.Index(i), nil
	case "setitem":
		i, err := index(args[0])
		if err != nil {
			return nil, err
		}
		return starlark.None, l.l.SetIndex(i, args[1])
	case "len":
		return starlark.MakeInt(l.l.Len()), nil
	case "tolist", "copy":
		items := make([]starlark.Value, l.l.Len())
		for i := range items {
			items[i] = l.l.Index(i)
		}
		return starlark.NewList(items), nil
	case "contains":
		for i := 0; i < l.l.Len(); i++ {
			if eq, _ := starlark.Equal(l.l.Index(i), args[0]); eq {
				return starlark.True, nil
			}
		}
		return starlark.False, nil
	}
	m, err := l.l.Attr(method)
	if err != nil || m == nil {
		return nil, noMethod("ListProxy", method)
	}
	return starlark.Call(&starlark.Thread{Name: "manager"}, m, args, kwargs)
}

// nsObj is a Manager's Namespace: attributes only.
type nsObj struct {
	cond
	attrs starlark.StringDict
}

func (n *nsObj) kind() string { return "Namespace" }

func (n *nsObj) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, _ *waiter) (starlark.Value, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	name := ""
	if len(args) > 0 {
		name, _ = starlark.AsString(args[0])
	}
	switch method {
	case "getattr":
		v, ok := n.attrs[name]
		if !ok {
			return nil, interp.Errorf(interp.AttributeError, "'Namespace' object has no attribute '%s'", name)
		}
		return v, nil
	case "setattr":
		n.attrs[name] = args[1]
		return starlark.None, nil
	case "names":
		names := make([]starlark.Value, 0, len(n.attrs))
		keys := n.attrs.Keys()
		sort.Strings(keys)
		for _, k := range keys {
			names = append(names, starlark.String(k))
		}
		return starlark.NewList(names), nil
	}
	return nil, noMethod("Namespace", method)
}

// connObj is one end of a Pipe: it sends into one queue, receives from
// the other.
type connObj struct {
	in, out *queue
	closed  bool
}

func (c *connObj) kind() string { return "Connection" }

func (c *connObj) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, w *waiter) (starlark.Value, error) {
	switch method {
	case "send":
		if c.out == nil {
			return nil, interp.Errorf(interp.OSError, "connection is read-only")
		}
		return c.out.call("put", args, nil, w)
	case "recv":
		if c.in == nil {
			return nil, interp.Errorf(interp.OSError, "connection is write-only")
		}
		return c.in.call("get", nil, nil, w)
	case "poll":
		if c.in == nil {
			return nil, interp.Errorf(interp.OSError, "connection is write-only")
		}
		return c.in.call("poll", args, kwargs, w)
	case "close":
		return starlark.None, nil
	}
	return nil, noMethod("Connection", method)
}
