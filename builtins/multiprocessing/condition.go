package multiprocessing

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// condObj is Condition(lock=None): a lock (an RLock unless one is given)
// and the processes' threads waiting to be notified. wait() releases the
// lock fully, waits for a notify, and takes the lock back, as in Python.
// Each waiter holds a ticket; notify(n) marks the n oldest, and a marked
// waiter's wait ends (through cond.waitLocked, in both modes).
type condObj struct {
	cond    // guards waiters
	lock    *semaphore
	waiters []*ticket // oldest first
}

// ticket is one wait() in progress.
type ticket struct{ notified bool }

func (c *condObj) kind() string { return "Condition" }

// heldLocked reports whether owner holds the lock (lock.mu held). A plain
// Lock has no owner: held means locked.
func (c *condObj) heldLocked(owner string) bool {
	if c.lock.name == "RLock" {
		return c.lock.depth > 0 && c.lock.owner == owner
	}
	return c.lock.value == 0
}

func (c *condObj) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, w *waiter) (starlark.Value, error) {
	switch method {
	case "acquire", "release":
		if c.lock.name != "RLock" { // a Lock takes no owner
			kwargs = dropOwner(kwargs)
		}
		return c.lock.call(method, args, kwargs, w)
	case "notify", "notify_all":
		var owner string
		n := 1
		pairs := []any{"owner", &owner}
		if method == "notify" {
			pairs = []any{"n?", &n, "owner", &owner}
		}
		if err := starlark.UnpackArgs(method, args, kwargs, pairs...); err != nil {
			return nil, err
		}
		c.lock.mu.Lock()
		defer c.lock.mu.Unlock()
		if !c.heldLocked(owner) {
			return nil, interp.Errorf(interp.AssertionError, "lock is not owned") // CPython's multiprocessing asserts
		}
		c.mu.Lock()
		if method == "notify_all" || n > len(c.waiters) {
			n = len(c.waiters)
		}
		for _, tk := range c.waiters[:max(n, 0)] {
			tk.notified = true
		}
		c.waiters = c.waiters[max(n, 0):]
		c.broadcastLocked()
		c.mu.Unlock()
		return starlark.None, nil
	case "wait":
		var owner string
		var tv starlark.Value = starlark.None
		if err := starlark.UnpackArgs(method, args, kwargs, "timeout?", &tv, "owner", &owner); err != nil {
			return nil, err
		}
		timeout, _, err := blockArgs(method, starlark.Tuple{starlark.True, tv}, nil)
		if err != nil {
			return nil, err
		}
		return c.wait(owner, timeout, w)
	}
	return nil, noMethod("Condition", method)
}

func dropOwner(kwargs []starlark.Tuple) []starlark.Tuple {
	var out []starlark.Tuple
	for _, kv := range kwargs {
		if kv[0] != starlark.String("owner") {
			out = append(out, kv)
		}
	}
	return out
}

func (c *condObj) wait(owner string, timeout time.Duration, w *waiter) (starlark.Value, error) {
	l := c.lock
	l.mu.Lock()
	if !c.heldLocked(owner) {
		l.mu.Unlock()
		return nil, interp.Errorf(interp.AssertionError, "must acquire() condition before using wait()")
	}
	depth := l.depth
	tk := &ticket{}
	c.mu.Lock()
	c.waiters = append(c.waiters, tk) // before the lock is free: no notify is missed
	c.mu.Unlock()
	l.value++
	l.depth, l.owner = 0, ""
	l.broadcastLocked()
	l.mu.Unlock()

	c.mu.Lock()
	notified := c.waitLocked(func() bool { return tk.notified }, timeout, w)
	if !notified {
		for i, x := range c.waiters {
			if x == tk {
				c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
				break
			}
		}
		notified = tk.notified // notified after all, in the meantime
	}
	c.mu.Unlock()

	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.waitLocked(func() bool { return l.value > 0 }, -1, w) {
		if w.err != nil {
			return nil, w.err
		}
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: the waiting process went away")
	}
	l.value--
	l.owner, l.depth = owner, depth
	return starlark.Bool(notified), nil
}

// newCondition is Condition(lock=None).
func (m *Module) newCondition(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lock starlark.Value = starlark.None
	if err := starlark.UnpackArgs("Condition", args, kwargs, "lock?", &lock); err != nil {
		return nil, err
	}
	var sem *semaphore
	if lock == starlark.None {
		sem = &semaphore{name: "RLock", value: 1, bound: 1}
		if _, err := m.register(sem); err != nil {
			return nil, err
		}
	} else if p, ok := lock.(*proxy); ok && p.obj != nil && (p.kind == "Lock" || p.kind == "RLock") {
		sem = p.obj.(*semaphore)
	} else {
		return nil, interp.Errorf(interp.TypeError, "Condition() argument must be a multiprocessing Lock or RLock, not %s", lock.Type())
	}
	return m.register(&condObj{lock: sem})
}
