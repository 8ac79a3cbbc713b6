package interp

import "github.com/starlab-dev/starlab/interp/trace"

// External runs fn, a blocking OS operation, without the baton: other threads
// run meanwhile, and the scheduler does not call it a deadlock while fn
// blocks. fn must return soon after cancel is closed, which happens on a
// KeyboardInterrupt (main thread) or when the thread is stopped; External then
// returns that error instead of fn's.
func (s *Scheduler) External(t *Thread, reason string, fn func(cancel <-chan struct{}) error) error {
	if after := s.coopBeforeExternal(t, reason); after != nil { // a patched gevent hub (hub.go)
		err := s.externalWait(t, reason, fn)
		if err2 := after(); err == nil {
			err = err2
		}
		return err
	}
	return s.externalWait(t, reason, fn)
}

// externalWait is External without the gevent hub hook: the wait itself.
func (s *Scheduler) externalWait(t *Thread, reason string, fn func(cancel <-chan struct{}) error) error {
	s.mu.Lock()
	if err := s.pendingLocked(t); err != nil {
		s.mu.Unlock()
		return err
	}
	cancel := make(chan struct{})
	t.state = stateExternal
	t.extCancel = cancel
	t.waitReason = reason
	t.waitPos = userPos(t.S)
	t.waitResult = nil
	s.external++
	s.emitLocked(trace.Wait, t, reason)
	s.dispatchLocked()
	s.mu.Unlock()

	err := fn(cancel)

	s.mu.Lock()
	s.external--
	res := t.waitResult
	t.waitResult = nil
	t.extCancel = nil
	s.emitLocked(trace.Wake, t, "")
	s.makeRunnableLocked(t)
	s.mu.Unlock()
	<-t.wake
	if res != nil {
		return res
	}
	return err
}
