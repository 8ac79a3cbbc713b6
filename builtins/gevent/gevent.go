// Package gevent is Python's gevent for starlab: greenlets that switch by
// themselves whenever one of them blocks, the second half of the course's
// 协程 (coroutines) section.
//
//	monkey.patch_all()          # gevent.monkey.patch_all()
//	def f(url):
//	    print("GET: %s" % url)
//	    data = urllib.request.urlopen(url).read()   # switches while it waits
//	    print("%d bytes received from %s." % (len(data), url))
//	gevent.joinall([gevent.spawn(f, u) for u in urls])
//
// What it offers: spawn, spawn_later, joinall, wait, sleep, kill, killall,
// getcurrent, with_timeout, Greenlet (join, get, kill, value, exception,
// ready, successful, dead, link, switch, throw), Timeout, and the
// submodules pool (Pool, Group), queue (Queue, JoinableQueue), event
// (Event, AsyncResult), lock (Semaphore, BoundedSemaphore) and monkey
// (patch_all, patch_time, patch_socket, patch_select).
//
// How it runs: the greenlets of a thread share a hub (builtins/greenlet);
// a gevent call that blocks gives the hub to the next ready greenlet, and
// after monkey.patch_all() so do time.sleep, socket I/O, select and urlopen.
// An unpatched blocking call keeps the hub, so every greenlet waits: the
// course's lesson. Everything runs on the scheduler, so sim mode (sleeps on
// the virtual clock, a seeded order) replays greenlets too.
//
// What departs: when every greenlet waits for something that never comes,
// gevent raises LoopExit in the main greenlet; starlab reports a deadlock
// (exit 3) with what each greenlet waits on, as for threads. Callbacks of
// link() run in the greenlet that died, right after it, not in a separate
// hub greenlet. imap_unordered and imap return lists. Timeout takes its
// arguments by position only, and str() of one is its seconds. patch_all
// does not turn threads into greenlets (patch_thread is accepted and does
// nothing).
package gevent

import (
	"sort"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// New returns the gevent module of a run: rt is the run's greenlet
// machinery (shared with the greenlet module); empty and full are the queue
// module's Empty and Full, which gevent.queue raises too, as gevent does.
func New(it *interp.Interp, rt *greenlet.Runtime, empty, full *interp.ExceptionClass) *starlarkstruct.Module {
	m := &module{it: it, rt: rt, empty: empty, full: full}
	m.timeoutClass = interp.NewModuleExceptionClassInit("gevent", "Timeout", interp.BaseException, m.initTimeout)
	return &starlarkstruct.Module{
		Name: "gevent",
		Members: starlark.StringDict{
			"spawn":        starlark.NewBuiltin("spawn", m.spawn),
			"spawn_later":  starlark.NewBuiltin("spawn_later", m.spawnLater),
			"Greenlet":     starlark.NewBuiltin("Greenlet", m.newGreenletBuiltin),
			"joinall":      starlark.NewBuiltin("joinall", m.joinall),
			"wait":         starlark.NewBuiltin("wait", m.wait),
			"sleep":        starlark.NewBuiltin("sleep", m.sleep),
			"kill":         starlark.NewBuiltin("kill", m.killFn),
			"killall":      starlark.NewBuiltin("killall", m.killall),
			"getcurrent":   starlark.NewBuiltin("getcurrent", m.getcurrent),
			"with_timeout": starlark.NewBuiltin("with_timeout", m.withTimeout),
			"GreenletExit": greenlet.GreenletExit,
			"Timeout":      m.timeoutClass,
			"pool":         m.poolModule(),
			"queue":        m.queueModule(),
			"event":        m.eventModule(),
			"lock":         m.lockModule(),
			"monkey":       m.monkeyModule(),
		},
	}
}

type module struct {
	it           *interp.Interp
	rt           *greenlet.Runtime
	empty, full  *interp.ExceptionClass
	timeoutClass *interp.ExceptionClass
	deaths       uint64 // orders greenlets by when they ended (joinall's result)
	created      uint64 // numbers greenlets in creation order
}

// current returns the calling greenlet.
func (m *module) current(th *starlark.Thread) (*greenlet.G, error) {
	return m.rt.Current(th)
}

// seconds reads a timeout or a delay in seconds: None is -1 (forever), a
// negative number 0.
func seconds(fn string, v starlark.Value) (time.Duration, error) {
	return pyarg.Timeout(v, pyarg.TimeoutSpec{
		TypeMsg:     func(v starlark.Value) string { return fn + ": timeout must be a number, not " + interp.PyTypeName(v) },
		TooLargeMsg: "timeout value is too large",
	})
}

// deadline turns a timeout into a deadline on the run's clock (-1: none),
// and remaining back into what is left of it.
func (m *module) deadline(d time.Duration) time.Duration {
	if d < 0 {
		return -1
	}
	return m.it.Sched().Now() + d
}

func (m *module) remaining(deadline time.Duration) time.Duration {
	if deadline < 0 {
		return -1
	}
	left := deadline - m.it.Sched().Now()
	if left < 0 {
		return 0
	}
	return left
}

func (m *module) spawn(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	gl, err := m.newGreenlet(th, "spawn", args, kwargs)
	if err != nil {
		return nil, err
	}
	return gl, gl.start(th)
}

// spawnLater is spawn_later(seconds, function, *args, **kwargs).
func (m *module) spawnLater(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) < 1 {
		return nil, interp.Errorf(interp.TypeError, "spawn_later() missing required argument: 'seconds'")
	}
	d, err := seconds("spawn_later", args[0])
	if err != nil {
		return nil, err
	}
	gl, err := m.newGreenlet(th, "spawn_later", args[1:], kwargs)
	if err != nil {
		return nil, err
	}
	return gl, gl.startLater(th, d)
}

// sleep is sleep(seconds=0, ref=True): other greenlets run meanwhile; 0
// lets each ready greenlet run once.
func (m *module) sleep(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var secs starlark.Value = starlark.MakeInt(0)
	var ref = true
	if err := starlark.UnpackArgs("sleep", args, kwargs, "seconds?", &secs, "ref?", &ref); err != nil {
		return nil, err
	}
	d, err := seconds("sleep", secs)
	if err != nil {
		return nil, err
	}
	if d < 0 {
		return nil, interp.Errorf(interp.TypeError, "sleep: seconds must be a number, not NoneType")
	}
	g, err := m.current(th)
	if err != nil {
		return nil, err
	}
	return starlark.None, g.Hub().Sleep(g, d)
}

func (m *module) getcurrent(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getcurrent", args, kwargs, 0); err != nil {
		return nil, err
	}
	g, err := m.current(th)
	if err != nil {
		return nil, err
	}
	return greenlet.ObjectOf(g), nil
}

// greenletList reads a list or tuple of gevent Greenlets.
func greenletList(fn string, v starlark.Value) ([]*Greenlet, error) {
	it, ok := v.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "%s: expected a list of greenlets, not %s", fn, interp.PyTypeName(v))
	}
	var out []*Greenlet
	iter := it.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		gl, ok := x.(*Greenlet)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "%s: expected a greenlet, not %s", fn, interp.PyTypeName(x))
		}
		out = append(out, gl)
	}
	return out, nil
}

// joinall is joinall(greenlets, timeout=None, raise_error=False, count=None):
// wait until they have all ended (or count of them), at most timeout
// seconds; it returns the ones that ended, in the order they ended.
func (m *module) joinall(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var list, timeout, count starlark.Value = nil, starlark.None, starlark.None
	var raiseError bool
	if err := starlark.UnpackArgs("joinall", args, kwargs, "greenlets", &list, "timeout?", &timeout, "raise_error?", &raiseError, "count?", &count); err != nil {
		return nil, err
	}
	gls, err := greenletList("joinall", list)
	if err != nil {
		return nil, err
	}
	d, err := seconds("joinall", timeout)
	if err != nil {
		return nil, err
	}
	n := len(gls)
	if count != starlark.None {
		c, err := starlark.AsInt32(count)
		if err != nil {
			return nil, interp.Errorf(interp.TypeError, "joinall: count must be an int")
		}
		n = min(n, c)
	}
	done, err := m.waitGreenlets(th, gls, n, d, raiseError, "joinall")
	if err != nil {
		return nil, err
	}
	return greenletValues(done), nil
}

func greenletValues(gls []*Greenlet) *starlark.List {
	out := make([]starlark.Value, len(gls))
	for i, gl := range gls {
		out[i] = gl
	}
	return starlark.NewList(out)
}

// waitGreenlets waits until n of gls have ended or timeout passes, and
// returns those that ended, in the order they ended. With raiseError, the
// first failure is raised instead.
func (m *module) waitGreenlets(th *starlark.Thread, gls []*Greenlet, n int, timeout time.Duration, raiseError bool, reason string) ([]*Greenlet, error) {
	cur, err := m.current(th)
	if err != nil {
		return nil, err
	}
	deadline := m.deadline(timeout)
	for {
		var done []*Greenlet
		for _, gl := range gls {
			if gl.g.Dead() {
				done = append(done, gl)
			}
		}
		sort.SliceStable(done, func(i, j int) bool { return done[i].deathSeq < done[j].deathSeq })
		if raiseError {
			for _, gl := range done {
				if gl.exc != nil {
					return nil, interp.Raise(gl.exc)
				}
			}
		}
		left := m.remaining(deadline)
		if len(done) >= n || left == 0 {
			return done, nil
		}
		// One waiter for all of them, woken once enough have ended (or
		// one failed, with raiseError): joinall of many greenlets costs
		// one wake-up, not one per greenlet.
		jw := &joinWaiter{g: cur, need: n - len(done), raiseError: raiseError}
		for _, gl := range gls {
			if !gl.g.Dead() {
				gl.joiners = append(gl.joiners, jw)
			}
		}
		_, err := cur.Hub().Block(cur, reason, left)
		for _, gl := range gls {
			if !gl.g.Dead() {
				gl.joiners = removeJoiner(gl.joiners, jw)
			}
		}
		if err != nil {
			return nil, err
		}
	}
}

// joinWaiter is a greenlet in joinall (join, get, ...): woken when need
// more of the greenlets it waits for have ended.
type joinWaiter struct {
	g          *greenlet.G
	need       int
	raiseError bool
}

func removeJoiner(list []*joinWaiter, jw *joinWaiter) []*joinWaiter {
	for i, x := range list {
		if x == jw {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// addLive records a scheduled greenlet for gevent.wait().
func addLive(h *greenlet.Hub, g *greenlet.G) {
	if h.Live == nil {
		h.Live = make(map[*greenlet.G]bool)
	}
	h.Live[g] = true
}

// removeG returns list without g.
func removeG(list []*greenlet.G, g *greenlet.G) []*greenlet.G {
	for i, x := range list {
		if x == g {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// wakeAll wakes every greenlet of list that still waits.
func wakeAll(list []*greenlet.G, by *interp.Thread) {
	for _, g := range list {
		g.Hub().Wake(g, by)
	}
}

// wakeOne wakes the first greenlet of list that still waits.
func wakeOne(list []*greenlet.G, by *interp.Thread) {
	for _, g := range list {
		if g.Hub().Wake(g, by) {
			return
		}
	}
}

// wait is wait(objects=None, timeout=None, count=None): with no objects, wait
// until every greenlet of this thread has ended and return True (False on
// timeout); else wait for the greenlets and events given and return those
// ready.
func (m *module) wait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var objects, timeout, count starlark.Value = starlark.None, starlark.None, starlark.None
	if err := starlark.UnpackArgs("wait", args, kwargs, "objects?", &objects, "timeout?", &timeout, "count?", &count); err != nil {
		return nil, err
	}
	d, err := seconds("wait", timeout)
	if err != nil {
		return nil, err
	}
	cur, err := m.current(th)
	if err != nil {
		return nil, err
	}
	if objects == starlark.None {
		var gls []*Greenlet
		for g := range cur.Hub().Live {
			if gl, ok := g.Obj.(*Greenlet); ok {
				gls = append(gls, gl)
			}
		}
		sort.Slice(gls, func(i, j int) bool { return gls[i].num < gls[j].num }) // a map's order is random
		done, err := m.waitGreenlets(th, gls, len(gls), d, false, "gevent.wait")
		if err != nil {
			return nil, err
		}
		return starlark.Bool(len(done) == len(gls)), nil
	}
	if evs, ok := eventList(objects); ok {
		return m.waitEvents(th, evs, count, d)
	}
	gls, err := greenletList("wait", objects)
	if err != nil {
		return nil, err
	}
	n := len(gls)
	if count != starlark.None {
		if c, err := starlark.AsInt32(count); err == nil {
			n = min(n, c)
		}
	}
	done, err := m.waitGreenlets(th, gls, n, d, false, "gevent.wait")
	if err != nil {
		return nil, err
	}
	return greenletValues(done), nil
}

// killFn is gevent.kill(greenlet, exception=GreenletExit): kill without waiting.
func (m *module) killFn(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	var exception starlark.Value = starlark.None
	if err := starlark.UnpackArgs("kill", args, kwargs, "greenlet", &v, "exception?", &exception); err != nil {
		return nil, err
	}
	gl, ok := v.(*Greenlet)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "kill: expected a greenlet, not %s", interp.PyTypeName(v))
	}
	return starlark.None, gl.kill(th, exception, false, -1)
}

// killall is killall(greenlets, exception=GreenletExit, block=True, timeout=None).
func (m *module) killall(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var list, exception, timeout starlark.Value = nil, starlark.None, starlark.None
	block := true
	if err := starlark.UnpackArgs("killall", args, kwargs, "greenlets", &list, "exception?", &exception, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	gls, err := greenletList("killall", list)
	if err != nil {
		return nil, err
	}
	d, err := seconds("killall", timeout)
	if err != nil {
		return nil, err
	}
	for _, gl := range gls {
		if err := gl.kill(th, exception, false, -1); err != nil {
			return nil, err
		}
	}
	if block {
		if _, err := m.waitGreenlets(th, gls, len(gls), d, false, "killall"); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}
