package multiprocessing

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// proxy is how a script holds a shared object, in the parent (obj set: it
// calls the object directly) or in a child (it calls the parent).
type proxy struct {
	m    *Module
	kind string
	id   uint64
	obj  object // nil in a child
}

var (
	_ starlark.HasSetField = (*proxy)(nil)
	_ starlark.HasSetIndex = (*proxy)(nil)
	_ starlark.HasSetKey   = (*proxy)(nil)
	_ starlark.Iterable    = (*proxy)(nil)
)

func (p *proxy) String() string {
	switch p.kind {
	case "Synchronized":
		return fmt.Sprintf("<Synchronized wrapper for c_%d>", p.id)
	case "SynchronizedArray":
		return fmt.Sprintf("<SynchronizedArray wrapper for c_array_%d>", p.id)
	case "DictProxy", "ListProxy":
		if v, err := p.invokeNoThread("copy"); err == nil {
			return interp.PyRepr(v) // {'a': 1}, as the proxy's repr shows its referent
		}
	}
	return fmt.Sprintf("<%s object, shared #%d>", p.kind, p.id)
}

// Type is the kind, qualified where threading or queue has a class of the
// same name (as CPython's multiprocessing.synchronize.Lock is not
// threading's), so that help(obj) finds the right one.
func (p *proxy) Type() string {
	switch p.kind {
	case "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Queue", "SimpleQueue", "Condition", "Barrier":
		return "multiprocessing." + p.kind
	}
	return p.kind
}
func (p *proxy) Freeze()               {}
func (p *proxy) Truth() starlark.Bool  { return true }
func (p *proxy) Hash() (uint32, error) { return uint32(p.id), nil }

// methods are the Python methods of each kind of shared object.
var methods = map[string][]string{
	"Lock":              {"acquire", "release"},
	"RLock":             {"acquire", "release"},
	"Semaphore":         {"acquire", "release", "get_value"},
	"BoundedSemaphore":  {"acquire", "release", "get_value"},
	"Event":             {"set", "clear", "is_set", "wait"},
	"Condition":         {"acquire", "release", "wait", "wait_for", "notify", "notify_all"},
	"Barrier":           {"wait", "reset", "abort"},
	"Queue":             {"put", "get", "put_nowait", "get_nowait", "qsize", "empty", "full", "close"},
	"JoinableQueue":     {"put", "get", "put_nowait", "get_nowait", "qsize", "empty", "full", "close", "task_done", "join"},
	"SimpleQueue":       {"put", "get", "empty", "close"},
	"Connection":        {"send", "recv", "poll", "close"},
	"Synchronized":      {"get_lock"},
	"SynchronizedArray": {"get_lock"},
	"DictProxy":         {"keys", "values", "items", "get", "pop", "popitem", "setdefault", "update", "clear", "copy"},
	"ListProxy":         {"append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "sort", "clear", "copy"},
	"Namespace":         {},
}

func (p *proxy) AttrNames() []string {
	names := append([]string(nil), methods[p.kind]...)
	if p.kind == "Synchronized" {
		names = append(names, "value")
	}
	if p.kind == "Barrier" {
		names = append(names, "broken", "n_waiting", "parties")
	}
	return names
}

func (p *proxy) Attr(name string) (starlark.Value, error) {
	switch {
	case p.kind == "Synchronized" && name == "value":
		return p.invokeNoThread("get")
	case p.kind == "Namespace":
		return p.invokeNoThread("getattr", starlark.String(name))
	case p.kind == "Barrier" && (name == "parties" || name == "n_waiting" || name == "broken"):
		return p.invokeNoThread(name)
	case p.kind == "Barrier" && name == "wait" || p.kind == "Condition" && name == "wait_for":
		return p.localMethod(name), nil // barrier.go: they call Starlark code in this process
	}
	for _, meth := range methods[p.kind] {
		if meth == name {
			return starlark.NewBuiltin(name, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
				if p.kind == "RLock" && (name == "acquire" || name == "release") || p.kind == "Condition" {
					kw = append(kw, starlark.Tuple{starlark.String("owner"), ownerOf(th)})
				}
				return p.invoke(th, name, args, kw)
			}), nil
		}
	}
	return nil, nil
}

// invokeNoThread is invoke for attribute reads, which get no thread: they
// never wait, so any thread of this run may make the call.
func (p *proxy) invokeNoThread(method string, args ...starlark.Value) (starlark.Value, error) {
	if p.obj != nil {
		return p.invoke(nil, method, args, nil)
	}
	th := p.m.it.Sched().Holder()
	if th == nil {
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: no running thread")
	}
	return p.invoke(th.S, method, args, nil)
}

func (p *proxy) SetField(name string, v starlark.Value) error {
	switch p.kind {
	case "Synchronized":
		if name == "value" {
			_, err := p.invokeNoThread("set", v)
			return err
		}
	case "Namespace":
		_, err := p.invokeNoThread("setattr", starlark.String(name), v)
		return err
	}
	return interp.Errorf(interp.AttributeError, "'%s' object attribute '%s' is read-only", p.kind, name)
}

func (p *proxy) Index(i int) starlark.Value {
	v, err := p.invokeNoThread("getitem", starlark.MakeInt(i))
	if err != nil {
		return starlark.None
	}
	return v
}

func (p *proxy) Len() int {
	v, err := p.invokeNoThread("len")
	if err != nil {
		return 0
	}
	n, _ := starlark.AsInt32(v)
	return n
}

func (p *proxy) SetIndex(i int, v starlark.Value) error {
	_, err := p.invokeNoThread("setitem", starlark.MakeInt(i), v)
	return err
}

func (p *proxy) Get(k starlark.Value) (starlark.Value, bool, error) {
	if p.kind == "DictProxy" {
		if ok, err := p.invokeNoThread("contains", k); err != nil || ok != starlark.True {
			return nil, false, err
		}
	}
	v, err := p.invokeNoThread("getitem", k)
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

func (p *proxy) SetKey(k, v starlark.Value) error {
	_, err := p.invokeNoThread("setitem", k, v)
	return err
}

// Iterate iterates over a snapshot: the keys of a dict, the items of a
// list or an array.
func (p *proxy) Iterate() starlark.Iterator {
	method := "tolist"
	if p.kind == "DictProxy" {
		method = "keys"
	}
	v, err := p.invokeNoThread(method)
	l, ok := v.(*starlark.List)
	if err != nil || !ok {
		l = starlark.NewList(nil)
	}
	return l.Iterate()
}
