package multiprocessing

import (
	"os"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// Processes in sim mode. A child is not an OS process but a simulated one
// (interp/proc.go): a fresh interpreter of the same script in the same run,
// loaded as __mp_main__ with its own globals and its own multiprocessing
// module, whose threads the run's scheduler runs like any other. Its
// arguments cross encoded, as they would to a real child, so what a child
// may receive, and the copies it gets, are the same as in real mode; the
// shared objects are the run's own (one registry for every process), and
// block their callers through the scheduler. So the run stays replayable
// from its seed, and a deadlock across processes is reported.

// startSim starts p as a simulated process. p.mu is not held: the child
// may run, and end, before this returns.
func (m *Module) startSim(th *starlark.Thread, p *Process) error {
	fn, err := topLevel(p.target)
	if err != nil {
		return err
	}
	payload, err := encodeValue(starlark.Tuple{p.args, p.kwargs}, m.refOf)
	if err != nil {
		return err
	}
	parent, err := pyarg.CurrentThread(th)
	if err != nil {
		return err
	}
	if err := m.takeSimProcess(); err != nil { // confine.go
		return err
	}
	c, err := m.compiledFor(fn)
	if err != nil {
		return err
	}
	ident := strings.TrimPrefix(p.name, "Process-")
	if ident == p.name {
		ident = itoa(m.count) // as startMessage does
	}
	p.mu.Lock()
	p.started = true
	p.done = make(chan struct{})
	p.mu.Unlock()
	m.mu.Lock()
	m.children[p] = true
	m.mu.Unlock()
	name, target := p.name, fn.Name()
	t, proc, err := m.spawnSim(parent, c, name, ident, p.daemon, func(cm *Module, st *starlark.Thread) error {
		return cm.callTarget(st, target, payload)
	}, func(code int) {
		p.mu.Lock()
		if p.signalled != 0 {
			code = p.signalled
		}
		p.exitcode = code
		p.mu.Unlock()
		close(p.done)
	}, func(proc *interp.Proc) {
		p.mu.Lock()
		p.pid, p.sproc = proc.PID(), proc
		p.mu.Unlock()
	})
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.thread, p.sproc = t, proc
	p.mu.Unlock()
	return nil
}

// compiledFor returns the compiled script that defines fn: the run's main
// module, or its file compiled again.
func (m *Module) compiledFor(fn *starlark.Function) (*interp.Compiled, error) {
	c := m.it.MainCompiled()
	file := fn.Position().Filename()
	if c != nil && c.Filename() == file {
		return c, nil
	}
	src, err := os.ReadFile(file)
	if err != nil { // a function typed at the prompt
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: a child loads its target from the script's file, and %s() was not defined in one (%s): run a script with `starlab run FILE`", fn.Name(), file)
	}
	c, err = m.it.Compile(file, src)
	if err != nil {
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: %s", m.it.CompileErrorText(err))
	}
	return c, nil
}

// spawnSim starts a simulated process named name that loads c as
// __mp_main__ and then runs body with its own multiprocessing module (an
// exception that escapes body is printed under "Process NAME:"). made
// gets the process before it runs; done its exit status, before its
// joiners wake.
func (m *Module) spawnSim(parent *interp.Thread, c *interp.Compiled, name, ident string, daemon bool,
	body func(cm *Module, st *starlark.Thread) error, done func(code int), made func(*interp.Proc)) (*interp.Thread, *interp.Proc, error) {
	child := m.it.NewProcess()
	cm := stateOf(child.Predeclared("multiprocessing"))
	if cm == nil {
		return nil, nil, interp.Errorf(interp.RuntimeError, "multiprocessing: the child has no multiprocessing module")
	}
	proc := m.it.Sched().NewProc(name)
	cm.reg = m.reg
	cm.bootstrapping = true
	cm.identity = ident
	cm.script = m.script
	cm.self = &Process{m: cm, name: name, pid: proc.PID(), started: true, isSelf: true, daemon: daemon}
	cm.parent = &Process{m: cm, name: m.self.name, pid: m.self.pid, started: true, isSelf: true}
	made(proc)
	t := child.StartProcess(parent, proc, c, func(st *starlark.Thread) error {
		return cm.runChild(name, func() error { return body(cm, st) })
	}, done)
	return t, proc, nil
}

func itoa(n int) string { return starlark.MakeInt(n).String() }

// joinSim is join(timeout) in sim mode: a scheduler wait for the child's
// main thread, which ends when the whole process has.
func (p *Process) joinSim(th *starlark.Thread, d time.Duration) error {
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return err
	}
	p.mu.Lock()
	child := p.thread
	p.mu.Unlock()
	return t.Sched().JoinAs(t, child, "Process.join", d)
}

// atExitSim is multiprocessing's exit handler in sim mode, on the exiting
// process's main thread: daemon children are terminated, the others joined,
// as CPython's _exit_function does.
func (m *Module) atExitSim(main *interp.Thread) {
	m.mu.Lock()
	var all []*Process
	for p := range m.children {
		all = append(all, p)
	}
	m.mu.Unlock()
	sortBySeq(all)
	for _, p := range all {
		if p.daemon {
			p.signal(sigTerm)
		}
	}
	for _, p := range all {
		p.mu.Lock()
		child := p.thread
		p.mu.Unlock()
		if child != nil && main.Sched().Join(main, child, -1) != nil {
			return // stopped: everything is
		}
	}
}
