package interp

import (
	"fmt"
	"time"

	"go.starlark.net/starlark"
)

// Simulated processes (sim mode). A multiprocessing child of a sim run is
// not an OS process: it is one more interpreter of the script inside the
// same run, whose threads are scheduler threads like any other. Running
// every process on the one baton is what keeps the run replayable from a
// seed; what makes them processes is the clock.
//
// Each process has its own virtual clock. A step of one of its threads
// advances that clock only, so the threads of one process share its time
// (one GIL: 2 threads of CPU work take twice as long) while two processes
// advance side by side (2 processes take as long as one). With more active
// processes than the run's CPUs (SchedConfig.CPUs), each step costs
// active/CPUs times more: the processes share the cores. Clocks meet when
// processes meet: a thread woken by a thread of another process (a lock
// released, a queue fed, a child joined) moves its process's clock up to
// the waker's, and a timer moves it up to the timer's due time; the run's
// clock (s.vnow) is the furthest any process got. In a run without
// children the main process's clock is the run's clock, step for step.

// defaultCPUs is the size of the virtual machine when SchedConfig.CPUs is 0.
const defaultCPUs = 2

// Proc is a simulated process: the threads that share one GIL and one
// virtual clock. The run's main process is Scheduler.MainProc.
type Proc struct {
	name  string
	pid   int
	ppid  int
	clock time.Duration // guarded by the scheduler's mutex
	mark  uint64        // activeProcsLocked's visit mark, under the mutex
}

// Name returns the process's name ("MainProcess", "Process-1").
func (p *Proc) Name() string { return p.name }

// PID returns the process's virtual pid: deterministic, so that a sim run
// that prints os.getpid() or a Process's repr replays byte for byte.
func (p *Proc) PID() int { return p.pid }

// PPID returns the virtual pid of the process's parent (for the main
// process, a stand-in for the shell that started the run).
func (p *Proc) PPID() int { return p.ppid }

// SimMainPID is the virtual pid of a sim run's main process, and its
// trace's process track; children are numbered after it in the order
// they start.
const SimMainPID = 1000

// MainProc returns the run's main process.
func (s *Scheduler) MainProc() *Proc { return s.rootProc }

// NewProc makes a simulated process (sim mode), with the next virtual pid.
// Its first thread is started with SpawnProc.
func (s *Scheduler) NewProc(name string) *Proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nprocs++
	return &Proc{name: name, pid: SimMainPID + s.nprocs}
}

// Procs returns how many simulated processes the run has made so far
// (sim mode): what a confined run's process cap counts there.
func (s *Scheduler) Procs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nprocs
}

// CPUs returns the number of cores of the run's virtual machine.
func (s *Scheduler) CPUs() int { return s.cpus }

// Proc returns the process the thread belongs to.
func (t *Thread) Proc() *Proc { return t.proc }

// SpawnProc starts the main thread of proc, a new simulated process,
// running body; parent (the baton holder) is the thread that starts it.
// The new process's clock starts at the parent's. Otherwise it is Spawn:
// the thread is a main thread (threading.main_thread() in that process)
// and not a daemon, and joining it waits for the whole process.
func (s *Scheduler) SpawnProc(parent *Thread, proc *Proc, st *starlark.Thread, body func(t *Thread)) *Thread {
	s.mu.Lock()
	s.chargeLocked(parent)
	proc.clock = parent.proc.clock
	proc.ppid = parent.proc.pid
	s.mu.Unlock()
	return s.spawn(parent, st, "MainThread", false, proc, true, body)
}

// StopProc stops every thread of proc, as a signal ends an OS process
// (Process.terminate, Process.kill): parked ones wake with an error that
// unwinds them, a running one is cancelled at its next step.
func (s *Scheduler) StopProc(proc *Proc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.threads {
		if t.proc == proc {
			s.killLocked(t)
		}
	}
}

// StopProcThreads stops the threads of caller's process but caller (only
// the daemon ones if daemonsOnly): a child process's exit.
func (s *Scheduler) StopProcThreads(caller *Thread, daemonsOnly bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.threads {
		if t != caller && t.proc == caller.proc && (!daemonsOnly || t.daemon) {
			s.killLocked(t)
		}
	}
}

// activeProcsLocked counts the processes with a thread that holds the
// baton or waits for it: the processes that want a core now.
func (s *Scheduler) activeProcsLocked() int {
	s.markGen++
	n := 0
	visit := func(t *Thread) {
		if t != nil && t.proc.mark != s.markGen {
			t.proc.mark = s.markGen
			n++
		}
	}
	visit(s.holder)
	for _, t := range s.runq {
		visit(t)
	}
	return n
}

// syncClockLocked moves t's process clock up to at: t was woken by
// something that happened then (another process's thread, a timer).
func syncClockLocked(t *Thread, at time.Duration) {
	if t.proc.clock < at {
		t.proc.clock = at
	}
}

// qualName is a thread's name in a report: with its process's name when
// the run has simulated processes ("Process-1 MainThread").
func (s *Scheduler) qualName(t *Thread) string {
	if s.nprocs == 0 || t.proc == s.rootProc {
		return t.name
	}
	return fmt.Sprintf("%s %s", t.proc.name, t.name)
}

// WaitSignal parks t until ready() holds, for at most timeout (< 0: no
// limit; 0: just test), woken by Signal: a wait on state kept in Go (a
// pool's task list, an AsyncResult) in sim mode, where a thread must not
// block on a Go channel. reason names the wait in deadlock reports.
func (s *Scheduler) WaitSignal(t *Thread, timeout time.Duration, reason string, ready func() bool) (bool, error) {
	return s.WaitUntil(t, &s.signalQ, timeout, func() string { return reason }, ready)
}

// Signal wakes WaitSignal's waiters to test their conditions again: the
// baton holder calls it after changing the state they wait on.
func (s *Scheduler) Signal() { s.WakeAll(&s.signalQ) }
