package interp

import (
	"container/heap"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// The scheduler is starlab's GIL. go.starlark.net values are not safe to share
// between goroutines, and Python code shares them freely between threads; so,
// like CPython, only one Starlark thread runs at a time: the one holding the
// baton. A thread gives the baton up at a switch point (a preemption, or any
// blocking call) and the giver picks the next holder and wakes it. Nothing
// depends on sync.Mutex fairness or on the Go scheduler's choices, which is
// what makes sim mode replayable from a seed.
//
// A blocked thread waits in one of two ways:
//   - a scheduler wait (Wait, Sleep, Join): the scheduler knows what will wake
//     it, so when no thread can run and no timer is pending it is a deadlock;
//   - an external wait (External): stdin, sockets, child processes; the OS
//     wakes it, so the scheduler idles instead of reporting a deadlock.

// SchedConfig chooses the policy, the clock and the preemption of a run.
type SchedConfig struct {
	// Sim selects sim mode: a virtual clock, a seeded random choice of the
	// next thread and preemption at random step counts.
	Sim  bool
	Seed int64
	// SwitchInterval is how long a thread may keep the baton while another
	// thread waits for it, in real-time mode. Zero means 5 ms, as in CPython.
	SwitchInterval time.Duration
	// Interactive is for a REPL session: a deadlock that involves the main
	// thread raises RuntimeError in it (so the prompt comes back) instead of
	// stopping every thread.
	Interactive bool
	// MaxSteps, if not 0, stops the run (Stopped says why) after that many
	// Starlark steps in all threads together: a grader's bound on an endless
	// loop.
	MaxSteps uint64
	// MaxTime, if not 0, stops the run once the run's clock passes it; in
	// sim mode that is virtual time.
	MaxTime time.Duration
	// MaxMemory is the run's memory budget in bytes (see membudget.go):
	// a request over it, or a Go heap that grows past it, raises
	// MemoryError. Zero means DefaultMaxMemory().
	MaxMemory int64
	// MemoryOverrun, if set, is called (from the budget's watcher
	// goroutine) with a verdict when the heap runs far past MaxMemory
	// (membudget.go says how far): a Go builtin is allocating and nothing
	// in the run can stop it in time.
	// `starlab run` prints the verdict and exits there; without it the run
	// is stopped as for any overrun.
	MemoryOverrun func(verdict string)
	// Hook, if set, receives every scheduling event. It is called with the
	// scheduler's mutex held: it must be quick and must not call back.
	Hook func(Event)
}

// EventKind names what happened in an Event.
type EventKind string

// The kinds of scheduler events.
const (
	EventStart EventKind = "start" // a thread was created
	EventEnd   EventKind = "end"   // a thread ended
	EventRun   EventKind = "run"   // a thread got the baton
	EventWait  EventKind = "wait"  // a thread blocked (Reason says on what)
	EventWake  EventKind = "wake"  // a blocked thread became runnable
	EventOp    EventKind = "op"    // an operation on a primitive (RecordOp)
)

// Event is one thing the scheduler did, for traces and graders.
type Event struct {
	At     time.Duration // on the run's clock (virtual in sim mode), since its start
	Kind   EventKind
	Thread int64  // the thread's ident
	Name   string // the thread's name at the time
	Reason string // for EventWait: "Lock.acquire", "sleep", "join Thread-2", ...; for EventWake: "timeout" if it timed out; for EventOp: the operation ("acquire", "put", ...)
	Pos    syntax.Position
	Object string // for EventOp: the primitive, e.g. "Lock-1"
	Value  int    // for EventOp: a count after the operation (queue length, semaphore value), else 0
}

// ThreadWait describes one thread in a deadlock report.
type ThreadWait struct {
	ID     int64
	Name   string
	Reason string
	Pos    syntax.Position
}

// DeadlockReport lists what every thread waited on when no thread could run.
type DeadlockReport struct {
	At      time.Duration
	Threads []ThreadWait
}

// errTimedOut ends a wait whose timeout expired.
var errTimedOut = errors.New("timed out")

const (
	// realCheckSteps is how often (in Starlark steps) a running thread checks
	// whether it should give the baton up, in real-time mode. A check costs a
	// few nanoseconds when nobody waits.
	realCheckSteps = 1000
	// simMeanGap is the mean number of steps between preemption points in sim
	// mode: small enough that a read-modify-write of a few statements is split
	// for some seeds and not for others.
	simMeanGap = 40
	// simStepCost is the virtual time one Starlark step takes in sim mode,
	// about what CPython spends on a bytecode. Without it, a busy-wait loop
	// (the course's `while threading.active_count() != 1: pass`) would keep
	// the virtual clock still forever and never see the sleepers finish.
	simStepCost = 25 * time.Nanosecond
	// simSpinStepCost is the cost of a step while no other thread can run
	// and some timer is pending: the running thread can only be waiting
	// for the sleepers (a busy-wait), so its time flows faster, and the
	// course's busy-wait over 10 virtual seconds takes a fraction of a
	// real second instead of half a minute.
	simSpinStepCost = time.Microsecond
	// simTimerTick is the resolution of sim mode's timers.
	simTimerTick = time.Millisecond
	// maxDepth is Python's default recursion limit.
	maxDepth = 1000
)

// Scheduler hands the baton between the threads of one run.
type Scheduler struct {
	mu          sync.Mutex
	holder      *Thread
	runq        []*Thread
	nrunq       atomic.Int32 // len(runq), read without mu by the holder
	threads     []*Thread    // live threads, in start order
	main        *Thread
	nextID      int64
	external    int // threads in external waits
	realTimers  int // pending real-clock timers
	vtimers     timerHeap
	vtimerSeq   uint64
	vnow        time.Duration
	start       time.Time
	sim         bool
	seed        int64
	rng         *rand.Rand
	interval    atomic.Int64 // switch interval, ns
	hook        func(Event)
	interactive bool
	deadlock    *DeadlockReport
	threadNum   int            // Python's "Thread-N" counter
	objects     map[string]int // ObjectName counters
	maxSteps    uint64
	maxTime     time.Duration
	totalSteps  atomic.Uint64
	stopReason  string
	idle        []*worker // goroutines waiting for a thread to run
	closed      bool      // Close was called: workers exit when done
	mem         memWatch  // the memory budget (membudget.go)
}

// NewScheduler returns a scheduler with no threads yet.
func NewScheduler(cfg SchedConfig) *Scheduler {
	s := &Scheduler{
		start:       time.Now(),
		sim:         cfg.Sim,
		seed:        cfg.Seed,
		rng:         rand.New(rand.NewSource(cfg.Seed)),
		hook:        cfg.Hook,
		interactive: cfg.Interactive,
		maxSteps:    cfg.MaxSteps,
		maxTime:     cfg.MaxTime,
	}
	iv := cfg.SwitchInterval
	if iv <= 0 {
		iv = 5 * time.Millisecond
	}
	s.interval.Store(int64(iv))
	s.mem.max = cfg.MaxMemory
	s.mem.overrun = cfg.MemoryOverrun
	if s.mem.max <= 0 {
		s.mem.max = max(DefaultMaxMemory(), 1<<30)
	}
	return s
}

// Seed returns the run's seed (the --seed of a sim run).
func (s *Scheduler) Seed() int64 { return s.seed }

// Sim reports whether this is a sim-mode run (virtual clock, seeded schedule).
func (s *Scheduler) Sim() bool { return s.sim }

// SwitchInterval returns the preemption interval of real-time mode.
func (s *Scheduler) SwitchInterval() time.Duration { return time.Duration(s.interval.Load()) }

// SetSwitchInterval sets it (sys.setswitchinterval).
func (s *Scheduler) SetSwitchInterval(d time.Duration) { s.interval.Store(int64(d)) }

// Now returns the time since the run started on the run's clock: virtual in
// sim mode (it moves only when every thread waits for a timer), real otherwise.
func (s *Scheduler) Now() time.Duration {
	if !s.sim {
		return time.Since(s.start)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vnow
}

// Rand returns the run's PRNG: seeded from the run's seed, so a sim-mode run
// that draws from it replays. Use it only while holding the baton.
func (s *Scheduler) Rand() *rand.Rand { return s.rng }

// NextThreadNumber returns N for the next default name "Thread-N".
func (s *Scheduler) NextThreadNumber() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.threadNum++
	return s.threadNum
}

// Deadlock returns the report if the run ended in a deadlock, else nil.
func (s *Scheduler) Deadlock() *DeadlockReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deadlock
}

// Threads returns the live threads in start order (threading.enumerate).
func (s *Scheduler) Threads() []*Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Thread(nil), s.threads...)
}

// Current returns the thread that runs st, or nil if st is not one of ours.
func Current(st *starlark.Thread) *Thread {
	t, _ := st.Local(threadKey).(*Thread)
	return t
}

const threadKey = "starlab.thread"

func (s *Scheduler) newThread(st *starlark.Thread, name string, daemon, main bool) *Thread {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	t := &Thread{
		sched:  s,
		ID:     id,
		S:      st,
		main:   main,
		name:   name,
		daemon: daemon,
		wake:   make(chan struct{}, 1),
		doneCh: make(chan struct{}),
	}
	st.SetLocal(threadKey, t)
	st.OnMaxSteps = func(*starlark.Thread) { s.onMaxSteps(t) }
	s.armPreemption(t)
	return t
}

// StartMain registers the calling goroutine's thread as the main thread and
// gives it the baton. It must be the first thread of the run.
func (s *Scheduler) StartMain(st *starlark.Thread) *Thread {
	t := s.newThread(st, "MainThread", false, true)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.main = t
	s.startMemWatch()
	s.threads = append(s.threads, t)
	s.emitLocked(EventStart, t, "")
	s.setHolderLocked(t)
	<-t.wake // never blocks: setHolderLocked just sent the token
	return t
}

// Spawn starts a new thread running body on its own goroutine, as
// threading.Thread.start does. The caller (parent) must hold the baton. As in
// CPython, where start() waits for the new thread to signal that it runs, the
// child gets the baton first and the parent waits at the head of the queue (in
// sim mode the next holder is drawn at random). When body returns, the
// thread ends: its joiners wake and the baton moves on.
func (s *Scheduler) Spawn(parent *Thread, st *starlark.Thread, name string, daemon bool, body func(t *Thread)) *Thread {
	t := s.newThread(st, name, daemon, false)
	s.goRun(func() {
		<-t.wake
		body(t)
		s.exit(t)
	})
	s.mu.Lock()
	s.threads = append(s.threads, t)
	s.emitLocked(EventStart, t, "")
	t.state = stateRunnable
	parent.state = stateRunnable
	if s.sim {
		s.chargeLocked(parent)
		s.runq = append(s.runq, t, parent)
		s.nrunq.Store(int32(len(s.runq)))
		s.setHolderLocked(s.takeLocked(s.rng.Intn(len(s.runq))))
	} else {
		s.runq = append([]*Thread{parent}, s.runq...)
		s.nrunq.Store(int32(len(s.runq)))
		s.setHolderLocked(t)
	}
	s.mu.Unlock()
	<-parent.wake
	return t
}

// maxIdleWorkers bounds the goroutines kept for threads to come.
const maxIdleWorkers = 256

// worker is a goroutine that runs one thread after another. A new
// goroutine's stack starts small and grows by copying as the interpreter's
// deep frames run: that was a third of the cost of starting a thread. A
// goroutine whose thread ended waits here for the next one instead.
type worker struct{ next chan func() }

// goRun runs f on an idle worker, or on a new one.
func (s *Scheduler) goRun(f func()) {
	s.mu.Lock()
	var w *worker
	if n := len(s.idle); n > 0 {
		w = s.idle[n-1]
		s.idle = s.idle[:n-1]
	}
	s.mu.Unlock()
	if w == nil {
		w = &worker{next: make(chan func(), 1)}
		go w.loop(s)
	}
	w.next <- f
}

func (w *worker) loop(s *Scheduler) {
	for f := range w.next {
		f()
		s.mu.Lock()
		if s.closed || len(s.idle) >= maxIdleWorkers {
			s.mu.Unlock()
			return
		}
		s.idle = append(s.idle, w)
		s.mu.Unlock()
	}
}

// Close ends the idle workers: call it when the run is over, so that no
// goroutine outlives it.
func (s *Scheduler) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.stopMemWatch()
	for _, w := range s.idle {
		close(w.next)
	}
	s.idle = nil
}

// exit ends t: it leaves the registry, its joiners wake, the baton moves on.
func (s *Scheduler) exit(t *Thread) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.state = stateDone
	for i, x := range s.threads {
		if x == t {
			if i == 0 {
				// The oldest thread: no copy. Threads stopped at exit end
				// in start order, and a run stopped with 10^5 threads
				// spent minutes copying the rest of the list each time.
				s.threads[0] = nil
				s.threads = s.threads[1:]
			} else {
				s.threads = append(s.threads[:i], s.threads[i+1:]...)
			}
			break
		}
	}
	close(t.doneCh)
	for t.joiners.head != nil {
		s.endWaitLocked(t.joiners.head, nil)
	}
	s.emitLocked(EventEnd, t, "")
	if s.holder == t {
		s.dispatchLocked()
	}
}

// Wait parks t, the baton holder, on q (nil for a plain sleep) until another
// thread wakes it with WakeOne/WakeAll, or timeout passes (timeout < 0: no
// timeout). reason says what it waits for ("Lock.acquire", "Queue.get") and
// appears in deadlock reports and traces. It returns woken=false on timeout,
// and an error when the wait was interrupted: KeyboardInterrupt (in the main
// thread), or the scheduler stopping the thread. A woken thread should check
// its condition again: the scheduler makes no promise that it still holds.
func (s *Scheduler) Wait(t *Thread, q *WaitQueue, reason string, timeout time.Duration) (woken bool, err error) {
	s.mu.Lock()
	if err := s.pendingLocked(t); err != nil {
		s.mu.Unlock()
		return false, err
	}
	if timeout == 0 {
		s.mu.Unlock()
		// A zero timeout polls (acquire(timeout=0), join(0), wait(0)); the
		// poll is a switch point, see PollYield.
		return false, s.PollYield(t)
	}
	t.waitSeq++
	t.state = stateParked
	t.waitReason = reason
	t.waitPos = userPos(t.S)
	t.waitResult = nil
	if q != nil {
		q.push(t)
	}
	if timeout >= 0 {
		s.armTimerLocked(t, timeout)
	}
	s.emitLocked(EventWait, t, reason)
	s.dispatchLocked()
	s.mu.Unlock()

	<-t.wake
	switch res := t.waitResult; res {
	case nil:
		return true, nil
	case errTimedOut:
		return false, nil
	default:
		return false, res
	}
}

// Sleep blocks t for d on the run's clock; d <= 0 only yields, as
// time.sleep(0) does in CPython.
func (s *Scheduler) Sleep(t *Thread, d time.Duration) error {
	if d <= 0 {
		return s.Yield(t)
	}
	_, err := s.Wait(t, nil, "sleep", d)
	return err
}

// Join waits until other ends or timeout passes (timeout < 0: forever).
func (s *Scheduler) Join(t, other *Thread, timeout time.Duration) error {
	if !other.Alive() {
		return nil
	}
	_, err := s.Wait(t, &other.joiners, "join "+other.name, timeout)
	return err
}

// WakeOne makes the longest-waiting thread of q runnable and reports whether
// there was one. The caller holds the baton and keeps it.
func (s *Scheduler) WakeOne(q *WaitQueue) bool {
	if q.Len() == 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q.head == nil {
		return false
	}
	s.endWaitLocked(q.head, nil)
	return true
}

// WakeAll makes every thread of q runnable and returns how many there were.
func (s *Scheduler) WakeAll(q *WaitQueue) int {
	if q.Len() == 0 {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for q.head != nil {
		s.endWaitLocked(q.head, nil)
		n++
	}
	return n
}

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

// External runs fn, a blocking OS operation, without the baton: other threads
// run meanwhile, and the scheduler does not call it a deadlock while fn
// blocks. fn must return soon after cancel is closed, which happens on a
// KeyboardInterrupt (main thread) or when the thread is stopped; External then
// returns that error instead of fn's.
func (s *Scheduler) External(t *Thread, reason string, fn func(cancel <-chan struct{}) error) error {
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
	s.emitLocked(EventWait, t, reason)
	s.dispatchLocked()
	s.mu.Unlock()

	err := fn(cancel)

	s.mu.Lock()
	s.external--
	res := t.waitResult
	t.waitResult = nil
	t.extCancel = nil
	s.emitLocked(EventWake, t, "")
	s.makeRunnableLocked(t)
	s.mu.Unlock()
	<-t.wake
	if res != nil {
		return res
	}
	return err
}

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

// endWaitLocked ends t's scheduler wait with result and makes it runnable.
func (s *Scheduler) endWaitLocked(t *Thread, result error) {
	if s.finishWaitLocked(t, result) {
		s.makeRunnableLocked(t)
	}
}

// finishWaitLocked takes t out of its wait with result, without queueing it.
func (s *Scheduler) finishWaitLocked(t *Thread, result error) bool {
	if t.state != stateParked {
		return false
	}
	if t.waitQ != nil {
		t.waitQ.remove(t)
	}
	if t.realTimer != nil {
		if t.realTimer.Stop() {
			s.realTimers--
		}
		t.realTimer = nil
	}
	t.waitResult = result
	reason := ""
	if result == errTimedOut {
		reason = "timeout"
	}
	s.emitLocked(EventWake, t, reason)
	t.state = stateRunnable
	return true
}

// makeRunnableLocked queues t for the baton, or hands it over at once if nobody holds it.
func (s *Scheduler) makeRunnableLocked(t *Thread) {
	t.state = stateRunnable
	if s.holder == nil {
		s.setHolderLocked(t)
		return
	}
	s.runq = append(s.runq, t)
	s.nrunq.Store(int32(len(s.runq)))
}

func (s *Scheduler) takeLocked(i int) *Thread {
	t := s.runq[i]
	copy(s.runq[i:], s.runq[i+1:])
	s.runq[len(s.runq)-1] = nil
	s.runq = s.runq[:len(s.runq)-1]
	s.nrunq.Store(int32(len(s.runq)))
	return t
}

func (s *Scheduler) setHolderLocked(t *Thread) {
	s.holder = t
	t.state = stateRunning
	t.sliceStart = time.Time{} // set by the first check that sees a waiter
	s.emitLocked(EventRun, t, "")
	t.wake <- struct{}{} // capacity 1, and t waits for exactly this token
}

// dispatchLocked is called by the holder as it gives the baton up (it parks,
// goes external or ends): the next runnable thread gets it; with none, the
// scheduler idles, advances the virtual clock, or reports a deadlock.
func (s *Scheduler) dispatchLocked() {
	if s.holder != nil {
		s.chargeLocked(s.holder)
	}
	s.holder = nil
	if len(s.runq) > 0 {
		i := 0
		if s.sim {
			i = s.rng.Intn(len(s.runq))
		}
		s.setHolderLocked(s.takeLocked(i))
		return
	}
	s.idleLocked()
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
		rep.Threads = append(rep.Threads, ThreadWait{ID: t.ID, Name: t.name, Reason: t.waitReason, Pos: t.waitPos})
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

// Holder returns the thread holding the baton. Called from Go code that
// Starlark code called, that is the caller: for values whose Attr is not
// given the calling thread (threading.local).
func (s *Scheduler) Holder() *Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holder
}

// HasHook reports whether anyone listens to events: a primitive can skip
// preparing a RecordOp when nobody does.
func (s *Scheduler) HasHook() bool { return s.hook != nil }

// ObjectName names a new primitive for events and reports: "Lock-1",
// "Queue-2", numbered per kind in creation order (so a sim run replays).
func (s *Scheduler) ObjectName(kind string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.objects == nil {
		s.objects = make(map[string]int)
	}
	s.objects[kind]++
	return kind + "-" + strconv.Itoa(s.objects[kind])
}

// RecordOp reports an operation on a primitive (a lock acquired, an item
// put) to the hook, for traces and for graders, which check properties such
// as "never more than N holders" from these events instead of from the
// learner's prints. value is a count after the operation (queue length,
// semaphore value). It costs a nil check when nobody listens.
//
// The convention the primitives follow (builtins/threading*.go, queue.go):
//   - object is named at creation by ObjectName(kind): "Lock-1", "RLock-1",
//     "Semaphore-1", "BoundedSemaphore-1", "Event-1", "Condition-1",
//     "Barrier-1", "Queue-1" (also "LifoQueue-1", ...).
//   - op is the Python method's name: "acquire"/"release" for Lock, RLock,
//     Semaphore and BoundedSemaphore, value the recursion count (a Lock's
//     is 1 or 0) or the semaphore's counter after the op. Each event is
//     one unit, so acquires minus releases is what is held: release(n) is
//     n releases, and Condition.wait on an RLock held k times reports k
//     releases, later k acquires, as the lock's own (Condition.wait on a
//     Lock, one of each). A release is recorded before any waiter is
//     woken, an acquire after ownership is taken: replaying the events in
//     order never shows more holders than there were.
//   - Event: "set" (1), "clear" (0), and "wait" as wait returns (1 if the
//     flag was set, 0 on timeout). Condition: "wait" as it returns, with
//     the lock held again (1 if notified, 0 on timeout), and "notify"
//     (notify_all too) with the number woken. Barrier: "wait" with the
//     index returned, "abort" and "reset" with 0. Queues: "put", "get" and
//     "task_done" with qsize() after the op.
//   - An operation that fails or is interrupted records nothing.
func (s *Scheduler) RecordOp(t *Thread, object, op string, value int) {
	if s.hook == nil || t == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook(Event{At: s.nowLocked(), Kind: EventOp, Thread: t.ID, Name: t.name, Reason: op, Pos: userPos(t.S), Object: object, Value: value})
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

func (s *Scheduler) armTimerLocked(t *Thread, d time.Duration) {
	if s.sim {
		// Deadlines round up to the timer tick, as an OS's timer slack does:
		// threads that slept the same time from nearly the same moment wake
		// together, and the seed decides their order (the lost update of the
		// course's lock example shows up this way).
		at := (s.vnow + d + simTimerTick - 1) / simTimerTick * simTimerTick
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

// chargeLocked advances the virtual clock by the steps t ran since it was
// last charged (sim mode; t is the holder).
func (s *Scheduler) chargeLocked(t *Thread) {
	if !s.sim {
		return
	}
	steps := t.S.ExecutionSteps()
	cost := simStepCost
	if len(s.runq) == 0 && s.vtimers.Len() > 0 {
		cost = simSpinStepCost
	}
	s.vnow += time.Duration(steps-t.chargedSteps) * cost
	t.chargedSteps = steps
	s.checkTimeLocked()
}

// checkTimeLocked stops a sim run whose virtual clock passed MaxTime.
func (s *Scheduler) checkTimeLocked() {
	if s.sim && s.maxTime > 0 && s.vnow > s.maxTime && s.stopReason == "" {
		s.stopLocked(fmt.Sprintf("time budget of %v (virtual) used up", s.maxTime))
	}
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

// fireDueLocked queues the threads whose virtual timers are due (sim mode).
func (s *Scheduler) fireDueLocked() {
	for s.vtimers.Len() > 0 && s.vtimers[0].at <= s.vnow {
		tm := heap.Pop(&s.vtimers).(vtimer)
		if tm.t.waitSeq == tm.waitSeq && s.finishWaitLocked(tm.t, errTimedOut) {
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

func (s *Scheduler) emitLocked(kind EventKind, t *Thread, reason string) {
	if s.hook == nil {
		return
	}
	s.hook(Event{At: s.nowLocked(), Kind: kind, Thread: t.ID, Name: t.name, Reason: reason, Pos: t.waitPos})
}

// userPos is the position of the innermost Starlark (not builtin) frame: the
// line of the learner's script that made the blocking call.
func userPos(st *starlark.Thread) syntax.Position {
	for d := 0; d < st.CallStackDepth(); d++ {
		fr := st.CallFrame(d)
		if fr.Pos.Filename() != "<builtin>" {
			return fr.Pos
		}
	}
	return syntax.Position{}
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
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(vtimer)) }
func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
