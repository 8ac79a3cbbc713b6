package gevent

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// gevent.lock: Semaphore and BoundedSemaphore for greenlets. acquire()
// waits for the counter to rise above zero, giving the hub to the other
// greenlets meanwhile; release() makes the first waiter ready.

func (m *module) lockModule() *starlarkstruct.Module {
	return &starlarkstruct.Module{
		Name: "gevent.lock",
		Members: starlark.StringDict{
			"Semaphore":        starlark.NewBuiltin("Semaphore", m.newSemaphore),
			"BoundedSemaphore": starlark.NewBuiltin("BoundedSemaphore", m.newSemaphore),
		},
	}
}

// Semaphore is gevent.lock.Semaphore and BoundedSemaphore.
type Semaphore struct {
	m       *module
	name    string
	counter int
	initial int
	bounded bool
	waiters []*greenlet.G
}

func (m *module) newSemaphore(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	value := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "value?", &value); err != nil {
		return nil, err
	}
	if value < 0 {
		return nil, interp.Errorf(interp.ValueError, "semaphore initial value must be >= 0")
	}
	return &Semaphore{m: m, name: m.it.Sched().ObjectName(b.Name()), counter: value, initial: value, bounded: b.Name() == "BoundedSemaphore"}, nil
}

var semaphoreMethods = map[string]*starlark.Builtin{
	"acquire": starlark.NewBuiltin("acquire", semAcquire),
	"release": starlark.NewBuiltin("release", semRelease),
	"locked":  starlark.NewBuiltin("locked", semLocked),
}

func (s *Semaphore) String() string {
	return "<" + s.Type() + " counter=" + itoa(s.counter) + " _links[" + itoa(len(s.waiters)) + "]>"
}
func (s *Semaphore) Type() string {
	if s.bounded {
		return "gevent.lock.BoundedSemaphore"
	}
	return "gevent.lock.Semaphore"
}
func (s *Semaphore) Freeze()               {}
func (s *Semaphore) Truth() starlark.Bool  { return true }
func (s *Semaphore) Hash() (uint32, error) { return interp.IdentityHash(s), nil }

func (s *Semaphore) Attr(name string) (starlark.Value, error) {
	if name == "counter" {
		return starlark.MakeInt(s.counter), nil
	}
	if b, ok := semaphoreMethods[name]; ok {
		return b.BindReceiver(s), nil
	}
	return nil, nil
}

func (s *Semaphore) AttrNames() []string {
	return append(interp.SortedAttrNames(semaphoreMethods), "counter")
}

func (s *Semaphore) record(th *starlark.Thread, op trace.Operation) {
	if sc := s.m.it.Sched(); sc.Recording() {
		sc.RecordOp(interp.Current(th), s.name, op, s.counter)
	}
}

// semAcquire is acquire(blocking=True, timeout=None): True once acquired,
// False if not in time.
func semAcquire(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	blocking := true
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("acquire", args, kwargs, "blocking?", &blocking, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("acquire", timeout)
	if err != nil {
		return nil, err
	}
	if !blocking {
		d = 0
	}
	s := b.Receiver().(*Semaphore)
	cur, err := s.m.current(th)
	if err != nil {
		return nil, err
	}
	deadline := s.m.deadline(d)
	for s.counter <= 0 {
		left := s.m.remaining(deadline)
		if left == 0 {
			return starlark.False, nil
		}
		s.waiters = append(s.waiters, cur)
		_, err := cur.Hub().Block(cur, s.Type()+".acquire", left)
		s.waiters = removeG(s.waiters, cur)
		if err != nil {
			return nil, err
		}
	}
	s.counter--
	s.record(th, trace.Acquire)
	return starlark.True, nil
}

func semRelease(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("release", args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Semaphore)
	if s.bounded && s.counter >= s.initial {
		return nil, interp.Errorf(interp.ValueError, "Semaphore released too many times")
	}
	s.counter++
	s.record(th, trace.Release)
	wakeOne(s.waiters, interp.Current(th))
	return starlark.None, nil
}

func semLocked(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("locked", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Semaphore).counter <= 0), nil
}
