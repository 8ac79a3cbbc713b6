package multiprocessing

import (
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// The constructors of the shared objects: each makes the object in this
// process, which serves it to its children.

type builtinFn = func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)

func (m *Module) sharedMembers() starlark.StringDict {
	return starlark.StringDict{
		"Value":            starlark.NewBuiltin("Value", m.newValue),
		"Array":            starlark.NewBuiltin("Array", m.newArray),
		"Lock":             starlark.NewBuiltin("Lock", m.newSem("Lock", 1, 1)),
		"RLock":            starlark.NewBuiltin("RLock", m.newSem("RLock", 1, 1)),
		"Semaphore":        starlark.NewBuiltin("Semaphore", m.newSem("Semaphore", -1, 0)),
		"BoundedSemaphore": starlark.NewBuiltin("BoundedSemaphore", m.newSem("BoundedSemaphore", -1, -1)),
		"Event":            starlark.NewBuiltin("Event", m.newEvent),
		"Condition":        starlark.NewBuiltin("Condition", m.newCondition),
		"Barrier":          starlark.NewBuiltin("Barrier", m.newBarrier),
		"Queue":            starlark.NewBuiltin("Queue", m.newQueue("Queue")),
		"JoinableQueue":    starlark.NewBuiltin("JoinableQueue", m.newQueue("JoinableQueue")),
		"SimpleQueue":      starlark.NewBuiltin("SimpleQueue", m.newQueue("SimpleQueue")),
		"Pipe":             starlark.NewBuiltin("Pipe", m.newPipe),
		"Manager":          starlark.NewBuiltin("Manager", m.newManager),
	}
}

// newSem makes Lock and RLock (value 1, bounded), Semaphore (value from
// the argument, unbounded), BoundedSemaphore (bounded by its value).
func (m *Module) newSem(kind string, value, bound int) builtinFn {
	return func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, bd := value, bound
		if value < 0 {
			v = 1
			if err := starlark.UnpackArgs(kind, args, kwargs, "value?", &v); err != nil {
				return nil, err
			}
			if v < 0 {
				return nil, interp.Errorf(interp.ValueError, "semaphore initial value must be >= 0")
			}
			if bound < 0 {
				bd = v
			}
		} else if err := noArgs(kind, args, kwargs); err != nil {
			return nil, err
		}
		return m.register(&semaphore{name: kind, value: v, bound: bd})
	}
}

func (m *Module) newEvent(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("Event", args, kwargs); err != nil {
		return nil, err
	}
	return m.register(&event{})
}

// newQueue makes Queue(maxsize=0), JoinableQueue(maxsize=0) and
// SimpleQueue() (unbounded).
func (m *Module) newQueue(kind string) builtinFn {
	return func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		maxsize := 0
		if kind == "SimpleQueue" {
			if err := noArgs(kind, args, kwargs); err != nil {
				return nil, err
			}
		} else if err := starlark.UnpackArgs(kind, args, kwargs, "maxsize?", &maxsize); err != nil {
			return nil, err
		}
		q := &queue{name: kind, maxsize: maxsize, empty: m.empty, full: m.full}
		if s := m.it.Sched(); s.Sim() {
			q.object = s.ObjectName("multiprocessing." + kind) // its own count: threading's Queue-N stay as they were
		}
		return m.register(q)
	}
}

// newPipe is Pipe(duplex=True): two Connections.
func (m *Module) newPipe(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	duplex := true
	if err := starlark.UnpackArgs("Pipe", args, kwargs, "duplex?", &duplex); err != nil {
		return nil, err
	}
	a2b := &queue{empty: m.empty, full: m.full}
	b2a := &queue{empty: m.empty, full: m.full}
	if s := m.it.Sched(); s.Sim() { // not registered themselves: the Connections are
		a2b.sched, b2a.sched = s, s
	}
	c1, c2 := &connObj{in: b2a, out: a2b}, &connObj{in: a2b, out: b2a}
	if !duplex { // c1 receives only, c2 sends only, as in Python
		c1, c2 = &connObj{in: a2b}, &connObj{out: a2b}
	}
	p1, err := m.register(c1)
	if err != nil {
		return nil, err
	}
	p2, err := m.register(c2)
	if err != nil {
		return nil, err
	}
	return starlark.Tuple{p1, p2}, nil
}

// newValue is Value(typecode, value, lock=True).
func (m *Module) newValue(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var typecode string
	var v starlark.Value
	var lock starlark.Value = starlark.True
	if err := starlark.UnpackArgs("Value", args, kwargs, "typecode_or_type", &typecode, "value?", &v, "lock?", &lock); err != nil {
		return nil, err
	}
	if v == nil {
		v = zeroOf(typecode)
	}
	x, err := coerce(typecode, v)
	if err != nil {
		return nil, err
	}
	return m.newData(false, typecode, []starlark.Value{x})
}

// newArray is Array(typecode, size_or_initializer, lock=True).
func (m *Module) newArray(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var typecode string
	var init starlark.Value
	var lock starlark.Value = starlark.True
	if err := starlark.UnpackArgs("Array", args, kwargs, "typecode_or_type", &typecode, "size_or_initializer", &init, "lock?", &lock); err != nil {
		return nil, err
	}
	var items []starlark.Value
	if n, ok := init.(starlark.Int); ok {
		size, _ := n.Int64()
		if size < 0 || size > 1<<24 {
			return nil, interp.Errorf(interp.ValueError, "Array length must be >= 0, not %d", size)
		}
		for i := int64(0); i < size; i++ {
			items = append(items, zeroOf(typecode))
		}
	} else if str, ok := init.(starlark.String); ok { // Array('u', "hello"): its characters
		for _, r := range string(str) {
			y, err := coerce(typecode, starlark.String(string(r)))
			if err != nil {
				return nil, err
			}
			items = append(items, y)
		}
	} else if it, ok := init.(starlark.Iterable); ok {
		iter := it.Iterate()
		defer iter.Done()
		var x starlark.Value
		for iter.Next(&x) {
			y, err := coerce(typecode, x)
			if err != nil {
				return nil, err
			}
			items = append(items, y)
		}
	} else {
		return nil, interp.Errorf(interp.TypeError, "object of type '%s' has no len()", init.Type())
	}
	if _, err := coerce(typecode, zeroOf(typecode)); err != nil {
		return nil, err
	}
	return m.newData(true, typecode, items)
}

func (m *Module) newData(array bool, typecode string, items []starlark.Value) (starlark.Value, error) {
	lock, err := m.register(&semaphore{name: "RLock", value: 1, bound: 1})
	if err != nil {
		return nil, err
	}
	p, err := m.register(&valueObj{array: array, typecode: typecode, items: items, lock: lock})
	if err != nil {
		return nil, err
	}
	return wrapProxy(p), nil
}

// newManager is Manager(): in starlab the parent serves everything
// already, so a manager is a namespace of constructors (and shutdown).
func (m *Module) newManager(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("Manager", args, kwargs); err != nil {
		return nil, err
	}
	shared := m.sharedMembers()
	members := starlark.StringDict{
		"dict":      starlark.NewBuiltin("dict", m.newDict),
		"list":      starlark.NewBuiltin("list", m.newList),
		"Namespace": starlark.NewBuiltin("Namespace", m.newNamespace),
		"shutdown": starlark.NewBuiltin("shutdown", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, nil
		}),
	}
	for _, k := range []string{"Value", "Array", "Queue", "JoinableQueue", "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier"} {
		members[k] = shared[k]
	}
	return &manager{members}, nil
}

// manager is what Manager() returns: the constructors of its containers.
type manager struct{ members starlark.StringDict }

func (g *manager) String() string        { return "<multiprocessing.managers.SyncManager object>" }
func (g *manager) Type() string          { return "SyncManager" }
func (g *manager) Freeze()               {}
func (g *manager) Truth() starlark.Bool  { return true }
func (g *manager) Hash() (uint32, error) { return interp.IdentityHash(g), nil }
func (g *manager) AttrNames() []string   { return g.members.Keys() }
func (g *manager) Attr(name string) (starlark.Value, error) {
	return g.members[name], nil
}

func (m *Module) newDict(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	d, err := starlark.Call(th, starlark.Universe["dict"], args, kwargs)
	if err != nil {
		return nil, err
	}
	return m.register(&dictObj{d: d.(*starlark.Dict)})
}

func (m *Module) newList(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	l, err := starlark.Call(th, starlark.Universe["list"], args, kwargs)
	if err != nil {
		return nil, err
	}
	p, err := m.register(&listObj{l: l.(*starlark.List)})
	if err != nil {
		return nil, err
	}
	return wrapProxy(p), nil
}

func (m *Module) newNamespace(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, interp.Errorf(interp.TypeError, "Namespace() takes no positional arguments")
	}
	attrs := starlark.StringDict{}
	for _, kv := range kwargs {
		attrs[string(kv[0].(starlark.String))] = kv[1]
	}
	return m.register(&nsObj{attrs: attrs})
}
