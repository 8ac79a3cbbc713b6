package interp

import (
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// ThreadWait describes one thread in a deadlock report.
type ThreadWait struct {
	ID     int64
	Name   string
	Reason string
	Pos    syntax.Position
	Main   bool // the main thread
	// What it waits for, when the primitive says (WaitQueue.Of): the
	// object's name, where the script made it, who holds it ("" if nobody
	// or not known), and a note ("3 tasks not done").
	Object, Holder, Note string
	Made                 syntax.Position
}

// DeadlockReport lists what every thread waited on when no thread could run.
type DeadlockReport struct {
	At      time.Duration
	Threads []ThreadWait
}

// Deadlock returns the report if the run ended in a deadlock, else nil.
func (s *Scheduler) Deadlock() *DeadlockReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deadlock
}

// idleLocked runs when no thread holds the baton and none is runnable.
func (s *Scheduler) idleLocked() {
	if s.sim {
		// Virtual time jumps to the next timer; all timers due then fire.
		for len(s.runq) == 0 && s.holder == nil && s.vtimers.Len() > 0 {
			due := s.vtimers[0].at
			if due > s.vnow {
				s.vnow = due
			}
			s.checkTimeLocked()
			// Queue every thread due now, then draw who runs first: that
			// order is part of the schedule a seed explores.
			s.fireDueLocked()
			if len(s.runq) > 0 {
				s.setHolderLocked(s.takeLocked(s.rng.Intn(len(s.runq))))
			}
		}
		if s.holder != nil || s.external > 0 {
			return
		}
	} else if s.realTimers > 0 || s.external > 0 {
		return
	}
	if len(s.threads) == 0 || s.holder != nil {
		return
	}
	s.reportDeadlockLocked()
}

// reportDeadlockLocked records what every thread waits on, then stops them all
// so that the run can end and print the report instead of hanging.
func (s *Scheduler) reportDeadlockLocked() {
	rep := &DeadlockReport{At: s.nowLocked()}
	for _, t := range s.threads {
		w := ThreadWait{ID: t.ID, Name: s.qualName(t), Reason: t.waitReason, Pos: t.waitPos, Main: t == s.main}
		if t.waitQ != nil && t.waitQ.Of != nil {
			var holder *starlark.Thread
			w.Object, holder, w.Made, w.Note = t.waitQ.Of.Blocking()
			if holder == nil {
			} else if h := Current(holder); h != nil {
				w.Holder = s.qualName(h)
			}
		}
		rep.Threads = append(rep.Threads, w)
	}
	if s.interactive && s.main != nil && s.main.state == stateParked {
		// At the prompt: give the learner the prompt back; the other
		// threads stay blocked (the main thread may still free them).
		s.deadlock = rep
		s.endWaitLocked(s.main, Errorf(RuntimeError, "deadlock: no thread can run (see the report above)"))
		return
	}
	if s.deadlock == nil {
		s.deadlock = rep
	}
	for _, t := range s.threads {
		s.killLocked(t)
	}
}

// TakeDeadlock returns the last deadlock report and forgets it (a REPL
// session prints each one once).
func (s *Scheduler) TakeDeadlock() *DeadlockReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := s.deadlock
	s.deadlock = nil
	return rep
}
