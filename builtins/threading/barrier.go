package threading

import (
	"fmt"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// brokenBarrierError is threading.BrokenBarrierError, a RuntimeError.
// Exception classes are immutable, so one class serves every run.
var brokenBarrierError = interp.NewModuleExceptionClass("threading", "BrokenBarrierError", interp.RuntimeError)

// BrokenBarrierError is the class, for multiprocessing.Barrier: CPython's
// raises threading's own.
var BrokenBarrierError = brokenBarrierError

// Barrier states, CPython's numbers.
const (
	barrierFilling   = 0  // threads arrive and wait
	barrierDraining  = 1  // the barrier tripped; its threads are leaving
	barrierResetting = -1 // reset() while threads waited: they leave broken
	barrierBroken    = -2 // abort(), a timeout, or a failed action
)

// Barrier is threading.Barrier, CPython's state machine: parties threads
// arrive in wait(), the last one runs the action and releases them all, and
// the barrier can be used again once all have left (threads arriving while
// it drains wait for the next round). A timeout, abort() or an exception in
// the action breaks it: every waiter, and every later wait(), raises
// BrokenBarrierError until reset().
type Barrier struct {
	sched   *interp.Scheduler
	name    string // "Barrier-1", in events
	parties int
	action  starlark.Value // None or a callable
	timeout time.Duration  // the default for wait(); -1: none
	state   int
	count   int // threads inside wait()
	// busy is CPython's condition lock, held across the action: a thread
	// that wants the barrier meanwhile (to wait, reset or abort) waits for
	// the action to end. At every other time the baton is that lock.
	busy  bool
	cond  interp.WaitQueue // threads waiting for the barrier to trip or drain
	lockQ interp.WaitQueue // threads waiting for the action to end
	bound map[string]*starlark.Builtin
}

func (m *threadingModule) newBarrier(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var parties int
	var action, timeout starlark.Value = starlark.None, starlark.None
	if err := starlark.UnpackArgs("Barrier", args, kwargs, "parties", &parties, "action?", &action, "timeout?", &timeout); err != nil {
		return nil, err
	}
	if _, ok := action.(starlark.Callable); action != starlark.None && !ok {
		return nil, interp.Errorf(interp.TypeError, "Barrier: action must be callable, not %s", interp.PyRepr(action))
	}
	d, err := timeoutArg("Barrier", timeout, true)
	if err != nil {
		return nil, err
	}
	// CPython 3.11 accepts parties < 1 too; such a barrier never trips.
	s := m.it.Sched()
	return &Barrier{sched: s, name: s.ObjectName("Barrier"), parties: parties, action: action, timeout: d}, nil
}

// record reports an operation by t: "wait" with the index it returns,
// "abort" and "reset" with 0.
func (br *Barrier) record(t *interp.Thread, op trace.Operation, value int) {
	if br.sched.Recording() {
		br.sched.RecordOp(t, br.name, op, value)
	}
}

var barrierMethods = map[string]*starlark.Builtin{
	"wait":  starlark.NewBuiltin("wait", barrierWait),
	"reset": starlark.NewBuiltin("reset", barrierReset),
	"abort": starlark.NewBuiltin("abort", barrierAbort),
}

func (br *Barrier) String() string {
	if br.state == barrierBroken {
		return "<threading.Barrier: broken>"
	}
	return fmt.Sprintf("<threading.Barrier: waiters=%d/%d>", br.nWaiting(), br.parties)
}
func (br *Barrier) Type() string          { return "Barrier" }
func (br *Barrier) Freeze()               {}
func (br *Barrier) Truth() starlark.Bool  { return true }
func (br *Barrier) Hash() (uint32, error) { return interp.IdentityHash(br), nil }
func (br *Barrier) AttrNames() []string {
	return append(interp.SortedAttrNames(barrierMethods), "broken", "n_waiting", "parties")
}

func (br *Barrier) Attr(name string) (starlark.Value, error) {
	switch name {
	case "parties":
		return starlark.MakeInt(br.parties), nil
	case "n_waiting":
		return starlark.MakeInt(br.nWaiting()), nil
	case "broken":
		return starlark.Bool(br.state == barrierBroken), nil
	}
	return pyobj.BindCached(&br.bound, barrierMethods, name, br), nil
}

func (br *Barrier) nWaiting() int {
	if br.state == barrierFilling {
		return br.count
	}
	return 0
}

// reason is what a thread inside wait() waits for, in deadlock reports: a
// barrier short of parties is a classic way to hang.
func (br *Barrier) reason() string { return fmt.Sprintf("Barrier.wait (parties=%d)", br.parties) }

// lock waits while another thread runs the action (CPython's "with
// self._cond"); what names the method, for deadlock reports.
func (br *Barrier) lock(t *interp.Thread, what string) error {
	_, err := br.sched.WaitUntil(t, &br.lockQ, -1, func() string { return what + " (the action is running)" },
		func() bool { return !br.busy })
	return err
}

// waitFor is the barrier's Condition.wait_for: park on cond until pred()
// holds or d passes (-1: forever), taking the lock back after each wake-up.
func (br *Barrier) waitFor(t *interp.Thread, d time.Duration, pred func() bool) (bool, error) {
	s := br.sched
	var deadline time.Duration
	if d > 0 {
		deadline = s.Now() + d
	}
	for !pred() {
		remaining := d
		if d > 0 {
			if remaining = deadline - s.Now(); remaining <= 0 {
				return false, nil
			}
		} else if d == 0 {
			return false, nil
		}
		if _, err := s.Wait(t, &br.cond, br.reason(), remaining); err != nil {
			return false, err
		}
		if err := br.lock(t, "Barrier.wait"); err != nil {
			return false, err
		}
	}
	return true, nil
}

// breakBarrier puts the barrier in the broken state and wakes everyone in it.
func (br *Barrier) breakBarrier() {
	br.state = barrierBroken
	br.sched.WakeAll(&br.cond)
}

func brokenBarrier() error { return interp.Raise(interp.NewException(brokenBarrierError)) }

// barrierWait is wait(timeout=None): it returns the thread's arrival index,
// 0 for the first to arrive and parties-1 for the last, which runs the action.
func barrierWait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	br := b.Receiver().(*Barrier)
	d := br.timeout
	if timeout != starlark.None {
		var err error
		if d, err = timeoutArg(b.Name(), timeout, true); err != nil {
			return nil, err
		}
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	if err := br.lock(t, "Barrier.wait"); err != nil {
		return nil, err
	}
	// Wait while the previous round drains or a reset completes.
	if _, err := br.waitFor(t, -1, func() bool { return br.state != barrierDraining && br.state != barrierResetting }); err != nil {
		return nil, err
	}
	if br.state < 0 {
		return nil, brokenBarrier()
	}
	index := br.count
	br.count++
	err = br.arrive(th, t, index, d)
	br.count--
	if br.count == 0 && (br.state == barrierDraining || br.state == barrierResetting) {
		// The last one out lets the next round in.
		br.state = barrierFilling
		br.sched.WakeAll(&br.cond)
	}
	if err != nil {
		return nil, err
	}
	br.record(t, trace.WaitOp, index)
	return starlark.MakeInt(index), nil
}

// arrive is the part of wait() after the thread has taken its index: the
// last to arrive trips the barrier, the others wait for that.
func (br *Barrier) arrive(th *starlark.Thread, t *interp.Thread, index int, d time.Duration) error {
	if index+1 == br.parties {
		if br.action != starlark.None {
			br.busy = true
			_, err := starlark.Call(th, br.action, nil, nil)
			br.busy = false
			br.sched.WakeAll(&br.lockQ)
			if err != nil {
				// The action's exception goes to this thread; the others
				// find the barrier broken.
				br.breakBarrier()
				return err
			}
		}
		br.state = barrierDraining
		br.sched.WakeAll(&br.cond)
		return nil
	}
	ok, err := br.waitFor(t, d, func() bool { return br.state != barrierFilling })
	if err != nil {
		return err
	}
	if !ok {
		br.breakBarrier() // a timeout breaks the barrier for everyone
		return brokenBarrier()
	}
	if br.state < 0 {
		return brokenBarrier()
	}
	return nil
}

// barrierReset is reset(): threads in wait() leave with BrokenBarrierError,
// and once they have, the barrier is as new.
func barrierReset(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	br := b.Receiver().(*Barrier)
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	if err := br.lock(t, "Barrier.reset"); err != nil {
		return nil, err
	}
	switch {
	case br.count == 0:
		br.state = barrierFilling
	case br.state == barrierFilling || br.state == barrierBroken:
		br.state = barrierResetting // cleared by the last thread to leave
	}
	br.record(t, trace.Reset, 0) // before the waiters wake
	br.sched.WakeAll(&br.cond)
	return starlark.None, nil
}

// barrierAbort is abort(): break the barrier, for when a party cannot come.
func barrierAbort(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	br := b.Receiver().(*Barrier)
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	if err := br.lock(t, "Barrier.abort"); err != nil {
		return nil, err
	}
	br.record(t, trace.Abort, 0) // before the waiters wake
	br.breakBarrier()
	return starlark.None, nil
}
