package interp

import (
	"container/heap"
	"fmt"
	"time"
)

// Now returns the time since the run started on the run's clock: virtual in
// sim mode (the clock of the baton holder's process, see proc.go), real
// otherwise.
func (s *Scheduler) Now() time.Duration {
	if !s.sim {
		return time.Since(s.start)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holder != nil {
		return s.holder.proc.clock
	}
	return s.vnow
}

func (s *Scheduler) armTimerLocked(t *Thread, d time.Duration) {
	if s.sim {
		// Deadlines round up to the timer tick, as an OS's timer slack does:
		// threads that slept the same time from nearly the same moment wake
		// together, and the seed decides their order (the lost update of the
		// course's lock example shows up this way).
		at := (t.proc.clock + d + simTimerTick - 1) / simTimerTick * simTimerTick
		s.vtimerSeq++
		heap.Push(&s.vtimers, vtimer{at: at, seq: s.vtimerSeq, t: t, waitSeq: t.waitSeq})
		return
	}
	seq := t.waitSeq
	s.realTimers++
	t.realTimer = time.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.realTimers-- // this timer ran, so no Stop counted it
		if t.waitSeq == seq && t.state == stateParked {
			t.realTimer = nil
			s.endWaitLocked(t, errTimedOut)
		}
		if s.holder == nil && len(s.runq) == 0 {
			s.idleLocked() // that was perhaps the last timer: a deadlock?
		}
	})
}

// chargeLocked advances the virtual clock by the steps t ran since it was
// last charged (sim mode; t is the holder).
func (s *Scheduler) chargeLocked(t *Thread) {
	if !s.sim {
		return
	}
	steps := t.S.ExecutionSteps()
	cost := simStepCost
	if len(s.runq) == 0 && s.vtimers.Len() > 0 && (s.nprocs == 0 || s.vtimers[0].t.proc == t.proc) {
		// With processes, only a sleeper of t's own process makes t a
		// spinner: another process's CPU work goes on beside a sleeping
		// parent (join(timeout)) at its normal cost.
		cost = simSpinStepCost
	}
	d := time.Duration(steps-t.chargedSteps) * cost
	if s.nprocs > 0 {
		// More processes want a core than there are: they share the
		// cores, each step takes longer (proc.go).
		if k := s.activeProcsLocked(); k > s.cpus {
			d = d * time.Duration(k) / time.Duration(s.cpus)
		}
	}
	t.proc.clock += d
	if t.proc.clock > s.vnow {
		s.vnow = t.proc.clock
	}
	t.chargedSteps = steps
	s.checkTimeLocked()
}

// checkTimeLocked stops a sim run whose virtual clock passed MaxTime.
func (s *Scheduler) checkTimeLocked() {
	if s.sim && s.maxTime > 0 && s.vnow > s.maxTime && s.stopReason == "" {
		s.stopLocked(fmt.Sprintf("time budget of %v (virtual) used up", s.maxTime))
	}
}

// fireDueLocked queues the threads whose virtual timers are due (sim mode).
func (s *Scheduler) fireDueLocked() {
	for s.vtimers.Len() > 0 && s.vtimers[0].at <= s.vnow {
		tm := heap.Pop(&s.vtimers).(vtimer)
		if tm.t.waitSeq == tm.waitSeq && s.finishWaitLocked(tm.t, errTimedOut) {
			syncClockLocked(tm.t, tm.at)
			s.runq = append(s.runq, tm.t)
			s.nrunq.Store(int32(len(s.runq)))
		}
	}
}

func (s *Scheduler) nowLocked() time.Duration {
	if s.sim {
		return s.vnow
	}
	return time.Since(s.start)
}

// nowOfLocked is the run's clock as thread t sees it: its process's clock
// in sim mode.
func (s *Scheduler) nowOfLocked(t *Thread) time.Duration {
	if s.sim {
		return t.proc.clock
	}
	return time.Since(s.start)
}

// vtimer is a timer on the virtual clock; seq breaks ties in arrival order so
// that a sim run replays exactly.
type vtimer struct {
	at      time.Duration
	seq     uint64
	t       *Thread
	waitSeq uint64
}

type timerHeap []vtimer

func (h timerHeap) Len() int { return len(h) }

func (h timerHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}

func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

func (h *timerHeap) Push(x any) { *h = append(*h, x.(vtimer)) }

func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
