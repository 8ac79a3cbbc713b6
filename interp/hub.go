package interp

import "time"

// Coop is a cooperative scheduler that a thread may belong to: a gevent hub,
// whose greenlets share one token and run one at a time, switching only when
// one of them blocks in a call that gevent has patched. builtins/greenlet
// implements it; the scheduler only asks it, at two blocking points, whether
// the call should let the thread's other greenlets run while it blocks:
//
//   - Sleep (time.sleep): a patched hub sleeps as gevent.sleep does.
//   - External (socket I/O, select, urlopen, ...): a patched hub gives its
//     token to the next ready greenlet before the wait and takes it back
//     after.
//
// An unpatched call keeps the token, so every greenlet of the hub waits with
// the caller: the lesson of the course's gevent section.
type Coop interface {
	// Sleep runs time.sleep(d) for t, the baton holder, if the hub patched
	// time; handled=false leaves the sleep to the scheduler.
	Sleep(t *Thread, d time.Duration) (handled bool, err error)
	// BeforeExternal is called by t, the baton holder, before an external
	// wait described by reason ("socket.recv", "select.select", ...). If the
	// hub patched that kind of call it gives its token away and returns the
	// function that takes it back, which the scheduler calls once the wait
	// is over and t holds the baton again; else it returns nil.
	BeforeExternal(t *Thread, reason string) (after func() error)
}

const coopKey = "starlab.coop"

// SetCoop makes t a member of c: the scheduler consults c at t's blocking
// calls. Call it from t itself, or before t runs.
func (t *Thread) SetCoop(c Coop) { t.S.SetLocal(coopKey, c) }

// Coop returns the cooperative scheduler t belongs to, or nil.
func (t *Thread) Coop() Coop {
	c, _ := t.S.Local(coopKey).(Coop)
	return c
}

// coopSleep is the hook of Scheduler.Sleep.
func (s *Scheduler) coopSleep(t *Thread, d time.Duration) (bool, error) {
	if c := t.Coop(); c != nil {
		return c.Sleep(t, d)
	}
	return false, nil
}

// coopBeforeExternal is the hook of Scheduler.External.
func (s *Scheduler) coopBeforeExternal(t *Thread, reason string) func() error {
	if c := t.Coop(); c != nil {
		return c.BeforeExternal(t, reason)
	}
	return nil
}

// CancelExternal ends t's external wait early with err, as Ctrl-C does for
// the main thread: the blocked operation is cancelled and External returns
// err. It reports whether t was in an external wait. gevent uses it to
// deliver a kill or a Timeout to a greenlet blocked in patched socket I/O.
// Safe to call from any goroutine.
func (s *Scheduler) CancelExternal(t *Thread, err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.state != stateExternal || t.waitResult != nil {
		return false
	}
	t.waitResult = err
	close(t.extCancel)
	return true
}
