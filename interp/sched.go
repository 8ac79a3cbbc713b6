package interp

import (
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"github.com/starlab-dev/starlab/interp/trace"
	"go.starlark.net/starlark"
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
	// Recorder, if set, receives every event of the run (see package
	// trace). It is called with the scheduler's mutex held: it must be quick
	// and must not call back.
	Recorder trace.Recorder
	// CPUs is the number of cores of sim mode's virtual machine, on which
	// simulated processes run side by side (proc.go). Zero means 2.
	CPUs int
}

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
	recorder    trace.Recorder
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
	rootProc    *Proc     // the main process (proc.go)
	nprocs      int       // simulated processes made (proc.go)
	markGen     uint64    // activeProcsLocked's visit mark
	cpus        int       // sim mode's virtual cores
	signalQ     WaitQueue // WaitSignal's waiters (proc.go)
}

// NewScheduler returns a scheduler with no threads yet.
func NewScheduler(cfg SchedConfig) *Scheduler {
	s := &Scheduler{
		start:       time.Now(),
		sim:         cfg.Sim,
		seed:        cfg.Seed,
		rng:         rand.New(rand.NewSource(cfg.Seed)),
		recorder:    cfg.Recorder,
		interactive: cfg.Interactive,
		maxSteps:    cfg.MaxSteps,
		maxTime:     cfg.MaxTime,
		rootProc:    &Proc{name: "MainProcess", pid: SimMainPID, ppid: SimMainPID - 1},
		cpus:        cfg.CPUs,
	}
	if s.cpus <= 0 {
		s.cpus = defaultCPUs
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

// Threads returns the live threads in start order (threading.enumerate):
// those of the baton holder's process, when the run has simulated
// processes (each process sees only its own threads, as in Python).
func (s *Scheduler) Threads() []*Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nprocs == 0 || s.holder == nil {
		return append([]*Thread(nil), s.threads...)
	}
	var out []*Thread
	for _, t := range s.threads {
		if t.proc == s.holder.proc {
			out = append(out, t)
		}
	}
	return out
}

// allThreads returns the live threads of every process.
func (s *Scheduler) allThreads() []*Thread {
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

func (s *Scheduler) newThread(st *starlark.Thread, name string, daemon, main bool, proc *Proc) *Thread {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	t := &Thread{
		sched:  s,
		ID:     id,
		S:      st,
		main:   main,
		proc:   proc,
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
	t := s.newThread(st, "MainThread", false, true, s.rootProc)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.main = t
	s.startMemWatch()
	s.threads = append(s.threads, t)
	s.emitLocked(trace.Start, t, "")
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
	return s.spawn(parent, st, name, daemon, parent.proc, false, body)
}

// spawn is Spawn into a given process; main marks a process's main thread.
func (s *Scheduler) spawn(parent *Thread, st *starlark.Thread, name string, daemon bool, proc *Proc, main bool, body func(t *Thread)) *Thread {
	t := s.newThread(st, name, daemon, main, proc)
	s.goRun(func() {
		<-t.wake
		body(t)
		s.exit(t)
	})
	s.mu.Lock()
	s.threads = append(s.threads, t)
	s.emitLocked(trace.Start, t, "")
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

// exit ends t: it leaves the registry, its joiners wake, the baton moves on.
func (s *Scheduler) exit(t *Thread) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holder == t && s.nprocs > 0 {
		// Its joiners in other processes move their clocks up to its
		// end (proc.go). Only then: charging before the joiners queue
		// could take the step cost of a lone spinner.
		s.chargeLocked(t)
	}
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
	s.emitLocked(trace.End, t, "")
	if s.holder == t {
		s.dispatchLocked()
	}
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
	if prev := s.holder; prev != nil && prev != t && prev.proc != t.proc {
		// prev stays runnable; t's Run is on another process's clock,
		// so prev's turn ends on a Yield on its own (trace.Yield).
		s.emitLocked(trace.Yield, prev, "")
	}
	s.holder = t
	t.state = stateRunning
	t.sliceStart = time.Time{} // set by the first check that sees a waiter
	s.emitLocked(trace.Run, t, "")
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

// Holder returns the thread holding the baton. Called from Go code that
// Starlark code called, that is the caller: for values whose Attr is not
// given the calling thread (threading.local).
func (s *Scheduler) Holder() *Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holder
}
