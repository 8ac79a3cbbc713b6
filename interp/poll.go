package interp

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
