// Package greenlet is Python's greenlet module for starlab: coroutines that
// the program switches between by hand, the first half of the course's 协程
// (coroutines) section.
//
//	def test1():
//	    print(12)
//	    gr2.switch()      # run test2 until it switches back
//	    print(34)
//	    gr2.switch()
//	def test2():
//	    print(56)
//	    gr1.switch()
//	    print(78)
//	gr1 = greenlet.greenlet(test1)
//	gr2 = greenlet.greenlet(test2)
//	gr1.switch()          # prints 12 56 34 78
//
// As in Python: switch(*args, **kwargs) passes values both ways (the first
// switch calls run with them; a later one is what the target's pending
// switch() returns); when run returns, its value goes to the parent; an
// exception goes to the parent too, except GreenletExit, which is returned;
// throw() raises in the target; switching to a dead greenlet goes to its
// parent; greenlets of one thread never run at the same time, and switching
// to a greenlet of another thread raises greenlet.error.
//
// What departs: each greenlet is a starlab thread (goroutine) under the
// scheduler, not a C stack slice, so greenlets appear in the deadlock report
// and in threading.enumerate(), and a switch costs a goroutine hand-off.
// There is no gr_frame, settrace or gc of suspended greenlets: a greenlet
// left suspended is stopped when the program ends. The package also holds
// the hub that gevent's greenlets share (hub.go), and the hooks that make
// time.sleep and socket calls switch greenlets once gevent.monkey patched
// them (coop.go).
package greenlet

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// The module's exception classes. Classes are immutable, so one set serves
// every run.
var (
	// GreenletExit is raised in a greenlet to kill it; it is returned to the
	// parent instead of propagating.
	GreenletExit = interp.NewModuleExceptionClass("greenlet", "GreenletExit", interp.BaseException)
	// Error is greenlet.error: switching to a greenlet of another thread.
	Error = interp.NewModuleExceptionClass("greenlet", "error", interp.Exception_)
)

// New returns the greenlet module of a run whose greenlet machinery is rt.
func New(it *interp.Interp, rt *Runtime) *starlarkstruct.Module {
	m := &module{rt: rt}
	return &starlarkstruct.Module{
		Name: "greenlet",
		Members: starlark.StringDict{
			"greenlet":     starlark.NewBuiltin("greenlet", m.newGreenlet),
			"getcurrent":   starlark.NewBuiltin("getcurrent", m.getcurrent),
			"GreenletExit": GreenletExit,
			"error":        Error,
		},
	}
}

type module struct{ rt *Runtime }

// Holder is a Starlark value that stands for a greenlet: greenlet.greenlet,
// and gevent's Greenlet, which inherits switch, throw, dead and parent.
type Holder interface {
	starlark.Value
	Core() *G
}

// Greenlet is greenlet.greenlet.
type Greenlet struct{ g *G }

// Core returns the greenlet.
func (gr *Greenlet) Core() *G { return gr.g }

// ObjectOf returns the Starlark value of g, making a greenlet.greenlet for a
// thread's main greenlet the first time.
func ObjectOf(g *G) starlark.Value {
	if g.Obj == nil {
		g.Obj = &Greenlet{g: g}
	}
	return g.Obj
}

// newGreenlet is greenlet(run=None, parent=None).
func (m *module) newGreenlet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var run, parent starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs("greenlet", args, kwargs, "run?", &run, "parent?", &parent); err != nil {
		return nil, err
	}
	if _, ok := run.(starlark.Callable); run != starlark.None && !ok {
		return nil, interp.Errorf(interp.TypeError, "greenlet: run must be callable, not %s", interp.PyTypeName(run))
	}
	cur, err := m.rt.Current(th)
	if err != nil {
		return nil, err
	}
	p := cur
	if parent != starlark.None {
		ph, ok := parent.(Holder)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "greenlet: parent must be a greenlet, not %s", interp.PyTypeName(parent))
		}
		p = ph.Core()
		if p.hub != cur.hub {
			return nil, interp.Errorf(interp.ValueError, "parent cannot be on a different thread")
		}
	}
	name := "greenlet"
	if fn, ok := run.(interface{ Name() string }); ok {
		name += " (" + fn.Name() + ")"
	}
	g := cur.hub.NewG(run, p, name)
	gr := &Greenlet{g: g}
	g.Obj = gr
	return gr, nil
}

func (m *module) getcurrent(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getcurrent", args, kwargs, 0); err != nil {
		return nil, err
	}
	g, err := m.rt.Current(th)
	if err != nil {
		return nil, err
	}
	return ObjectOf(g), nil
}

var methods = map[string]*starlark.Builtin{
	"switch": starlark.NewBuiltin("switch", switchMethod),
	"throw":  starlark.NewBuiltin("throw", throwMethod),
}

// Method returns the greenlet method name (switch, throw) for a type that
// inherits it, or nil.
func Method(name string) *starlark.Builtin { return methods[name] }

// MethodNames lists the greenlet methods, for AttrNames.
func MethodNames() []string { return interp.SortedAttrNames(methods) }

func (gr *Greenlet) String() string {
	return fmt.Sprintf("<greenlet.greenlet object (%s)>", StateWords(gr.g))
}

// StateWords describes g as greenlet's repr does: "main", "dead", "active", "pending".
func StateWords(g *G) string {
	switch {
	case g.root:
		return "main"
	case g.dead:
		return "dead"
	case g.start:
		if g.hub.owner == g {
			return "current active started"
		}
		return "suspended active started"
	}
	return "pending"
}

func (gr *Greenlet) Type() string          { return "greenlet.greenlet" }
func (gr *Greenlet) Freeze()               {}
func (gr *Greenlet) Truth() starlark.Bool  { return starlark.Bool(gr.g.start && !gr.g.dead) }
func (gr *Greenlet) Hash() (uint32, error) { return interp.IdentityHash(gr), nil }

func (gr *Greenlet) Attr(name string) (starlark.Value, error) {
	if v, ok := CoreAttr(gr.g, name); ok {
		return v, nil
	}
	if b, ok := methods[name]; ok {
		return b.BindReceiver(gr), nil
	}
	return nil, nil
}

func (gr *Greenlet) AttrNames() []string {
	return append(MethodNames(), coreAttrNames...)
}

var coreAttrNames = []string{"dead", "parent", "run"}

// CoreAttr reads the data attributes every greenlet has: dead, parent, run.
func CoreAttr(g *G, name string) (starlark.Value, bool) {
	switch name {
	case "dead":
		return starlark.Bool(g.dead), true
	case "parent":
		if g.parent == nil {
			return starlark.None, true
		}
		return ObjectOf(g.parent), true
	case "run":
		if g.run == nil {
			return starlark.None, true
		}
		return g.run, true
	}
	return nil, false
}

// SetField makes g.parent = other work, as in Python.
func (gr *Greenlet) SetField(name string, v starlark.Value) error {
	if name != "parent" {
		return interp.Errorf(interp.AttributeError, "'greenlet.greenlet' object attribute '%s' is read-only", name)
	}
	return SetParent(gr.g, v)
}

// SetParent is g.parent = v: a greenlet of the same thread, no cycle.
func SetParent(g *G, v starlark.Value) error {
	ph, ok := v.(Holder)
	if !ok {
		return interp.Errorf(interp.TypeError, "parent must be a greenlet")
	}
	p := ph.Core()
	if p.hub != g.hub {
		return interp.Errorf(interp.ValueError, "parent cannot be on a different thread")
	}
	for x := p; x != nil; x = x.parent {
		if x == g {
			return interp.Errorf(interp.ValueError, "cyclic parent chain")
		}
	}
	g.parent = p
	return nil
}

// switchMethod is g.switch(*args, **kwargs).
func switchMethod(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	target := b.Receiver().(Holder).Core()
	cur, err := target.hub.rt.Current(th)
	if err != nil {
		return nil, err
	}
	if cur.hub != target.hub {
		return nil, interp.Errorf(Error, "cannot switch to a different thread")
	}
	in, err := cur.hub.Switch(cur, target, message{args: args, kwargs: kwargs})
	if err != nil {
		return nil, err
	}
	// The trace shows each hand-over and how many values it carried, so that
	// a grader can tell a value passed by switch() from one left in a global.
	cur.hub.sched().RecordOp(cur.t, target.Name, trace.Switch, len(args)+len(kwargs))
	return switchValue(in), nil
}

// switchValue is what switch() returns for the arguments of the switch that
// resumed it: one argument itself, none (), several a tuple, keywords a
// dict, both (args, kwargs).
func switchValue(in message) starlark.Value {
	if len(in.kwargs) == 0 {
		if len(in.args) == 1 {
			return in.args[0]
		}
		if in.args == nil {
			return starlark.Tuple{}
		}
		return in.args
	}
	d := starlark.NewDict(len(in.kwargs))
	for _, kv := range in.kwargs {
		d.SetKey(kv[0], kv[1])
	}
	if len(in.args) == 0 {
		return d
	}
	return starlark.Tuple{in.args, d}
}

// throwMethod is g.throw(typ=GreenletExit, val=None, tb=None).
func throwMethod(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var typ, val, tb starlark.Value = starlark.None, starlark.None, starlark.None
	if err := starlark.UnpackArgs("throw", args, kwargs, "typ?", &typ, "val?", &val, "tb?", &tb); err != nil {
		return nil, err
	}
	exc, err := MakeException(typ, val, GreenletExit)
	if err != nil {
		return nil, err
	}
	target := b.Receiver().(Holder).Core()
	cur, err := target.hub.rt.Current(th)
	if err != nil {
		return nil, err
	}
	if cur.hub != target.hub {
		return nil, interp.Errorf(Error, "cannot switch to a different thread")
	}
	in, err := cur.hub.Switch(cur, target, message{err: interp.Raise(exc)})
	if err != nil {
		return nil, err
	}
	return switchValue(in), nil
}

// MakeException builds the exception of throw(typ, val) and kill(exception):
// a class (called with val: none, one argument, or a tuple of them), or an
// instance; None means def.
func MakeException(typ, val starlark.Value, def *interp.ExceptionClass) (*interp.Exception, error) {
	switch t := typ.(type) {
	case starlark.NoneType:
		return interp.NewException(def), nil
	case *interp.Exception:
		if val != starlark.None {
			return nil, interp.Errorf(interp.TypeError, "instance exception may not have a separate value")
		}
		return t, nil
	case *interp.ExceptionClass:
		switch v := val.(type) {
		case *interp.Exception:
			if v.Class().IsSubclassOf(t) {
				return v, nil
			}
			return interp.NewException(t, v), nil
		case starlark.NoneType:
			return interp.NewException(t), nil
		case starlark.Tuple:
			return interp.NewException(t, v...), nil
		}
		return interp.NewException(t, val), nil
	}
	return nil, interp.Errorf(interp.TypeError, "exceptions must be classes, or instances, not %s", interp.PyTypeName(typ))
}
