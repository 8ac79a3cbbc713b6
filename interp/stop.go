package interp

import (
	"fmt"
	"time"
)

// Interrupt delivers a KeyboardInterrupt to the main thread (Ctrl-C): it wakes
// a blocked main thread with the exception, and cancels a running one (even a
// busy `while True: pass`) at its next step. Safe to call from any goroutine.
func (s *Scheduler) Interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.main
	if m == nil || m.killed {
		return
	}
	switch m.state {
	case stateDone:
	case stateParked:
		s.endWaitLocked(m, Raise(NewException(KeyboardInterrupt)))
	case stateExternal:
		if m.waitResult == nil {
			m.waitResult = Raise(NewException(KeyboardInterrupt))
			close(m.extCancel)
		}
	default:
		m.interruptPending = true
		m.S.Cancel(reasonInterrupt)
	}
}

// ClearInterrupt forgets a KeyboardInterrupt that t has handled (try_ caught
// it, or the REPL printed it): go.starlark.net's cancellation is sticky, so
// without this the next step would raise it again.
func (s *Scheduler) ClearInterrupt(t *Thread) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.interruptPending = false
	if !t.killed {
		t.S.Uncancel()
	}
}

// StopThreads stops every live thread but the caller: parked ones wake with
// an error that unwinds them, running ones are cancelled at their next step.
// Used for daemon threads at exit and for everything after a deadlock.
func (s *Scheduler) StopThreads(caller *Thread, daemonsOnly bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.threads {
		if t != caller && (!daemonsOnly || t.daemon) {
			s.killLocked(t)
		}
	}
}

func (s *Scheduler) killLocked(t *Thread) {
	if t.state == stateDone || t.killed {
		return
	}
	t.killed = true
	t.S.Cancel(reasonKilled)
	switch t.state {
	case stateParked:
		s.endWaitLocked(t, errKilled)
	case stateExternal:
		if t.waitResult == nil {
			t.waitResult = errKilled
			close(t.extCancel)
		}
	}
}

// pendingLocked returns an interrupt or stop that t must raise instead of blocking.
func (s *Scheduler) pendingLocked(t *Thread) error {
	if t.killed {
		return errKilled
	}
	if t.interruptPending {
		t.interruptPending = false
		return Raise(NewException(KeyboardInterrupt))
	}
	return nil
}

// Stop ends the run from outside (a grader's time limit) or when a budget is
// used up: every thread is stopped as daemon threads are at exit, and
// Stopped reports reason. Safe to call from any goroutine.
func (s *Scheduler) Stop(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked(reason)
}

func (s *Scheduler) stopLocked(reason string) {
	if s.stopReason == "" {
		s.stopReason = reason
	}
	for _, t := range s.threads {
		s.killLocked(t)
	}
}

// Stopped returns why Stop ended the run, or "".
func (s *Scheduler) Stopped() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopReason
}

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
