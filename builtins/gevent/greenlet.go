package gevent

import (
	"fmt"
	"io"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/interp"
)

// Greenlet is gevent.Greenlet: a greenlet whose parent is the hub, started
// by the hub when its turn comes, with the result of run kept for join/get.
type Greenlet struct {
	m      *module
	g      *greenlet.G
	run    starlark.Value
	args   starlark.Tuple
	kwargs []starlark.Tuple

	scheduled bool           // start() or start_later() was called
	later     *timer         // start_later's timer, until it fires
	value     starlark.Value // what run returned (or the GreenletExit that killed it)
	exc       *interp.Exception
	deathSeq  uint64
	joiners   []*joinWaiter
	num       uint64 // creation order
	links     []link
}

// link is a callback of link(), link_value() or link_exception(); or, with
// fn set, one of starlab's own (a Pool's bookkeeping).
type link struct {
	cb   starlark.Value
	when string // "", "value", "exception"
	fn   func(gl *Greenlet, by *interp.Thread)
}

// Core returns the greenlet, for the greenlet module's switch and throw.
func (gl *Greenlet) Core() *greenlet.G { return gl.g }

// newGreenletBuiltin is Greenlet(run=None, *args, **kwargs): not started.
func (m *module) newGreenletBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	for i, kv := range kwargs {
		if k, _ := starlark.AsString(kv[0]); k == "run" && len(args) == 0 {
			args = starlark.Tuple{kv[1]}
			kwargs = append(kwargs[:i:i], kwargs[i+1:]...)
			break
		}
	}
	return m.newGreenlet(th, "Greenlet", args, kwargs)
}

// newGreenlet makes a Greenlet of the calling thread's hub from
// (function, *args, **kwargs).
func (m *module) newGreenlet(th *starlark.Thread, fn string, args starlark.Tuple, kwargs []starlark.Tuple) (*Greenlet, error) {
	if len(args) < 1 {
		return nil, interp.Errorf(interp.TypeError, "%s() missing required argument: 'run'", fn)
	}
	run := args[0]
	if _, ok := run.(starlark.Callable); !ok {
		return nil, interp.Errorf(interp.TypeError, "%s: run must be callable, not %s", fn, interp.PyTypeName(run))
	}
	cur, err := m.current(th)
	if err != nil {
		return nil, err
	}
	m.created++
	gl := &Greenlet{m: m, run: run, args: args[1:], kwargs: kwargs, value: starlark.None, num: m.created}
	gl.g = cur.Hub().NewG(run, nil, m.rt.NextName())
	gl.g.SetArgs(gl.args, gl.kwargs)
	gl.g.Obj = gl
	gl.g.OnDeath = gl.onDeath
	return gl, nil
}

// start schedules the greenlet: it runs when the current one blocks.
func (gl *Greenlet) start(th *starlark.Thread) error {
	if gl.scheduled || gl.g.Dead() {
		return nil
	}
	cur, err := gl.m.current(th)
	if err != nil {
		return err
	}
	gl.scheduled = true
	h := gl.g.Hub()
	addLive(h, gl.g)
	h.Schedule(gl.g, cur.Thread())
	return nil
}

// startLater schedules the greenlet after d.
func (gl *Greenlet) startLater(th *starlark.Thread, d time.Duration) error {
	if gl.scheduled || gl.g.Dead() {
		return nil
	}
	cur, err := gl.m.current(th)
	if err != nil {
		return err
	}
	gl.scheduled = true
	h := gl.g.Hub()
	addLive(h, gl.g)
	gl.later = gl.m.after(cur.Thread(), "spawn_later", d, func(by *interp.Thread) {
		gl.later = nil
		h.Schedule(gl.g, by)
	})
	return nil
}

// onDeath records how run ended, reports a failure as gevent's hub does,
// and wakes the joiners and calls the links. It runs in the greenlet that
// died (or in its killer, if it never started), holding the hub.
func (gl *Greenlet) onDeath(g *greenlet.G, th *starlark.Thread, val starlark.Value, err error) {
	m := gl.m
	m.deaths++
	gl.deathSeq = m.deaths
	h := g.Hub()
	delete(h.Live, g)
	if err != nil {
		exc := interp.ExceptionFromError(err)
		if exc == nil {
			exc = interp.NewException(interp.SystemError, starlark.String(err.Error()))
		}
		if exc.Class().IsSubclassOf(greenlet.GreenletExit) {
			gl.value = exc
		} else {
			gl.exc = exc
			var b strings.Builder
			m.it.PrintException(&b, exc)
			fmt.Fprintf(&b, "%s failed with %s\n\n", gl.String(), exc.Class().Name())
			io.WriteString(m.it.Stderr(), b.String())
		}
	} else {
		gl.value = val
	}
	by := interp.Current(th)
	for _, jw := range gl.joiners {
		jw.need--
		if jw.need <= 0 || jw.raiseError && gl.exc != nil {
			jw.g.Hub().Wake(jw.g, by)
		}
	}
	gl.joiners = nil
	for _, l := range gl.links {
		gl.callLink(th, by, l)
	}
	gl.links = nil
}

func (gl *Greenlet) callLink(th *starlark.Thread, by *interp.Thread, l link) {
	if l.fn != nil {
		l.fn(gl, by)
		return
	}
	ok := gl.exc == nil
	if (l.when == "value" && !ok) || (l.when == "exception" && ok) {
		return
	}
	if _, err := starlark.Call(th, l.cb, starlark.Tuple{gl}, nil); err != nil && !interp.IsKilled(err) {
		if exc := interp.ExceptionFromError(err); exc != nil {
			gl.m.it.PrintException(gl.m.it.Stderr(), exc)
		}
	}
}

// kill raises exception (default GreenletExit) in the greenlet at its
// current or next wait; a greenlet that has not started never runs. With
// block, it waits until the greenlet has ended, at most timeout.
func (gl *Greenlet) kill(th *starlark.Thread, exception starlark.Value, block bool, timeout time.Duration) error {
	if gl.g.Dead() {
		return nil
	}
	exc, err := greenlet.MakeException(exception, starlark.None, greenlet.GreenletExit)
	if err != nil {
		return err
	}
	cur, err := gl.m.current(th)
	if err != nil {
		return err
	}
	if cur == gl.g {
		return interp.Raise(exc)
	}
	if !gl.g.Started() {
		if gl.later != nil {
			gl.later.cancel(gl.m.it.Sched())
			gl.later = nil
		}
		gl.g.Hub().KillUnstarted(gl.g)
		gl.onDeath(gl.g, th, starlark.None, interp.Raise(exc))
		return nil
	}
	gl.g.Hub().Interrupt(gl.g, interp.Raise(exc), cur.Thread())
	if block {
		_, err := gl.m.waitGreenlets(th, []*Greenlet{gl}, 1, timeout, false, "kill "+gl.g.Name)
		return err
	}
	return nil
}

var greenletMethods = map[string]*starlark.Builtin{
	"start":          starlark.NewBuiltin("start", glStart),
	"start_later":    starlark.NewBuiltin("start_later", glStartLater),
	"join":           starlark.NewBuiltin("join", glJoin),
	"get":            starlark.NewBuiltin("get", glGet),
	"kill":           starlark.NewBuiltin("kill", glKill),
	"ready":          starlark.NewBuiltin("ready", glReady),
	"successful":     starlark.NewBuiltin("successful", glSuccessful),
	"link":           starlark.NewBuiltin("link", glLink),
	"link_value":     starlark.NewBuiltin("link_value", glLink),
	"link_exception": starlark.NewBuiltin("link_exception", glLink),
	"unlink":         starlark.NewBuiltin("unlink", glUnlink),
}

func (gl *Greenlet) String() string {
	var args []string
	for _, a := range gl.args {
		args = append(args, interp.PyRepr(a))
	}
	for _, kv := range gl.kwargs {
		k, _ := starlark.AsString(kv[0])
		args = append(args, k+"="+interp.PyRepr(kv[1]))
	}
	name := "run"
	if fn, ok := gl.run.(interface{ Name() string }); ok {
		name = fn.Name()
	}
	return fmt.Sprintf("<Greenlet %q: %s(%s)>", gl.g.Name, name, strings.Join(args, ", "))
}
func (gl *Greenlet) Type() string          { return "Greenlet" }
func (gl *Greenlet) Freeze()               {}
func (gl *Greenlet) Truth() starlark.Bool  { return starlark.Bool(gl.g.Started() && !gl.g.Dead()) }
func (gl *Greenlet) Hash() (uint32, error) { return interp.IdentityHash(gl), nil }

func (gl *Greenlet) Attr(name string) (starlark.Value, error) {
	switch name {
	case "value":
		return gl.value, nil
	case "exception":
		if gl.exc == nil {
			return starlark.None, nil
		}
		return gl.exc, nil
	case "name":
		return starlark.String(gl.g.Name), nil
	case "args":
		return gl.args, nil
	case "kwargs":
		d := starlark.NewDict(len(gl.kwargs))
		for _, kv := range gl.kwargs {
			d.SetKey(kv[0], kv[1])
		}
		return d, nil
	case "started":
		return starlark.Bool(gl.scheduled || gl.g.Started()), nil
	}
	if v, ok := greenlet.CoreAttr(gl.g, name); ok {
		return v, nil
	}
	if b, ok := greenletMethods[name]; ok {
		return b.BindReceiver(gl), nil
	}
	if b := greenlet.Method(name); b != nil {
		return b.BindReceiver(gl), nil
	}
	return nil, nil
}

func (gl *Greenlet) AttrNames() []string {
	names := append(interp.SortedAttrNames(greenletMethods), greenlet.MethodNames()...)
	return append(names, "args", "dead", "exception", "kwargs", "name", "parent", "run", "started", "value")
}

func glStart(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("start", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Greenlet).start(th)
}

func glStartLater(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var secs starlark.Value
	if err := starlark.UnpackArgs("start_later", args, kwargs, "seconds", &secs); err != nil {
		return nil, err
	}
	d, err := seconds("start_later", secs)
	if err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Greenlet).startLater(th, d)
}

// glJoin is join(timeout=None): wait until the greenlet has ended.
func glJoin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("join", args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("join", timeout)
	if err != nil {
		return nil, err
	}
	gl := b.Receiver().(*Greenlet)
	_, err = gl.m.waitGreenlets(th, []*Greenlet{gl}, 1, d, false, "join "+gl.g.Name)
	return starlark.None, err
}

// glGet is get(block=True, timeout=None): run's value, or its exception
// raised; gevent.Timeout if it has not ended in time.
func glGet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	block := true
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("get", args, kwargs, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("get", timeout)
	if err != nil {
		return nil, err
	}
	gl := b.Receiver().(*Greenlet)
	if !gl.g.Dead() {
		if !block {
			d = 0
		}
		if _, err := gl.m.waitGreenlets(th, []*Greenlet{gl}, 1, d, false, "get "+gl.g.Name); err != nil {
			return nil, err
		}
	}
	if !gl.g.Dead() {
		return nil, interp.Raise(interp.NewException(gl.m.timeoutClass))
	}
	if gl.exc != nil {
		return nil, interp.Raise(gl.exc)
	}
	return gl.value, nil
}

// glKill is kill(exception=GreenletExit, block=True, timeout=None).
func glKill(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var exception, timeout starlark.Value = starlark.None, starlark.None
	block := true
	if err := starlark.UnpackArgs("kill", args, kwargs, "exception?", &exception, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("kill", timeout)
	if err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Greenlet).kill(th, exception, block, d)
}

func glReady(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("ready", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Greenlet).g.Dead()), nil
}

func glSuccessful(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("successful", args, kwargs, 0); err != nil {
		return nil, err
	}
	gl := b.Receiver().(*Greenlet)
	return starlark.Bool(gl.g.Dead() && gl.exc == nil), nil
}

// glLink is link(callback), link_value(callback), link_exception(callback):
// callback(greenlet) once it has ended (with a value, with an exception).
func glLink(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cb starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "callback", &cb); err != nil {
		return nil, err
	}
	if _, ok := cb.(starlark.Callable); !ok {
		return nil, interp.Errorf(interp.TypeError, "%s: callback must be callable, not %s", b.Name(), interp.PyTypeName(cb))
	}
	gl := b.Receiver().(*Greenlet)
	l := link{cb: cb, when: strings.TrimPrefix(strings.TrimPrefix(b.Name(), "link"), "_")}
	if gl.g.Dead() {
		gl.callLink(th, interp.Current(th), l)
		return starlark.None, nil
	}
	gl.links = append(gl.links, l)
	return starlark.None, nil
}

func glUnlink(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cb starlark.Value
	if err := starlark.UnpackArgs("unlink", args, kwargs, "callback", &cb); err != nil {
		return nil, err
	}
	gl := b.Receiver().(*Greenlet)
	for i, l := range gl.links {
		if l.cb == cb {
			gl.links = append(gl.links[:i], gl.links[i+1:]...)
			break
		}
	}
	return starlark.None, nil
}

// timer runs fire after d on the run's clock, in a helper thread of its
// own (gevent's timers live in its loop; starlab's waits live in threads),
// unless cancelled first.
type timer struct {
	wq        interp.WaitQueue
	cancelled bool
}

// after starts a timer from parent, the baton holder.
func (m *module) after(parent *interp.Thread, reason string, d time.Duration, fire func(by *interp.Thread)) *timer {
	tm := &timer{}
	s := m.it.Sched()
	m.it.Go(parent, "gevent timer ("+reason+")", true, func(t *interp.Thread) error {
		woken, err := s.Wait(t, &tm.wq, reason, d)
		if err != nil || woken || tm.cancelled {
			return nil
		}
		tm.cancelled = true
		fire(t)
		return nil
	})
	return tm
}

// cancel stops the timer before it fires.
func (tm *timer) cancel(s *interp.Scheduler) {
	if tm.cancelled {
		return
	}
	tm.cancelled = true
	s.WakeOne(&tm.wq)
}
