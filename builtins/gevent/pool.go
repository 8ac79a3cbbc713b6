package gevent

import (
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/interp"
)

// gevent.pool: Pool(size) runs at most size greenlets at a time (spawn
// waits for a free slot, giving the hub away meanwhile); Group is a Pool
// without a limit.

func (m *module) poolModule() *starlarkstruct.Module {
	return &starlarkstruct.Module{
		Name: "gevent.pool",
		Members: starlark.StringDict{
			"Pool":  starlark.NewBuiltin("Pool", m.newPool),
			"Group": starlark.NewBuiltin("Group", m.newPool),
		},
	}
}

// Pool is gevent.pool.Pool and Group.
type Pool struct {
	m       *module
	size    int // 0: no limit (Group, Pool(None))
	group   bool
	members []*Greenlet
	waiters []*greenlet.G // spawners waiting for a slot
	joiners []*greenlet.G // join() waiting for the pool to empty
}

// newPool is Pool(size=None) and Group().
func (m *module) newPool(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p := &Pool{m: m, group: b.Name() == "Group"}
	if p.group {
		if err := starlark.UnpackPositionalArgs("Group", args, kwargs, 0); err != nil {
			return nil, err
		}
		return p, nil
	}
	var size starlark.Value = starlark.None
	if err := starlark.UnpackArgs("Pool", args, kwargs, "size?", &size); err != nil {
		return nil, err
	}
	if size != starlark.None {
		n, err := starlark.AsInt32(size)
		if err != nil {
			return nil, interp.Errorf(interp.TypeError, "Pool: size must be an int or None, not %s", interp.PyTypeName(size))
		}
		if n < 1 {
			return nil, interp.Errorf(interp.ValueError, "size must not be less than 1; got %d", n)
		}
		p.size = n
	}
	return p, nil
}

var poolMethods = map[string]*starlark.Builtin{
	"spawn":          starlark.NewBuiltin("spawn", poolSpawn),
	"map":            starlark.NewBuiltin("map", poolMap),
	"imap":           starlark.NewBuiltin("imap", poolMap),
	"imap_unordered": starlark.NewBuiltin("imap_unordered", poolMap),
	"apply":          starlark.NewBuiltin("apply", poolApply),
	"join":           starlark.NewBuiltin("join", poolJoin),
	"kill":           starlark.NewBuiltin("kill", poolKill),
	"free_count":     starlark.NewBuiltin("free_count", poolFreeCount),
	"full":           starlark.NewBuiltin("full", poolFull),
	"wait_available": starlark.NewBuiltin("wait_available", poolWaitAvailable),
}

func (p *Pool) String() string {
	return "<" + p.Type() + " at size " + itoa(p.size) + " with " + itoa(len(p.members)) + " greenlets>"
}
func (p *Pool) Type() string {
	if p.group {
		return "gevent.pool.Group"
	}
	return "gevent.pool.Pool"
}
func (p *Pool) Freeze()               {}
func (p *Pool) Truth() starlark.Bool  { return true }
func (p *Pool) Hash() (uint32, error) { return interp.IdentityHash(p), nil }
func (p *Pool) Len() int              { return len(p.members) }

func (p *Pool) Attr(name string) (starlark.Value, error) {
	switch name {
	case "size":
		if p.size == 0 {
			return starlark.None, nil
		}
		return starlark.MakeInt(p.size), nil
	case "greenlets":
		return greenletValues(p.members), nil
	}
	if b, ok := poolMethods[name]; ok {
		return b.BindReceiver(p), nil
	}
	return nil, nil
}

func (p *Pool) AttrNames() []string {
	return append(interp.SortedAttrNames(poolMethods), "greenlets", "size")
}

func (p *Pool) full() bool { return p.size > 0 && len(p.members) >= p.size }

// waitAvailable waits until the pool has a free slot, at most timeout.
func (p *Pool) waitAvailable(th *starlark.Thread, d time.Duration) error {
	if !p.full() {
		return nil
	}
	cur, err := p.m.current(th)
	if err != nil {
		return err
	}
	deadline := p.m.deadline(d)
	for p.full() {
		left := p.m.remaining(deadline)
		if left == 0 {
			return nil
		}
		p.waiters = append(p.waiters, cur)
		_, err := cur.Hub().Block(cur, "Pool.spawn (pool full)", left)
		p.waiters = removeG(p.waiters, cur)
		if err != nil {
			return err
		}
	}
	return nil
}

// spawn starts fn(*args, **kwargs) in the pool once it has a free slot.
func (p *Pool) spawn(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (*Greenlet, error) {
	if err := p.waitAvailable(th, -1); err != nil {
		return nil, err
	}
	gl, err := p.m.newGreenlet(th, "spawn", args, kwargs)
	if err != nil {
		return nil, err
	}
	p.members = append(p.members, gl)
	gl.links = append(gl.links, link{fn: p.discard})
	return gl, gl.start(th)
}

// discard takes an ended greenlet out of the pool and wakes who waits for room.
func (p *Pool) discard(gl *Greenlet, by *interp.Thread) {
	for i, x := range p.members {
		if x == gl {
			p.members = append(p.members[:i], p.members[i+1:]...)
			break
		}
	}
	wakeOne(p.waiters, by)
	if len(p.members) == 0 {
		wakeAll(p.joiners, by)
		p.joiners = nil
	}
}

func poolSpawn(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	gl, err := b.Receiver().(*Pool).spawn(th, args, kwargs)
	if err != nil {
		return nil, err
	}
	return gl, nil
}

// poolMap is map(func, iterable), imap(func, iterable) (the same list, in
// the order of iterable) and imap_unordered(func, iterable) (the results
// in the order the greenlets ended). A failure is raised.
func poolMap(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn, seq starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "func", &fn, "iterable", &seq); err != nil {
		return nil, err
	}
	iterable, ok := seq.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "'%s' object is not iterable", interp.PyTypeName(seq))
	}
	p := b.Receiver().(*Pool)
	var items []starlark.Value
	iter := iterable.Iterate()
	var x starlark.Value
	for iter.Next(&x) {
		items = append(items, x)
	}
	iter.Done()
	var gls []*Greenlet
	for _, item := range items {
		gl, err := p.spawn(th, starlark.Tuple{fn, item}, nil)
		if err != nil {
			return nil, err
		}
		gls = append(gls, gl)
	}
	done, err := p.m.waitGreenlets(th, gls, len(gls), -1, true, "Pool."+b.Name())
	if err != nil {
		return nil, err
	}
	if b.Name() == "imap_unordered" {
		gls = done
	}
	out := make([]starlark.Value, len(gls))
	for i, gl := range gls {
		out[i] = gl.value
	}
	return starlark.NewList(out), nil
}

// poolApply is apply(func, args=(), kwds=None): run it in the pool and
// return its value.
func poolApply(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn, fargs, fkw starlark.Value = nil, starlark.Tuple{}, starlark.None
	if err := starlark.UnpackArgs("apply", args, kwargs, "func", &fn, "args?", &fargs, "kwds?", &fkw); err != nil {
		return nil, err
	}
	call := starlark.Tuple{fn}
	if t, ok := fargs.(starlark.Tuple); ok {
		call = append(call, t...)
	} else if l, ok := fargs.(*starlark.List); ok {
		for i := 0; i < l.Len(); i++ {
			call = append(call, l.Index(i))
		}
	} else {
		return nil, interp.Errorf(interp.TypeError, "apply: args must be a tuple or list, not %s", interp.PyTypeName(fargs))
	}
	var kw []starlark.Tuple
	if d, ok := fkw.(*starlark.Dict); ok {
		kw = d.Items()
	}
	p := b.Receiver().(*Pool)
	gl, err := p.spawn(th, call, kw)
	if err != nil {
		return nil, err
	}
	if _, err := p.m.waitGreenlets(th, []*Greenlet{gl}, 1, -1, false, "Pool.apply"); err != nil {
		return nil, err
	}
	if gl.exc != nil {
		return nil, interp.Raise(gl.exc)
	}
	return gl.value, nil
}

// poolJoin is join(timeout=None, raise_error=False): wait until the pool
// is empty; True, or False on timeout.
func poolJoin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	var raiseError bool
	if err := starlark.UnpackArgs("join", args, kwargs, "timeout?", &timeout, "raise_error?", &raiseError); err != nil {
		return nil, err
	}
	d, err := seconds("join", timeout)
	if err != nil {
		return nil, err
	}
	p := b.Receiver().(*Pool)
	members := append([]*Greenlet(nil), p.members...)
	done, err := p.m.waitGreenlets(th, members, len(members), d, raiseError, "Pool.join")
	if err != nil {
		return nil, err
	}
	return starlark.Bool(len(done) == len(members)), nil
}

// poolKill is kill(exception=GreenletExit, block=True, timeout=None).
func poolKill(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p := b.Receiver().(*Pool)
	list := greenletValues(p.members)
	return p.m.killall(th, b, append(starlark.Tuple{list}, args...), kwargs)
}

func poolFreeCount(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("free_count", args, kwargs, 0); err != nil {
		return nil, err
	}
	p := b.Receiver().(*Pool)
	if p.size == 0 {
		return starlark.MakeInt(1), nil // gevent: a pool without a limit always has room
	}
	return starlark.MakeInt(p.size - len(p.members)), nil
}

func poolFull(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("full", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Pool).full()), nil
}

// poolWaitAvailable is wait_available(timeout=None): wait for a free slot.
func poolWaitAvailable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("wait_available", args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("wait_available", timeout)
	if err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Pool).waitAvailable(th, d)
}

// Iterate makes `for g in pool` and len(pool) work, as in gevent.
func (p *Pool) Iterate() starlark.Iterator {
	out := make(starlark.Tuple, len(p.members))
	for i, gl := range p.members {
		out[i] = gl
	}
	return out.Iterate()
}
