package interp

import (
	"fmt"
	"time"
)

// CheckStop is the cancellation check of a Go builtin that may loop for long
// over something the script chose (sum(range(1 << 62)), set(...), a deep
// formatting): call it every few thousand items, with work the number of
// items done since the last call. go.starlark.net checks cancellation only
// between Starlark steps, so without this a long Go loop would ignore the
// first Ctrl-C, a grader's time limit and the step budget.
//
// It counts work as steps of the run's step budget, applies the real-time
// budget, and returns what the thread must raise now: KeyboardInterrupt
// (Ctrl-C), MemoryError (the memory budget), or the scheduler's stop
// (IsKilled). The pending condition is not cleared: the thread's
// cancellation stays sticky, as for a Starlark step, until try_ handles it.
func (s *Scheduler) CheckStop(t *Thread, work uint64) error {
	if t == nil {
		return nil
	}
	if work > 0 && s.maxSteps > 0 && s.totalSteps.Add(work) > s.maxSteps {
		s.Stop(fmt.Sprintf("step budget of %d steps used up (an endless loop?)", s.maxSteps))
	}
	if s.maxTime > 0 && !s.sim && time.Since(s.start) > s.maxTime {
		s.Stop(fmt.Sprintf("time budget of %v used up", s.maxTime))
	}
	if s.mem.raised.CompareAndSwap(t, nil) {
		return Raise(NewException(MemoryError))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.killed {
		return errKilled
	}
	if t.interruptPending {
		return Raise(NewException(KeyboardInterrupt))
	}
	return nil
}
