package greenlet

import (
	"strconv"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// How greenlets run on starlab's scheduler.
//
// Every greenlet is an interp.Thread: a goroutine with its own
// *starlark.Thread, so the scheduler's baton, sim mode, deadlock reports and
// Ctrl-C work for greenlets as for threads. What makes them greenlets is the
// Hub: the greenlets of one OS-level thread share a token, and only the
// token's owner runs Starlark code. A switch hands the token (and the
// baton) to its target directly; the giver parks on its own WaitQueue until
// the token comes back. A greenlet that waits for the token is parked, so
// if every greenlet waits, the scheduler sees a deadlock and reports it.
//
// gevent adds the hub's run queue (ready): a greenlet that blocks in a
// gevent call (Block) gives the token to the next ready greenlet, and a
// waker (an Event set, a sleep over) queues it again. Calls that
// gevent.monkey patched do the same through the interp.Coop hooks; an
// unpatched blocking call keeps the token, and all the hub waits.
//
// All the state below is read and written only by the thread holding the
// scheduler's baton, which is what keeps it consistent without a mutex.

// gKey is the starlark.Thread local that holds the thread's *G.
const gKey = "starlab.greenlet"

// Runtime is the greenlet machinery of one run: shared by the greenlet and
// gevent modules, it holds what gevent.monkey patched and names greenlets.
type Runtime struct {
	it      *interp.Interp
	patched map[string]bool // "time", "socket", "select"
	names   int             // "Greenlet-N"
}

// NewRuntime returns the greenlet machinery for one run.
func NewRuntime(it *interp.Interp) *Runtime {
	return &Runtime{it: it, patched: make(map[string]bool)}
}

// Interp returns the run's interpreter.
func (rt *Runtime) Interp() *interp.Interp { return rt.it }

// Patch records that gevent.monkey patched module ("time", "socket",
// "select"): from now on its blocking calls switch greenlets.
func (rt *Runtime) Patch(module string) { rt.patched[module] = true }

// Patched reports whether module was patched.
func (rt *Runtime) Patched(module string) bool { return rt.patched[module] }

// NextName returns gevent's next default greenlet name, "Greenlet-N".
func (rt *Runtime) NextName() string {
	n := rt.names
	rt.names++
	return "Greenlet-" + strconv.Itoa(n)
}

// message is what a switch carries: the arguments of switch() (or of the
// first call of run), or an exception to raise in the target (throw).
type message struct {
	args   starlark.Tuple
	kwargs []starlark.Tuple
	err    error
}

// G is one greenlet: the raw greenlet of the greenlet module, or the core of
// a gevent Greenlet.
type G struct {
	hub *Hub
	t   *interp.Thread // nil until it starts
	wq  interp.WaitQueue

	// Obj is the Starlark value that stands for the greenlet.
	Obj starlark.Value
	// Name names its thread, in reports and traces.
	Name string

	run    starlark.Value
	args   starlark.Tuple // fixed start arguments (gevent); else the first switch's
	kwargs []starlark.Tuple
	fixed  bool // args/kwargs are fixed
	parent *G   // nil: the hub (gevent) or none (a thread's main greenlet)
	root   bool // the main greenlet of its thread
	inbox  message
	dead   bool
	start  bool // its thread was started (or, for a gevent greenlet, it was killed before)

	// gevent waits (Block).
	waiting   bool  // in Block, wakeable by Wake
	woken     bool  // Wake ended the wait (not a timeout)
	queued    bool  // in the hub's ready queue
	pending   error // an exception to raise at its next gevent wait (kill, Timeout)
	external  bool  // in a patched external wait (socket I/O), without the token
	suspended bool  // parked in switch(), waiting to be switched to

	// OnDeath, if set, makes this a gevent greenlet: it is called in the
	// greenlet's own thread, with the token, when run has returned (err
	// is the exception it raised), and then the token goes to the hub.
	OnDeath func(g *G, th *starlark.Thread, val starlark.Value, err error)
}

// Hub returns the hub of the greenlet's thread.
func (g *G) Hub() *Hub { return g.hub }

// Dead reports whether run has ended (or a gevent greenlet was killed before it started).
func (g *G) Dead() bool { return g.dead }

// Started reports whether the greenlet has started.
func (g *G) Started() bool { return g.start }

// Thread returns its scheduler thread, nil before it starts.
func (g *G) Thread() *interp.Thread { return g.t }

// Hub is the token shared by the greenlets of one OS-level thread, and
// gevent's run queue for them. It implements interp.Coop.
type Hub struct {
	rt    *Runtime
	root  *G
	owner *G   // the greenlet that may run Starlark code now; nil: none
	ready []*G // gevent's run queue, FIFO
	// Live holds the gevent greenlets scheduled and not yet dead
	// (gevent.wait()); gevent makes it.
	Live map[*G]bool
}

// Runtime returns the run's greenlet machinery.
func (h *Hub) Runtime() *Runtime { return h.rt }

func (h *Hub) sched() *interp.Scheduler { return h.rt.it.Sched() }

// Current returns the greenlet running th, making the thread's main
// greenlet (and its hub) on first use.
func (rt *Runtime) Current(th *starlark.Thread) (*G, error) {
	if g, ok := th.Local(gKey).(*G); ok {
		return g, nil
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	h := &Hub{rt: rt}
	g := &G{hub: h, t: t, root: true, start: true, Name: t.Name()}
	h.root, h.owner = g, g
	th.SetLocal(gKey, g)
	t.SetCoop(coop{h})
	return g, nil
}

// NewG makes a greenlet of hub h that is not started: run is called with
// the arguments of the first switch, or with args and kwargs if fixed.
func (h *Hub) NewG(run starlark.Value, parent *G, name string) *G {
	return &G{hub: h, run: run, parent: parent, Name: name}
}

// SetArgs fixes the arguments run will be called with (gevent.spawn).
func (g *G) SetArgs(args starlark.Tuple, kwargs []starlark.Tuple) {
	g.args, g.kwargs, g.fixed = args, kwargs, true
}

// give hands the token to g, starting its thread if it has not started.
// by is the baton holder.
func (h *Hub) give(g *G, by *interp.Thread) {
	h.owner = g
	if !g.start {
		h.startG(g, by)
		return
	}
	if g.t != nil {
		h.sched().WakeOne(&g.wq)
	}
}

// startG starts g's thread. As Thread.start, the new thread gets the baton
// first; it already owns the token.
func (h *Hub) startG(g *G, by *interp.Thread) {
	g.start = true
	t := h.rt.it.Go(by, g.Name, true, func(t *interp.Thread) error {
		g.t = t
		t.S.SetLocal(gKey, g)
		t.SetCoop(coop{h})
		val, err := h.runBody(g)
		return h.finish(g, val, err)
	})
	g.t = t
}

// runBody calls run with the arguments of the switch that started g.
func (h *Hub) runBody(g *G) (starlark.Value, error) {
	msg := g.inbox
	g.inbox = message{}
	if msg.err != nil {
		return nil, msg.err
	}
	if g.pending != nil { // killed between its scheduling and its start
		err := g.pending
		g.pending = nil
		return nil, err
	}
	if g.run == nil || g.run == starlark.None {
		return nil, interp.Errorf(interp.AttributeError, "'greenlet' object has no attribute 'run'")
	}
	args, kwargs := msg.args, msg.kwargs
	if g.fixed {
		args, kwargs = g.args, g.kwargs
	}
	return starlark.Call(g.t.S, g.run, args, kwargs)
}

// finish ends g, the owner: a gevent greenlet reports and gives the token to
// the hub; a raw one switches to its parent with run's value or exception.
func (h *Hub) finish(g *G, val starlark.Value, err error) error {
	g.dead = true
	if interp.IsKilled(err) { // the run is being stopped
		if h.owner == g {
			h.owner = nil
		}
		return err
	}
	if val == nil {
		val = starlark.None
	}
	if g.OnDeath != nil {
		g.OnDeath(g, g.t.S, val, err)
		h.release(g.t)
		return nil
	}
	var msg message
	if exc := interp.ExceptionFromError(err); exc != nil && exc.Class().IsSubclassOf(GreenletExit) {
		msg.args = starlark.Tuple{exc} // GreenletExit does not propagate: it is the value
	} else if err != nil {
		msg.err = raiseAgain(err)
	} else {
		msg.args = starlark.Tuple{val}
	}
	parent := g.parent
	for parent != nil && parent.dead {
		parent = parent.parent
	}
	if parent == nil { // a greenlet whose parent is the hub
		h.release(g.t)
		return msg.err // printed as an exception in a thread, as gevent's hub prints it
	}
	h.removeReady(parent)
	parent.inbox = msg
	h.give(parent, g.t)
	return nil
}

// raiseAgain turns an error that came out of Starlark code into one that
// raises the same exception elsewhere (in the parent greenlet).
func raiseAgain(err error) error {
	if exc := interp.ExceptionFromError(err); exc != nil {
		return interp.Raise(exc)
	}
	return err
}

// Switch is greenlet.switch: cur (the owner) hands the token to target (or
// to its first live ancestor, if it is dead) with msg, and waits until some
// greenlet switches back; it returns what that switch carried.
func (h *Hub) Switch(cur, target *G, msg message) (message, error) {
	for target.dead && target.parent != nil {
		target = target.parent
	}
	if target == cur {
		return msg, msg.err
	}
	if target.dead {
		return message{}, interp.Errorf(Error, "cannot switch to a dead greenlet with no live parent")
	}
	h.removeReady(target)
	target.inbox = msg
	h.give(target, cur.t)
	cur.suspended = true
	err := h.park(cur, "greenlet.switch")
	cur.suspended = false
	if err != nil {
		return message{}, err
	}
	in := cur.inbox
	cur.inbox = message{}
	if in.err == nil && cur.pending != nil {
		in.err, cur.pending = cur.pending, nil
	}
	return in, in.err
}

// park waits until g owns the token.
func (h *Hub) park(g *G, reason string) error {
	for h.owner != g {
		if _, err := h.sched().Wait(g.t, &g.wq, reason, -1); err != nil {
			h.abandon(g, err)
			return err
		}
	}
	return nil
}

// abandon ends g's wait for the token with err: a KeyboardInterrupt takes
// the token (the main greenlet must run its handler); the run stopping needs
// nothing.
func (h *Hub) abandon(g *G, err error) {
	g.waiting = false
	h.removeReady(g)
	if !interp.IsKilled(err) {
		h.owner = g
	}
}

// release gives the token up: to the first ready greenlet, or to nobody.
// by, the baton holder, is usually the owner.
func (h *Hub) release(by *interp.Thread) {
	h.owner = nil
	for h.owner == nil && len(h.ready) > 0 {
		g := h.ready[0]
		h.ready[0] = nil
		h.ready = h.ready[1:]
		g.queued = false
		if !g.dead {
			h.give(g, by)
		}
	}
}

// Schedule makes g ready: it gets the token now if nobody has it, else
// it queues for it (gevent.spawn, a wake-up).
func (h *Hub) Schedule(g *G, by *interp.Thread) {
	if g.queued || h.owner == g || g.dead {
		return
	}
	if h.owner == nil {
		h.give(g, by)
		return
	}
	g.queued = true
	h.ready = append(h.ready, g)
}

func (h *Hub) removeReady(g *G) {
	if !g.queued {
		return
	}
	g.queued = false
	for i, x := range h.ready {
		if x == g {
			h.ready = append(h.ready[:i], h.ready[i+1:]...)
			return
		}
	}
}

// Block is a gevent wait of g, the owner: the token goes to the next ready
// greenlet until a waker calls Wake(g) or timeout passes (timeout < 0: no
// timeout), then g queues for the token again. reason appears in deadlock
// reports. It returns woken=false on timeout, and the exception a kill or a
// gevent.Timeout delivered meanwhile.
func (h *Hub) Block(g *G, reason string, timeout time.Duration) (woken bool, err error) {
	if err := g.takePending(); err != nil {
		return false, err
	}
	if g.dead {
		return false, errBlockInCallback()
	}
	g.waiting, g.woken = true, false
	h.release(g.t)
	for h.owner != g {
		ok, err := h.sched().Wait(g.t, &g.wq, reason, timeout)
		if err != nil {
			h.abandon(g, err)
			return false, err
		}
		if !ok && g.waiting { // timed out, no waker came
			g.waiting = false
			h.Schedule(g, g.t)
		}
		timeout, reason = -1, "hub (ready, waiting for its turn)"
	}
	g.waiting = false
	return g.woken, g.takePending()
}

// errBlockInCallback is what a link() callback gets if it blocks: it runs in
// the greenlet that has just ended, as gevent runs it in the hub, where
// nothing may wait.
// A new one each time: an exception records where it was raised.
func errBlockInCallback() error {
	return interp.Errorf(interp.RuntimeError, "BlockingSwitchOutError: Impossible to call blocking function in the event loop callback")
}

// Sleep is gevent.sleep(d): 0 lets every ready greenlet run once first.
func (h *Hub) Sleep(g *G, d time.Duration) error {
	if g.dead {
		return errBlockInCallback()
	}
	if d > 0 {
		_, err := h.Block(g, "gevent.sleep", d)
		return err
	}
	// Let greenlets whose wait just ended queue first, as gevent's loop
	// runs its due callbacks before the ready greenlets.
	if err := h.sched().Yield(g.t); err != nil {
		return err
	}
	if len(h.ready) == 0 {
		return g.takePending()
	}
	// Queue behind the ready greenlets before giving the token away, so
	// that none can see an empty queue and skip this one.
	g.queued = true
	h.ready = append(h.ready, g)
	h.release(g.t)
	if err := h.park(g, "gevent.sleep"); err != nil {
		return err
	}
	return g.takePending()
}

// Wake ends g's Block as woken (an Event set, a greenlet joined); it
// reports false if g was not waiting.
func (h *Hub) Wake(g *G, by *interp.Thread) bool {
	if !g.waiting {
		return false
	}
	g.waiting, g.woken = false, true
	h.Schedule(g, by)
	return true
}

// Interrupt makes g raise err at its current or next gevent wait (kill,
// gevent.Timeout). A greenlet not started yet raises it instead of running.
func (h *Hub) Interrupt(g *G, err error, by *interp.Thread) {
	if g.dead {
		return
	}
	if g.external && h.sched().CancelExternal(g.t, err) {
		return // the I/O call returns err at once
	}
	if g.suspended && !g.queued { // in a raw switch(): it raises err there, when its turn comes
		g.inbox = message{err: err}
		h.Schedule(g, by)
		return
	}
	g.pending = err
	if g.waiting {
		g.waiting = false
		h.Schedule(g, by)
	}
}

func (g *G) takePending() error {
	err := g.pending
	g.pending = nil
	return err
}

// Ready reports whether g waits in the hub's run queue.
func (g *G) Ready() bool { return g.queued }

// KillUnstarted ends a gevent greenlet that never ran: it leaves the run
// queue and is dead at once, its OnDeath called by the caller.
func (h *Hub) KillUnstarted(g *G) {
	h.removeReady(g)
	g.dead, g.start = true, true
}

// ClearPending forgets err if it is the exception g would raise at its next
// wait: a gevent.Timeout cancelled after it fired but before g blocked.
func (g *G) ClearPending(err error) {
	if g.pending == err {
		g.pending = nil
	}
}
