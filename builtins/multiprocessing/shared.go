package multiprocessing

import (
	"sync"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// Shared objects live in the parent, in Go: a child calls their methods
// over the parent's Unix socket (server.go), the parent directly; either
// way a call runs under the object's mutex, so each one is atomic, as a
// proxy call in Python. Arguments and results cross encoded, so a list put
// in a Manager dict is a copy, as in Python.

// object is one shared object: call runs a method for the caller w.
type object interface {
	kind() string
	call(method string, args starlark.Tuple, kwargs []starlark.Tuple, w *waiter) (starlark.Value, error)
}

// waiter is who calls a shared object's method, and so how the call may
// block. In real mode the object lives in the parent and a caller (a
// child's request, or a parent's thread in an external wait) blocks on Go
// primitives; cancel is closed when the caller is gone. In sim mode every
// process is in this run and a caller blocks through the scheduler, on
// the virtual clock: t is its thread, and err says why a wait ended early
// (KeyboardInterrupt, the thread stopped), which the proxy raises.
type waiter struct {
	cancel <-chan struct{} // real mode
	t      *interp.Thread  // sim mode; nil for a call that must not block
	reason string          // what the thread waits for, in deadlock reports
	err    error
}

// cond is a mutex with a broadcast: waiters sleep until something changed.
// An object embeds it; its methods run under mu and block only through
// waitLocked, which works in both modes.
type cond struct {
	mu      sync.Mutex
	changed chan struct{}    // real mode: closed by a broadcast
	q       interp.WaitQueue // sim mode: the parked threads
	sched   *interp.Scheduler
}

// base gives register the cond of any object that embeds one.
func (c *cond) base() *cond { return c }

// broadcastLocked wakes every waiter (c.mu held): each tests its
// condition again.
func (c *cond) broadcastLocked() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
	if c.sched != nil && c.q.Len() > 0 {
		c.sched.WakeAll(&c.q)
	}
}

// waitLocked waits, c.mu held, until ready() or timeout (< 0: none) or
// the caller goes away; it reports ready(). The timeout counts on the
// run's clock: real time, or the caller's virtual clock in sim mode.
func (c *cond) waitLocked(ready func() bool, timeout time.Duration, w *waiter) bool {
	if ready() {
		return true
	}
	if w == nil {
		return false
	}
	if c.sched != nil {
		if w.t == nil {
			return false
		}
		c.mu.Unlock()
		if timeout == 0 { // a poll is a switch point, as in the scheduler's own waits
			err := w.t.Sched().PollYield(w.t)
			c.mu.Lock()
			if err != nil {
				w.err = err
				return false
			}
			return ready()
		}
		ok, err := c.sched.WaitUntil(w.t, &c.q, timeout, func() string { return w.reason }, func() bool {
			c.mu.Lock()
			defer c.mu.Unlock()
			return ready()
		})
		c.mu.Lock()
		if err != nil {
			w.err = err
			return false
		}
		return ok && ready()
	}
	if timeout == 0 {
		return false
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for !ready() {
		var tc <-chan time.Time
		if !deadline.IsZero() {
			d := time.Until(deadline)
			if d <= 0 {
				return false
			}
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			tc = timer.C
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-tc:
		case <-w.cancel:
		}
		c.mu.Lock()
		select {
		case <-w.cancel:
			return false // the caller is gone: take nothing
		default:
		}
	}
	return true
}

// blockArgs reads (block=True, timeout=None) into a timeout (-1: none);
// block false means don't wait at all.
func blockArgs(name string, args starlark.Tuple, kwargs []starlark.Tuple, pre ...any) (timeout time.Duration, block bool, err error) {
	var blk starlark.Value = starlark.True
	var tv starlark.Value = starlark.None
	pairs := append(pre, "block?", &blk, "timeout?", &tv)
	if err := starlark.UnpackArgs(name, args, kwargs, pairs...); err != nil {
		return 0, false, err
	}
	if !blk.Truth() {
		return 0, false, nil
	}
	d, err := waitTimeout(tv)
	if err != nil {
		return 0, false, err
	}
	if d < 0 {
		d = -1
	}
	return d, true, nil
}

// semaphore is Lock (max 1, bounded), RLock (owner counted), Semaphore.
type semaphore struct {
	cond
	name  string // "Lock", "RLock", "Semaphore"
	value int
	bound int    // >0: release beyond it is an error
	owner string // RLock: who holds it
	depth int

	// Sim mode: the thread that took it last (a Lock or an RLock), and
	// its name in deadlock reports; see Blocking.
	holder *starlark.Thread
	label  string
}

// Blocking is what a deadlock report shows of a Lock or an RLock that a
// simulated process's thread waits for (interp.Blocker): its name and the
// thread holding it, so the report can show a cycle across processes.
func (s *semaphore) Blocking() (string, *starlark.Thread, syntax.Position, string) {
	if s.value > 0 || (s.name != "Lock" && s.name != "RLock") {
		return s.label, nil, syntax.Position{}, ""
	}
	return s.label, s.holder, syntax.Position{}, ""
}

func (s *semaphore) kind() string { return s.name }

func (s *semaphore) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, w *waiter) (starlark.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch method {
	case "acquire":
		var owner string
		var pre []any
		if s.name == "RLock" {
			pre = []any{"owner", &owner}
		}
		timeout, block, err := blockArgs(method, args, kwargs, pre...)
		if err != nil {
			return nil, err
		}
		if s.name == "RLock" && s.depth > 0 && s.owner == owner {
			s.depth++
			return starlark.True, nil
		}
		ready := func() bool { return s.value > 0 }
		ok := ready()
		if !ok && block {
			ok = s.waitLocked(ready, timeout, w)
		}
		if ok {
			s.value--
			s.owner, s.depth = owner, 1
			if w != nil && w.t != nil {
				s.holder = w.t.S
			}
		}
		return starlark.Bool(ok), nil
	case "release":
		var owner string
		if s.name == "RLock" {
			if err := starlark.UnpackArgs(method, args, kwargs, "owner", &owner); err != nil {
				return nil, err
			}
			if s.depth == 0 || s.owner != owner {
				return nil, interp.Errorf(interp.AssertionError, "attempt to release recursive lock not owned by thread")
			}
			if s.depth--; s.depth > 0 {
				return starlark.None, nil
			}
		}
		if s.bound > 0 && s.value >= s.bound {
			return nil, interp.Errorf(interp.ValueError, "semaphore or lock released too many times")
		}
		s.value++
		s.holder = nil
		s.broadcastLocked()
		return starlark.None, nil
	case "get_value":
		return starlark.MakeInt(s.value), nil
	}
	return nil, noMethod(s.name, method)
}

func noMethod(kind, method string) error {
	return interp.Errorf(interp.AttributeError, "'%s' object has no attribute '%s'", kind, method)
}

// event is Event.
type event struct {
	cond
	set bool
}

func (e *event) kind() string { return "Event" }

func (e *event) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, w *waiter) (starlark.Value, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch method {
	case "set":
		e.set = true
		e.broadcastLocked()
		return starlark.None, nil
	case "clear":
		e.set = false
		return starlark.None, nil
	case "is_set":
		return starlark.Bool(e.set), nil
	case "wait":
		var tv starlark.Value = starlark.None
		if err := starlark.UnpackArgs(method, args, kwargs, "timeout?", &tv); err != nil {
			return nil, err
		}
		timeout, _, err := blockArgs(method, starlark.Tuple{starlark.True, tv}, nil)
		if err != nil {
			return nil, err
		}
		return starlark.Bool(e.waitLocked(func() bool { return e.set }, timeout, w)), nil
	}
	return nil, noMethod("Event", method)
}

// queue is Queue, JoinableQueue, SimpleQueue (and each direction of a Pipe).
type queue struct {
	cond
	name string // "Queue" (also ""), "JoinableQueue", "SimpleQueue"
	// object names the queue in a sim run's events
	// ("multiprocessing.Queue-1"), so a trace draws put → get across
	// processes; "" for a Pipe's ends and in real mode, where the caller
	// may be another OS process.
	object     string
	unfinished int // JoinableQueue: items put and not yet task_done()
	items      []starlark.Value
	maxsize    int
	empty      *interp.ExceptionClass
	full       *interp.ExceptionClass
}

func (q *queue) kind() string {
	if q.name == "" {
		return "Queue"
	}
	return q.name
}

func (q *queue) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, w *waiter) (starlark.Value, error) {
	// The operation done, recorded once q.mu is released: the scheduler
	// tests a waiter's ready(), which takes q.mu, under its own mutex.
	var op trace.Operation
	var size int
	defer func() {
		if op != 0 && q.object != "" && w != nil && w.t != nil {
			w.t.Sched().RecordOp(w.t, q.object, op, size)
		}
	}()
	q.mu.Lock()
	defer q.mu.Unlock()
	switch method {
	case "put", "put_nowait":
		var item starlark.Value
		timeout, block, err := blockArgs(method, args, kwargs, "obj", &item)
		if method == "put_nowait" {
			block = false
		}
		if err != nil {
			return nil, err
		}
		ready := func() bool { return q.maxsize <= 0 || len(q.items) < q.maxsize }
		if !ready() && (!block || !q.waitLocked(ready, timeout, w)) {
			return nil, interp.Raise(interp.NewException(q.full))
		}
		q.items = append(q.items, item)
		q.unfinished++
		q.broadcastLocked()
		op, size = trace.Put, len(q.items)
		return starlark.None, nil
	case "get", "get_nowait":
		timeout, block, err := blockArgs(method, args, kwargs)
		if method == "get_nowait" {
			block = false
		}
		if err != nil {
			return nil, err
		}
		ready := func() bool { return len(q.items) > 0 }
		if !ready() && (!block || !q.waitLocked(ready, timeout, w)) {
			return nil, interp.Raise(interp.NewException(q.empty))
		}
		item := q.items[0]
		q.items = q.items[1:]
		q.broadcastLocked()
		op, size = trace.Get, len(q.items)
		return item, nil
	case "poll":
		var tv starlark.Value = starlark.Float(0)
		if err := starlark.UnpackArgs(method, args, kwargs, "timeout?", &tv); err != nil {
			return nil, err
		}
		timeout, _, err := blockArgs(method, starlark.Tuple{starlark.True, tv}, nil)
		if err != nil {
			return nil, err
		}
		return starlark.Bool(q.waitLocked(func() bool { return len(q.items) > 0 }, timeout, w)), nil
	case "task_done":
		if q.unfinished <= 0 {
			return nil, interp.Errorf(interp.ValueError, "task_done() called too many times")
		}
		q.unfinished--
		q.broadcastLocked()
		op, size = trace.TaskDone, len(q.items)
		return starlark.None, nil
	case "join":
		q.waitLocked(func() bool { return q.unfinished == 0 }, -1, w)
		return starlark.None, nil
	case "close":
		return starlark.None, nil
	case "qsize":
		return starlark.MakeInt(len(q.items)), nil
	case "empty":
		return starlark.Bool(len(q.items) == 0), nil
	case "full":
		return starlark.Bool(q.maxsize > 0 && len(q.items) >= q.maxsize), nil
	}
	return nil, noMethod(q.kind(), method)
}
