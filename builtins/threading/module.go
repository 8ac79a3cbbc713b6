package threading

import (
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// New builds the threading module for one run of it.
func New(it *interp.Interp) *starlarkstruct.Module {
	m := &threadingModule{it: it}
	return &starlarkstruct.Module{
		Name: "threading",
		Members: starlark.StringDict{
			"Thread":         starlark.NewBuiltin("Thread", m.newThread),
			"Lock":           starlark.NewBuiltin("Lock", m.newLock),
			"current_thread": starlark.NewBuiltin("current_thread", m.currentThread),
			"currentThread":  starlark.NewBuiltin("currentThread", m.currentThread),
			"main_thread":    starlark.NewBuiltin("main_thread", m.mainThread),
			"active_count":   starlark.NewBuiltin("active_count", m.activeCount),
			"activeCount":    starlark.NewBuiltin("activeCount", m.activeCount),
			"enumerate":      starlark.NewBuiltin("enumerate", m.enumerate),
			"get_ident":      starlark.NewBuiltin("get_ident", m.getIdent),
			"TIMEOUT_MAX":    starlark.Float(pyarg.TimeoutMax),

			// one file each: rlock.go, condition.go, semaphore.go, event.go, barrier.go, timer.go, local.go
			"RLock":              starlark.NewBuiltin("RLock", m.newRLock),
			"Condition":          starlark.NewBuiltin("Condition", m.newCondition),
			"Semaphore":          starlark.NewBuiltin("Semaphore", m.newSemaphore),
			"BoundedSemaphore":   starlark.NewBuiltin("BoundedSemaphore", m.newSemaphore),
			"Event":              starlark.NewBuiltin("Event", m.newEvent),
			"Barrier":            starlark.NewBuiltin("Barrier", m.newBarrier),
			"BrokenBarrierError": brokenBarrierError,
			"Timer":              starlark.NewBuiltin("Timer", m.newTimer),
			"local":              starlark.NewBuiltin("local", m.newLocal),
			"get_native_id":      starlark.NewBuiltin("get_native_id", m.getNativeID),
			"ThreadError":        interp.RuntimeError, // _thread.error is RuntimeError in Python 3
		},
	}
}

type threadingModule struct {
	it *interp.Interp
}

// objectOf returns the Starlark object of a scheduler thread: its
// threading.Thread, or the Timer whose thread it is, making a Thread for
// threads not created through threading.Thread (the main thread).
func (m *threadingModule) objectOf(t *interp.Thread) starlark.Value {
	if t.Obj != nil {
		return t.Obj
	}
	obj := &Thread{m: m, t: t, started: true}
	t.Obj = obj
	return obj
}

func (m *threadingModule) currentThread(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	return m.objectOf(t), nil
}

func (m *threadingModule) mainThread(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	for _, t := range m.it.Sched().Threads() {
		if t.IsMain() {
			return m.objectOf(t), nil
		}
	}
	return starlark.None, nil
}

// activeCount is threading.active_count(): live threads, the main one included.
func (m *threadingModule) activeCount(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(len(m.it.Sched().Threads())), nil
}

func (m *threadingModule) enumerate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, t := range m.it.Sched().Threads() {
		out = append(out, m.objectOf(t))
	}
	return starlark.NewList(out), nil
}

func (m *threadingModule) getIdent(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	return starlark.MakeInt64(t.ID), nil
}

// getNativeID is threading.get_native_id(): starlab threads are not OS
// threads, so it is the same number as get_ident() and Thread.native_id.
func (m *threadingModule) getNativeID(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return m.getIdent(th, b, args, kwargs)
}
