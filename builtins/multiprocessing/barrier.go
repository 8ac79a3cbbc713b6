package multiprocessing

import (
	"fmt"
	"os"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/threading"
	"github.com/starlab-dev/starlab/interp"
)

// barrierObj is Barrier(parties, action=None, timeout=None), shared by the
// processes: CPython's threading.Barrier state machine (filling, draining,
// resetting, broken) with its counters in the parent. The action is a
// function of the script, and runs in the process of the last thread to
// arrive, as in CPython: that thread's wait returns "act", its proxy calls
// the action there and then reports with "release" whether it raised.
type barrierObj struct {
	cond
	parties int
	action  starlark.Value // None, or a function of the process that made the barrier
	timeout time.Duration  // wait()'s default; < 0: none
	state   int            // barrierFilling, barrierDraining, ...
	count   int            // threads inside wait()
}

// CPython's state numbers.
const (
	barrierFilling   = 0
	barrierDraining  = 1
	barrierResetting = -1
	barrierBroken    = -2
)

func (b *barrierObj) kind() string { return "Barrier" }

func brokenBarrier() error { return interp.Raise(interp.NewException(threading.BrokenBarrierError)) }

func (b *barrierObj) call(method string, args starlark.Tuple, kwargs []starlark.Tuple, w *waiter) (starlark.Value, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch method {
	case "wait":
		var timeout starlark.Value = starlark.None
		if err := starlark.UnpackArgs(method, args, kwargs, "timeout?", &timeout); err != nil {
			return nil, err
		}
		d := b.timeout // < 0: none
		if timeout != starlark.None {
			td, _, err := blockArgs(method, starlark.Tuple{starlark.True, timeout}, nil)
			if err != nil {
				return nil, err
			}
			d = td
		}
		return b.arriveLocked(d, w)
	case "release": // the action ran (True) or raised (False)
		var ok bool
		if err := starlark.UnpackArgs(method, args, kwargs, "ok", &ok); err != nil {
			return nil, err
		}
		if ok {
			b.state = barrierDraining
		} else {
			b.state = barrierBroken
		}
		b.broadcastLocked()
		b.exitLocked()
		return starlark.None, nil
	case "reset":
		if b.count > 0 {
			if b.state == barrierFilling || b.state == barrierBroken {
				b.state = barrierResetting // the waiters leave broken; the last one out resets
			}
		} else {
			b.state = barrierFilling
		}
		b.broadcastLocked()
		return starlark.None, nil
	case "abort":
		b.state = barrierBroken
		b.broadcastLocked()
		return starlark.None, nil
	case "parties":
		return starlark.MakeInt(b.parties), nil
	case "n_waiting":
		if b.state == barrierFilling {
			return starlark.MakeInt(b.count), nil
		}
		return starlark.MakeInt(0), nil
	case "broken":
		return starlark.Bool(b.state == barrierBroken), nil
	case "action_name":
		if fn, ok := b.action.(*starlark.Function); ok {
			return starlark.String(fn.Name()), nil
		}
		return starlark.None, nil
	}
	return nil, noMethod("Barrier", method)
}

// arriveLocked is wait(): (index, act), act true for the last thread when
// there is an action to run.
func (b *barrierObj) arriveLocked(timeout time.Duration, w *waiter) (starlark.Value, error) {
	// Wait while the previous cycle drains or resets.
	if !b.cond.waitLocked(func() bool { return b.state == barrierFilling || b.state == barrierBroken }, -1, w) {
		return nil, brokenBarrier()
	}
	if b.state == barrierBroken {
		return nil, brokenBarrier()
	}
	index := b.count
	b.count++
	if index+1 == b.parties {
		if b.action != starlark.None {
			return starlark.Tuple{starlark.MakeInt(index), starlark.True}, nil // "release" follows
		}
		b.state = barrierDraining
		b.broadcastLocked()
		b.exitLocked()
		return starlark.Tuple{starlark.MakeInt(index), starlark.False}, nil
	}
	if !b.cond.waitLocked(func() bool { return b.state != barrierFilling }, timeout, w) {
		b.state = barrierBroken // a timeout breaks the barrier for everyone, as in CPython
		b.broadcastLocked()
	}
	broken := b.state < 0
	b.exitLocked()
	if broken {
		return nil, brokenBarrier()
	}
	return starlark.Tuple{starlark.MakeInt(index), starlark.False}, nil
}

// exitLocked: one thread leaves wait(); the last one out of a draining or
// resetting barrier fills it again.
func (b *barrierObj) exitLocked() {
	b.count--
	if b.count == 0 && (b.state == barrierResetting || b.state == barrierDraining) {
		b.state = barrierFilling
		b.broadcastLocked()
	}
}

// newBarrier is Barrier(parties, action=None, timeout=None).
func (m *Module) newBarrier(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var parties int
	var action, timeout starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs("Barrier", args, kwargs, "parties", &parties, "action?", &action, "timeout?", &timeout); err != nil {
		return nil, err
	}
	if action != starlark.None {
		if _, ok := action.(starlark.Callable); !ok {
			return nil, interp.Errorf(interp.TypeError, "'%s' object is not callable", action.Type())
		}
	}
	d := time.Duration(-1)
	if timeout != starlark.None {
		td, _, err := blockArgs("Barrier", starlark.Tuple{starlark.True, timeout}, nil)
		if err != nil {
			return nil, err
		}
		d = max(td, 0)
	}
	return m.register(&barrierObj{parties: parties, action: action, timeout: d})
}

// barrierWait is the proxy's wait(timeout=None): the shared wait, then, in
// the last thread to arrive, the action, here in this process.
func (p *proxy) barrierWait(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("wait", args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	res, err := p.invoke(th, "wait", starlark.Tuple{timeout}, nil)
	if err != nil {
		return nil, err
	}
	r, ok := res.(starlark.Tuple)
	if !ok || len(r) != 2 {
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: bad reply from Barrier.wait")
	}
	if r[1] != starlark.True {
		return r[0], nil
	}
	action, err := p.barrierAction()
	var aerr error
	if err == nil {
		_, aerr = starlark.Call(th, action, nil, nil)
	} else {
		aerr = err
	}
	if _, err := p.invoke(th, "release", starlark.Tuple{starlark.Bool(aerr == nil)}, nil); err != nil && aerr == nil {
		return nil, err
	}
	if aerr != nil {
		return nil, aerr // the others get BrokenBarrierError
	}
	return r[0], nil
}

// barrierAction finds the action in this process: the parent holds it; a
// child finds the function of the same name in its own load of the script.
func (p *proxy) barrierAction() (starlark.Value, error) {
	if b, ok := p.obj.(*barrierObj); ok {
		return b.action, nil
	}
	name, err := p.invokeNoThread("action_name")
	if err != nil {
		return nil, err
	}
	s, _ := starlark.AsString(name)
	if fn, ok := p.m.it.Globals()[s]; ok && s != "" {
		return fn, nil
	}
	return nil, interp.Errorf(interp.AttributeError, "Can't get attribute '%s' on <module '__mp_main__'>", s)
}

// conditionWaitFor is Condition.wait_for(predicate, timeout=None), as
// CPython writes it: the predicate runs here, in the caller's process,
// between waits on the shared condition.
func (p *proxy) conditionWaitFor(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var predicate starlark.Callable
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("wait_for", args, kwargs, "predicate", &predicate, "timeout?", &timeout); err != nil {
		return nil, err
	}
	// The deadline is on the run's clock (virtual in sim mode).
	clock := p.m.it.Sched().Now
	end := time.Duration(-1)
	if timeout != starlark.None {
		d, _, err := blockArgs("wait_for", starlark.Tuple{starlark.True, timeout}, nil)
		if err != nil {
			return nil, err
		}
		end = clock() + d
	}
	owner := starlark.Tuple{starlark.String("owner"), ownerOf(th)}
	for {
		result, err := starlark.Call(th, predicate, nil, nil)
		if err != nil || result.Truth() {
			return result, err
		}
		wait := starlark.Value(starlark.None)
		if end >= 0 {
			left := end - clock()
			if left <= 0 {
				return result, nil
			}
			wait = starlark.Float(left.Seconds())
		}
		if _, err := p.invoke(th, "wait", starlark.Tuple{wait}, []starlark.Tuple{owner}); err != nil {
			return nil, err
		}
	}
}

// ownerOf names the calling thread for an RLock or a Condition, across
// processes: the pid and the thread.
func ownerOf(th *starlark.Thread) starlark.String {
	return starlark.String(fmt.Sprintf("%d/%p", os.Getpid(), th))
}

// localMethod is a method that runs Starlark code in the caller's process
// (Barrier.wait's action, Condition.wait_for's predicate).
func (p *proxy) localMethod(name string) *starlark.Builtin {
	return starlark.NewBuiltin(name, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		if name == "wait_for" {
			return p.conditionWaitFor(th, args, kw)
		}
		return p.barrierWait(th, args, kw)
	})
}
