package multiprocessing

import (
	"fmt"
	"sync"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// Shared objects live in the parent, in Go: a child calls their methods
// over the parent's Unix socket (server.go), the parent directly; either
// way a call runs under the object's mutex, so each one is atomic, as a
// proxy call in Python. Arguments and results cross encoded, so a list put
// in a Manager dict is a copy, as in Python.

// object is one shared object: call runs a method; cancel ends a wait.
type object interface {
	kind() string
	call(method string, args starlark.Tuple, kwargs []starlark.Tuple, cancel <-chan struct{}) (starlark.Value, error)
}

// cond is a mutex with a broadcast: waiters sleep until something changed.
type cond struct {
	mu      sync.Mutex
	changed chan struct{}
}

func (c *cond) broadcastLocked() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// waitLocked waits, c.mu held, until ready() or the deadline (zero: none)
// or cancel; it reports ready().
func (c *cond) waitLocked(ready func() bool, deadline time.Time, cancel <-chan struct{}) bool {
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
		case <-cancel:
		}
		c.mu.Lock()
		select {
		case <-cancel:
			return false // the caller is gone: take nothing
		default:
		}
	}
	return true
}

// blockArgs reads (block=True, timeout=None) into a deadline; ok false
// means don't wait at all.
func blockArgs(name string, args starlark.Tuple, kwargs []starlark.Tuple, pre ...any) (deadline time.Time, block bool, err error) {
	var blk starlark.Value = starlark.True
	var timeout starlark.Value = starlark.None
	pairs := append(pre, "block?", &blk, "timeout?", &timeout)
	if err := starlark.UnpackArgs(name, args, kwargs, pairs...); err != nil {
		return time.Time{}, false, err
	}
	if !blk.Truth() {
		return time.Time{}, false, nil
	}
	d, err := pyarg.Timeout(timeout, pyarg.TimeoutSpec{
		TypeMsg: func(v starlark.Value) string {
			return fmt.Sprintf("'%s' object cannot be interpreted as a timeout", v.Type())
		},
		TooLargeMsg: "timeout value is too large",
	})
	if err != nil {
		return time.Time{}, false, err
	}
	if d >= 0 {
		deadline = time.Now().Add(d)
	}
	return deadline, true, nil
}

// semaphore is Lock (max 1, bounded), RLock (owner counted), Semaphore.
type semaphore struct {
	cond
	name  string // "Lock", "RLock", "Semaphore"
	value int
	bound int    // >0: release beyond it is an error
	owner string // RLock: who holds it
	depth int
}

func (s *semaphore) kind() string { return s.name }

func (s *semaphore) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, cancel <-chan struct{}) (starlark.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch method {
	case "acquire":
		var owner string
		var pre []any
		if s.name == "RLock" {
			pre = []any{"owner", &owner}
		}
		deadline, block, err := blockArgs(method, args, kwargs, pre...)
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
			ok = s.waitLocked(ready, deadline, cancel)
		}
		if ok {
			s.value--
			s.owner, s.depth = owner, 1
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

func (e *event) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, cancel <-chan struct{}) (starlark.Value, error) {
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
		var timeout starlark.Value = starlark.None
		if err := starlark.UnpackArgs(method, args, kwargs, "timeout?", &timeout); err != nil {
			return nil, err
		}
		deadline, _, err := blockArgs(method, starlark.Tuple{starlark.True, timeout}, nil)
		if err != nil {
			return nil, err
		}
		return starlark.Bool(e.waitLocked(func() bool { return e.set }, deadline, cancel)), nil
	}
	return nil, noMethod("Event", method)
}

// queue is Queue, JoinableQueue, SimpleQueue (and each direction of a Pipe).
type queue struct {
	cond
	name       string // "Queue" (also ""), "JoinableQueue", "SimpleQueue"
	unfinished int    // JoinableQueue: items put and not yet task_done()
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

func (q *queue) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, cancel <-chan struct{}) (starlark.Value, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch method {
	case "put", "put_nowait":
		var item starlark.Value
		deadline, block, err := blockArgs(method, args, kwargs, "obj", &item)
		if method == "put_nowait" {
			block = false
		}
		if err != nil {
			return nil, err
		}
		ready := func() bool { return q.maxsize <= 0 || len(q.items) < q.maxsize }
		if !ready() && (!block || !q.waitLocked(ready, deadline, cancel)) {
			return nil, interp.Raise(interp.NewException(q.full))
		}
		q.items = append(q.items, item)
		q.unfinished++
		q.broadcastLocked()
		return starlark.None, nil
	case "get", "get_nowait":
		deadline, block, err := blockArgs(method, args, kwargs)
		if method == "get_nowait" {
			block = false
		}
		if err != nil {
			return nil, err
		}
		ready := func() bool { return len(q.items) > 0 }
		if !ready() && (!block || !q.waitLocked(ready, deadline, cancel)) {
			return nil, interp.Raise(interp.NewException(q.empty))
		}
		item := q.items[0]
		q.items = q.items[1:]
		q.broadcastLocked()
		return item, nil
	case "poll":
		var timeout starlark.Value = starlark.Float(0)
		if err := starlark.UnpackArgs(method, args, kwargs, "timeout?", &timeout); err != nil {
			return nil, err
		}
		deadline, _, err := blockArgs(method, starlark.Tuple{starlark.True, timeout}, nil)
		if err != nil {
			return nil, err
		}
		return starlark.Bool(q.waitLocked(func() bool { return len(q.items) > 0 }, deadline, cancel)), nil
	case "task_done":
		if q.unfinished <= 0 {
			return nil, interp.Errorf(interp.ValueError, "task_done() called too many times")
		}
		q.unfinished--
		q.broadcastLocked()
		return starlark.None, nil
	case "join":
		q.waitLocked(func() bool { return q.unfinished == 0 }, time.Time{}, cancel)
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
