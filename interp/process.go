package interp

import "go.starlark.net/starlark"

// The interpreter's side of simulated processes (sim mode, see proc.go):
// a multiprocessing child is a second Interp of the same run, with its own
// modules and globals (the script runs again as __mp_main__), that shares
// the run's scheduler, stdio and budgets.

// NewProcess returns a fresh interpreter for a simulated child process of
// this run: the same options and scheduler, the same stdout and stderr,
// its own predeclared modules (built anew by Options.Predeclared, so the
// child's multiprocessing module knows it is a child) and its own globals.
// __name__ is "__mp_main__" in it. Start it with StartProcess.
func (it *Interp) NewProcess() *Interp {
	child := &Interp{
		opts:      it.opts,
		sched:     it.sched,
		out:       it.out,
		errw:      it.errw,
		stdin:     it.stdin,
		sources:   make(map[string][]string),
		modules:   make(map[string]*loadEntry),
		resources: make(map[*resource]struct{}),
	}
	child.opts.ModuleName = "__mp_main__"
	child.initPredeclared()
	return child
}

// Predeclared returns the global name of the interpreter's predeclared
// environment (a module, a builtin), or nil.
func (it *Interp) Predeclared(name string) starlark.Value { return it.predeclared[name] }

// MainCompiled returns the main module this interpreter runs (nil before
// RunCompiled, and in a REPL session): what a simulated child runs again.
func (it *Interp) MainCompiled() *Compiled {
	it.mu.Lock()
	defer it.mu.Unlock()
	return it.main
}

// Filename returns the file the compiled script came from.
func (c *Compiled) Filename() string { return c.filename }

// AtExit registers fn to run at the interpreter's exit, on its main thread
// (holding the baton) once the non-daemon threads have ended: Python's
// atexit, where multiprocessing joins its children.
func (it *Interp) AtExit(fn func(main *Thread)) {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.atExit = append(it.atExit, fn)
}

func (it *Interp) runAtExit(main *Thread) {
	it.mu.Lock()
	hooks := it.atExit
	it.atExit = nil
	it.mu.Unlock()
	for i := len(hooks) - 1; i >= 0; i-- { // last registered runs first, as atexit
		hooks[i](main)
	}
}

// StartProcess runs c as the main module of it (made by NewProcess) on the
// main thread of proc, a new simulated process that parent starts; then
// after (the process's target) on the same thread, if the module ran
// without error. The process exits as a script does: its non-daemon
// threads are joined, AtExit's hooks run, its daemon threads stop. done
// gets the exit status (0, 1 after an uncaught exception, sys.exit's,
// ExitDeadlock if the scheduler stopped it) before the process's joiners
// wake. The returned thread ends when the process has ended.
func (it *Interp) StartProcess(parent *Thread, proc *Proc, c *Compiled, after func(st *starlark.Thread) error, done func(code int)) *Thread {
	it.mu.Lock()
	it.sources[c.filename] = c.lines
	it.main = c
	it.mu.Unlock()
	st := it.newStarlarkThread("MainThread")
	return it.sched.SpawnProc(parent, proc, st, func(t *Thread) {
		err := safely(func() error { return it.initMain(st, c, after) })
		code := it.exitStatus(t, err)
		it.procShutdown(t)
		done(code)
	})
}

// procShutdown is a child process's interpreter exit: shutdown, for the
// threads of main's process only, and without ending main (its caller
// does, when it returns).
func (it *Interp) procShutdown(main *Thread) {
	stopAll := false
	for {
		var next *Thread
		for _, t := range it.sched.Threads() { // main holds the baton: its process's threads
			if t != main && !t.Daemon() {
				next = t
				break
			}
		}
		if next == nil {
			break
		}
		if err := it.sched.Join(main, next, -1); err != nil {
			stopAll = true // stopped (terminate, a deadlock): nobody is left to wait for
			break
		}
	}
	it.runAtExit(main)
	it.sched.StopProcThreads(main, !stopAll)
	for _, t := range it.sched.Threads() {
		if t != main && it.sched.Join(main, t, -1) != nil {
			break
		}
	}
	it.closeResources()
}
