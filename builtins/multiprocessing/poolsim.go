package multiprocessing

import (
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// Pool in sim mode: each worker is a simulated process (sim.go) that loads
// the script and then runs the task loop on its main thread; tasks and
// outcomes are Go lists that every thread touches only while it holds the
// baton, and the threads wait on them through the scheduler (WaitSignal),
// so the run replays from its seed. The parent's result-handler thread
// delivers the outcomes and runs the callbacks, as in real mode.

// startWorkerSim starts one worker process.
func (p *Pool) startWorkerSim(name string) error {
	parent := p.m.it.Sched().Holder()
	if parent == nil {
		return interp.Errorf(interp.RuntimeError, "multiprocessing: no running thread")
	}
	c := p.m.it.MainCompiled()
	if c == nil {
		return interp.Errorf(interp.RuntimeError, "multiprocessing: a Pool needs the script's file")
	}
	if err := p.m.takeSimProcess(); err != nil { // the process cap (confine.go)
		return err
	}
	t, _, err := p.m.spawnSim(parent, c, name, p.m.identity, true, func(cm *Module, st *starlark.Thread) error {
		return p.workSim(cm, st)
	}, func(int) {}, func(*interp.Proc) {})
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.simWorkers = append(p.simWorkers, t)
	p.mu.Unlock()
	return nil
}

// workSim is a worker's loop: the initializer, then tasks until the pool
// is closed and drained, or terminated.
func (p *Pool) workSim(cm *Module, st *starlark.Thread) error {
	globals := cm.it.Globals()
	if err := cm.runInitializer(st, p.init, globals); err != nil {
		return err
	}
	t, err := pyarg.CurrentThread(st)
	if err != nil {
		return err
	}
	for {
		if _, err := t.Sched().WaitSignal(t, -1, "Pool worker: next task", func() bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			return len(p.queue) > 0 || p.state != "RUN"
		}); err != nil {
			return err
		}
		p.mu.Lock()
		if len(p.queue) == 0 || p.state == "TERMINATE" {
			p.mu.Unlock()
			return nil
		}
		tk := p.queue[0]
		p.queue = p.queue[1:]
		p.mu.Unlock()
		reply, exit := cm.runTask(st, tk.payload, globals)
		p.mu.Lock()
		killed := p.state == "TERMINATE"
		p.mu.Unlock()
		if killed { // terminated while it ran: a killed worker reports nothing, no callback runs (CPython)
			return nil
		}
		o := outcome{task: tk}
		if exit == nil {
			o = p.m.decodeOutcome(tk, reply)
		} else { // sys.exit in a task ends the worker, as in CPython; a new one takes its place
			o.exc = interp.NewException(interp.RuntimeError, starlark.String("multiprocessing: a pool worker died while running the task"))
		}
		p.mu.Lock()
		p.outcomes = append(p.outcomes, o)
		running := p.state != "TERMINATE"
		p.mu.Unlock()
		t.Sched().Signal()
		if exit != nil {
			if running {
				p.startWorker()
			}
			return exit
		}
	}
}

// handleResultsSim is the result-handler thread in sim mode.
func (p *Pool) handleResultsSim(t *interp.Thread) error {
	s := t.Sched()
	for {
		if _, err := s.WaitSignal(t, -1, "Pool result handler", func() bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			return len(p.outcomes) > 0
		}); err != nil {
			return err
		}
		p.mu.Lock()
		o := p.outcomes[0]
		p.outcomes = p.outcomes[1:]
		p.mu.Unlock()
		o.task.result.deliver(t.S, o)
		p.mu.Lock()
		p.pending--
		if p.pending == 0 && p.state != "RUN" {
			p.idleNow.Do(func() { close(p.idle) })
		}
		p.mu.Unlock()
		s.Signal()
	}
}

// joinWorkersSim waits for every worker process to end.
func (p *Pool) joinWorkersSim(th *starlark.Thread) error {
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return err
	}
	for {
		next := p.liveSimWorker()
		if next == nil {
			return nil
		}
		if err := t.Sched().JoinAs(t, next, "Pool.join", -1); err != nil {
			return err
		}
	}
}

// exitSim ends the pool at the interpreter's exit, as the pool's finalizer
// does in CPython: the workers are terminated.
func (p *Pool) exitSim(main *interp.Thread) {
	p.terminate()
	for {
		next := p.liveSimWorker()
		if next == nil || main.Sched().Join(main, next, -1) != nil {
			return
		}
	}
}

// liveSimWorker returns a worker process's main thread that has not ended
// yet, or nil when all have.
func (p *Pool) liveSimWorker() *interp.Thread {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.simWorkers {
		if w.Alive() {
			return w
		}
	}
	return nil
}
