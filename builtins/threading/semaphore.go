package threading

import (
	"fmt"
	"math"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
	"go.starlark.net/starlark"
)

// Semaphore is threading.Semaphore, and BoundedSemaphore when bounded: a
// counter that acquire() decrements, waiting while it is 0, and release(n)
// increments, waking up to n waiters in the order they came.
type Semaphore struct {
	sched   *interp.Scheduler
	name    string // "Semaphore-1" or "BoundedSemaphore-1", in events
	value   int
	initial int  // the bound of a BoundedSemaphore
	bounded bool // BoundedSemaphore: release() beyond initial is an error
	waiters interp.WaitQueue
	bound   map[string]*starlark.Builtin
}

func (m *threadingModule) newSemaphore(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	value := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "value?", &value); err != nil {
		return nil, err
	}
	if value < 0 {
		return nil, interp.Errorf(interp.ValueError, "semaphore initial value must be >= 0")
	}
	s := m.it.Sched()
	return &Semaphore{sched: s, name: s.ObjectName(b.Name()), value: value, initial: value, bounded: b.Name() == "BoundedSemaphore"}, nil
}

var semaphoreMethods = map[string]*starlark.Builtin{
	"acquire": starlark.NewBuiltin("acquire", semaphoreAcquire),
	"release": starlark.NewBuiltin("release", semaphoreRelease),
}

// String is CPython's repr without the address:
// <threading.BoundedSemaphore: value=1/2>.
func (s *Semaphore) String() string {
	if s.bounded {
		return fmt.Sprintf("<threading.BoundedSemaphore: value=%d/%d>", s.value, s.initial)
	}
	return fmt.Sprintf("<threading.Semaphore: value=%d>", s.value)
}

func (s *Semaphore) Type() string {
	if s.bounded {
		return "BoundedSemaphore"
	}
	return "Semaphore"
}

func (s *Semaphore) Freeze() {}

func (s *Semaphore) Truth() starlark.Bool { return true }

func (s *Semaphore) Hash() (uint32, error) { return interp.IdentityHash(s), nil }

func (s *Semaphore) AttrNames() []string {
	return append(interp.SortedAttrNames(semaphoreMethods), "_value")
}

// Attr has _value too: CPython's private counter, which the course's
// examples print to show what a semaphore does.
func (s *Semaphore) Attr(name string) (starlark.Value, error) {
	if name == "_value" {
		return starlark.MakeInt(s.value), nil
	}
	return pyobj.BindCached(&s.bound, semaphoreMethods, name, s), nil
}

// semaphoreAcquire is acquire(blocking=True, timeout=None). Its arguments
// differ from Lock.acquire's, as in CPython: the timeout defaults to None,
// and a negative one does not block rather than being an error.
func semaphoreAcquire(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s := b.Receiver().(*Semaphore)
	if len(args) == 0 && len(kwargs) == 0 && s.value > 0 {
		s.value--
		s.record(th, trace.Acquire)
		return starlark.True, nil
	}
	blocking := true
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "blocking?", &blocking, "timeout?", &timeout); err != nil {
		return nil, err
	}
	if !blocking && timeout != starlark.None {
		return nil, interp.Errorf(interp.ValueError, "can't specify timeout for non-blocking acquire")
	}
	wait, err := timeoutArg(b.Name(), timeout, true)
	if err != nil {
		return nil, err
	}
	if !blocking {
		wait = 0
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	ok, err := s.sched.WaitUntil(t, &s.waiters, wait, func() string { return s.Type() + ".acquire" },
		func() bool { return s.value > 0 })
	if err != nil || !ok {
		return starlark.False, err
	}
	s.value--
	s.record(th, trace.Acquire)
	return starlark.True, nil
}

// record reports an operation by th's thread, with the counter after it.
func (s *Semaphore) record(th *starlark.Thread, op trace.Operation) {
	if s.sched.Recording() {
		s.sched.RecordOp(interp.Current(th), s.name, op, s.value)
	}
}

func semaphoreRelease(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "n?", &n); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, interp.Errorf(interp.ValueError, "n must be one or more")
	}
	s := b.Receiver().(*Semaphore)
	if s.bounded && n > s.initial-s.value {
		return nil, interp.Errorf(interp.ValueError, "Semaphore released too many times")
	}
	if n > math.MaxInt-s.value {
		return nil, interp.Errorf(interp.OverflowError, "semaphore value too large")
	}
	if s.sched.Recording() {
		// One release per unit, before any waiter wakes, so that acquires
		// minus releases is the number of holders.
		for i := 0; i < n; i++ {
			s.value++
			s.record(th, trace.Release)
		}
	} else {
		s.value += n
	}
	for i := 0; i < n && s.sched.WakeOne(&s.waiters); i++ {
	}
	return starlark.None, nil
}
