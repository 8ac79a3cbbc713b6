package interp

import (
	"fmt"
	"time"
)

// SwitchInterval returns the preemption interval of real-time mode.
func (s *Scheduler) SwitchInterval() time.Duration { return time.Duration(s.interval.Load()) }

// SetSwitchInterval sets it (sys.setswitchinterval).
func (s *Scheduler) SetSwitchInterval(d time.Duration) { s.interval.Store(int64(d)) }

// Yield is a switch point: if another thread waits for the baton, t gives it
// up and queues again (in sim mode the next holder, t included, is drawn at
// random). It returns a pending KeyboardInterrupt or stop, if any.
func (s *Scheduler) Yield(t *Thread) error {
	s.mu.Lock()
	if err := s.pendingLocked(t); err != nil {
		s.mu.Unlock()
		return err
	}
	if len(s.runq) == 0 {
		t.sliceStart = time.Time{}
		s.mu.Unlock()
		return nil
	}
	var next *Thread
	if s.sim {
		s.chargeLocked(t)
		i := s.rng.Intn(len(s.runq) + 1)
		if i == len(s.runq) {
			s.mu.Unlock()
			return nil
		}
		next = s.takeLocked(i)
	} else {
		next = s.takeLocked(0)
	}
	t.state = stateRunnable
	s.runq = append(s.runq, t)
	s.nrunq.Store(int32(len(s.runq)))
	s.setHolderLocked(next)
	s.mu.Unlock()
	<-t.wake
	return nil
}

func (s *Scheduler) onMaxSteps(t *Thread) {
	st := t.S
	if st.CallStackDepth() >= maxDepth {
		st.Cancel(reasonRecursion)
	}
	steps := st.ExecutionSteps()
	total := s.totalSteps.Add(steps - t.countedSteps)
	t.countedSteps = steps
	if s.maxSteps > 0 && total > s.maxSteps {
		s.Stop(fmt.Sprintf("step budget of %d steps used up (an endless loop?)", s.maxSteps))
	}
	if s.maxTime > 0 && !s.sim && time.Since(s.start) > s.maxTime {
		s.Stop(fmt.Sprintf("time budget of %v used up", s.maxTime))
	}
	s.armPreemption(t)
	if s.sim {
		s.mu.Lock()
		s.chargeLocked(t)
		s.fireDueLocked()
		s.mu.Unlock()
		s.Yield(t)
		return
	}
	// Like CPython's GIL, the switch interval counts from when another
	// thread is seen waiting: no clock read at all while nobody waits.
	if s.nrunq.Load() > 0 {
		now := time.Now()
		if t.sliceStart.IsZero() {
			t.sliceStart = now
		} else if now.Sub(t.sliceStart) >= s.SwitchInterval() {
			s.Yield(t)
		}
	}
}

// armPreemption sets t's next preemption check: every realCheckSteps steps in
// real-time mode, after a random gap (mean simMeanGap) in sim mode.
func (s *Scheduler) armPreemption(t *Thread) {
	gap := uint64(realCheckSteps)
	if s.sim {
		s.mu.Lock()
		gap = 1 + uint64(s.rng.Intn(2*simMeanGap))
		s.mu.Unlock()
	}
	if t.S.CallStackDepth() > maxDepth-50 {
		gap = 1 // near the recursion limit: check each step, to stop where Python does
	}
	t.S.SetMaxExecutionSteps(t.S.ExecutionSteps() + gap)
}

// PollYield is the switch point of a wait that does not block: a zero
// timeout (Condition.wait(0), Lock.acquire(timeout=0), Event.wait(0),
// Queue.get(timeout=0), join(0)) or a failed non-blocking acquire. If
// another thread waits for the baton, t gives it up and queues again, as
// Yield does.
//
// Why: without it, `while not done: cond.wait(0)` releases the lock and
// takes it back within one step, so a thread woken by that release (queued
// for the baton, about to take the lock) never finds the lock free when
// preemption finally lets it run: a livelock that CPython does not have,
// because there the woken thread grabs the OS lock while the poller still
// holds the GIL. Giving the baton away at the poll lets the woken thread
// take the lock first. It costs nothing when no other thread is runnable.
func (s *Scheduler) PollYield(t *Thread) error {
	if s.nrunq.Load() == 0 {
		s.mu.Lock()
		err := s.pendingLocked(t)
		s.mu.Unlock()
		return err
	}
	return s.Yield(t)
}

// Steps returns the Starlark steps the run's threads have taken so far, as
// counted at their preemption points (so a little behind): a grader's
// measure of a thread that spins instead of waiting.
func (s *Scheduler) Steps() uint64 { return s.totalSteps.Load() }
