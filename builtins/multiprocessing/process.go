package multiprocessing

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

const (
	sigTerm = syscall.SIGTERM
	sigKill = syscall.SIGKILL
)

// Process is multiprocessing.Process: a real OS process running a
// top-level function of the script (see worker.go for the child's side).
type Process struct {
	m      *Module
	name   string
	seq    int
	target starlark.Value
	args   starlark.Tuple
	kwargs *starlark.Dict
	daemon bool
	isSelf bool // current_process() or parent_process(), not a child

	mu       sync.Mutex
	pid      int
	started  bool
	closed   bool
	cmd      *exec.Cmd
	done     chan struct{} // closed when the child has been reaped
	exitcode int

	// Sim mode (sim.go): the simulated process, its main thread, and the
	// exit code a terminate or kill gave it (0: none).
	sproc     *interp.Proc
	thread    *interp.Thread
	signalled int
}

func (m *Module) newProcess(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var group, target, name, pargs, pkwargs, daemon starlark.Value = starlark.None, starlark.None, starlark.None, starlark.Tuple(nil), starlark.None, starlark.None
	if err := starlark.UnpackArgs("Process", args, kwargs, "group?", &group, "target?", &target, "name?", &name, "args?", &pargs, "kwargs?", &pkwargs, "daemon?", &daemon); err != nil {
		return nil, err
	}
	if group != starlark.None {
		return nil, interp.Errorf(interp.AssertionError, "group argument must be None for now")
	}
	p := &Process{m: m, target: target, kwargs: starlark.NewDict(0)}
	p.name, p.seq = m.nextName()
	if s, ok := name.(starlark.String); ok {
		p.name = string(s)
	} else if name != starlark.None {
		return nil, interp.Errorf(interp.TypeError, "name must be a string")
	}
	seq, ok := pargs.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "Process() argument after * must be an iterable, not %s", pargs.Type())
	}
	it := seq.Iterate()
	var x starlark.Value
	for it.Next(&x) {
		p.args = append(p.args, x)
	}
	it.Done()
	if d, ok := pkwargs.(*starlark.Dict); ok {
		p.kwargs = d
	} else if pkwargs != starlark.None {
		return nil, interp.Errorf(interp.TypeError, "Process() argument after ** must be a mapping, not %s", pkwargs.Type())
	}
	if daemon != starlark.None {
		p.daemon = bool(daemon.Truth())
	} else {
		p.daemon = m.self.daemon
	}
	return p, nil
}

func (p *Process) Type() string          { return "Process" }
func (p *Process) Freeze()               {}
func (p *Process) Truth() starlark.Bool  { return true }
func (p *Process) Hash() (uint32, error) { return interp.IdentityHash(p), nil }

// String is CPython's repr: <Process name='Process-1' pid=42 parent=41 started daemon>.
func (p *Process) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	kind := "Process"
	if p.isSelf && p.m.self == p && p.m.parent == nil {
		kind = "_MainProcess"
	} else if p.isSelf && p.m.parent == p {
		kind = "_ParentProcess"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "<%s name='%s'", kind, p.name)
	if p.started && !p.isSelf {
		fmt.Fprintf(&b, " pid=%d", p.pid)
	}
	if p.m.self == p && p.m.parent == nil || p.m.parent == p {
		b.WriteString(" parent=None")
	} else {
		fmt.Fprintf(&b, " parent=%d", p.m.self.pid)
	}
	switch {
	case p.closed:
		b.WriteString(" closed")
	case !p.started:
		b.WriteString(" initial")
	case p.isSelf:
		b.WriteString(" started")
	case p.exitedLocked():
		fmt.Fprintf(&b, " stopped exitcode=%d", p.exitcode)
	default:
		b.WriteString(" started")
	}
	if p.daemon {
		b.WriteString(" daemon")
	}
	b.WriteString(">")
	return b.String()
}

var processMethods = []string{"close", "is_alive", "join", "kill", "run", "start", "terminate"}

func (p *Process) AttrNames() []string {
	return append([]string{"daemon", "exitcode", "ident", "name", "pid"}, processMethods...)
}

func (p *Process) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(p.name), nil
	case "daemon":
		return starlark.Bool(p.daemon), nil
	case "pid", "ident":
		p.mu.Lock()
		defer p.mu.Unlock()
		if err := p.checkClosedLocked(); err != nil {
			return nil, err
		}
		if !p.started {
			return starlark.None, nil
		}
		return starlark.MakeInt(p.pid), nil
	case "exitcode":
		p.mu.Lock()
		defer p.mu.Unlock()
		if err := p.checkClosedLocked(); err != nil {
			return nil, err
		}
		if p.isSelf || !p.exitedLocked() {
			return starlark.None, nil
		}
		return starlark.MakeInt(p.exitcode), nil
	}
	fns := map[string]func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) (starlark.Value, error){
		"start": p.start, "join": p.join, "is_alive": p.isAlive, "terminate": p.signalMethod("terminate", sigTerm),
		"kill": p.signalMethod("kill", sigKill), "close": p.close, "run": p.run,
	}
	f, ok := fns[name]
	if !ok {
		return nil, nil
	}
	return starlark.NewBuiltin(name, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return f(th, args, kwargs)
	}), nil
}

// SetField sets name and daemon, as CPython allows (daemon only before start).
func (p *Process) SetField(name string, v starlark.Value) error {
	switch name {
	case "name":
		s, ok := v.(starlark.String)
		if !ok {
			return interp.Errorf(interp.TypeError, "name must be a string")
		}
		p.name = string(s)
		return nil
	case "daemon":
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.started {
			return interp.Errorf(interp.AssertionError, "process has already started")
		}
		p.daemon = bool(v.Truth())
		return nil
	}
	return interp.Errorf(interp.AttributeError, "'Process' object attribute '%s' is read-only", name)
}

func (p *Process) checkClosedLocked() error {
	if p.closed {
		return interp.Errorf(interp.ValueError, "process object is closed")
	}
	return nil
}

func (p *Process) exitedLocked() bool {
	if p.done == nil {
		return false
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *Process) exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exitedLocked()
}

// run is Process.run(): the target, called in this process.
func (p *Process) run(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("run", args, kwargs); err != nil {
		return nil, err
	}
	if p.target == starlark.None || p.target == nil {
		return starlark.None, nil
	}
	return starlark.Call(th, p.target, p.args, p.kwargs.Items())
}

func (p *Process) start(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("start", args, kwargs); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkClosedLocked(); err != nil {
		return nil, err
	}
	switch {
	case p.isSelf || p.started:
		return nil, interp.Errorf(interp.AssertionError, "cannot start a process twice")
	case p.m.self.daemon:
		return nil, interp.Errorf(interp.AssertionError, "daemonic processes are not allowed to have children")
	}
	if p.m.bootstrapping {
		return nil, interp.Errorf(interp.RuntimeError, "%s", bootstrapMsg)
	}
	if p.m.it.Sched().Sim() {
		p.mu.Unlock() // the child may run, and end, before start returns
		err := p.m.startSim(th, p)
		p.mu.Lock()
		if err != nil {
			return nil, err
		}
		if t, err := pyarg.CurrentThread(th); err == nil { // as for a real child, below
			t.Sched().RecordOp(t, p.name, trace.StartOp, 1)
		}
		return starlark.None, nil
	}
	msg, err := p.m.startMessage(th, p.name, p.daemon, p.target, p.args, p.kwargs)
	if err != nil {
		return nil, err
	}
	cmd, conn, err := p.m.spawn(msg)
	if err != nil {
		return nil, err
	}
	conn.Close()
	p.cmd, p.pid, p.started = cmd, cmd.Process.Pid, true
	// The parent's threads are traced, not the child: the grader sees when
	// each process started, and with its join when it was over.
	if t, err := pyarg.CurrentThread(th); err == nil {
		t.Sched().RecordOp(t, p.name, trace.StartOp, 1)
	}
	p.done = make(chan struct{})
	p.m.mu.Lock()
	p.m.children[p] = true
	p.m.mu.Unlock()
	go func() {
		code := waitExit(cmd)
		p.mu.Lock()
		p.exitcode = code
		p.mu.Unlock()
		close(p.done)
	}()
	return starlark.None, nil
}

// waitExit reaps cmd and returns its exit code: a negative signal number
// when a signal killed it, as Popen.returncode.
func waitExit(cmd *exec.Cmd) int {
	cmd.Wait()
	cmd.Stdout.(*lineWriter).flush()
	cmd.Stderr.(*lineWriter).flush()
	st := cmd.ProcessState
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal())
	}
	return st.ExitCode()
}

const bootstrapMsg = `
        An attempt has been made to start a new process before the
        current process has finished its bootstrapping phase.

        This probably means that you are not using fork to start your
        child processes and you have forgotten to use the proper idiom
        in the main module:

            if __name__ == '__main__':
                freeze_support()
                ...

        The "freeze_support()" line can be omitted if the program
        is not going to be frozen to produce an executable.`

// spawn starts the starlab binary as a worker and sends it msg over a
// socket pair; it returns the parent's end of the pair.
func (m *Module) spawn(msg []byte) (*exec.Cmd, *os.File, error) {
	confined, err := m.tree() // a confined run's children are confined too (confine.go)
	if err == nil {
		err = confined.takeProcess(m.it)
	}
	if err != nil {
		return nil, nil, err
	}
	out, errw := newLineWriter(m.it.Stdout()), newLineWriter(m.it.Stderr())
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, interp.Errorf(interp.OSError, "multiprocessing: can't find the starlab binary: %v", err)
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, oserr.FromGo(err, "")
	}
	parentEnd := os.NewFile(uintptr(fds[0]), "mp-parent")
	childEnd := os.NewFile(uintptr(fds[1]), "mp-child")
	defer childEnd.Close()
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Env = append(cmd.Env, m.traceEnvOf()...)
	cmd.ExtraFiles = []*os.File{childEnd}
	if err := confined.prepare(cmd); err != nil {
		parentEnd.Close()
		return nil, nil, interp.Errorf(interp.OSError, "multiprocessing: %v", err)
	}
	cmd.Stdout, cmd.Stderr = out, errw
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		parentEnd.Close()
		return nil, nil, interp.Errorf(interp.OSError, "multiprocessing: can't start a process: %v", err)
	}
	if err := writeFrame(parentEnd, msg); err != nil {
		parentEnd.Close()
		cmd.Process.Kill()
		go cmd.Wait()
		return nil, nil, interp.Errorf(interp.OSError, "multiprocessing: can't talk to the new process: %v", err)
	}
	return cmd, parentEnd, nil
}

func (p *Process) join(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("join", args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := waitTimeout(timeout)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	if err := p.checkClosedLocked(); err != nil {
		p.mu.Unlock()
		return nil, err
	}
	if p.isSelf {
		p.mu.Unlock()
		return nil, interp.Errorf(interp.AssertionError, "can only join a child process")
	}
	if !p.started {
		p.mu.Unlock()
		return nil, interp.Errorf(interp.AssertionError, "can only join a started process")
	}
	done := p.done
	p.mu.Unlock()
	var ended bool
	if p.thread != nil { // sim mode: wait for the process's main thread
		if err := p.joinSim(th, d); err != nil {
			return nil, err
		}
		ended = !p.thread.Alive()
	} else {
		if err := waitDone(th, "Process.join", done, d); err != nil {
			return nil, err
		}
		select {
		case <-done:
			ended = true
		default:
		}
	}
	// As Thread.join records it, in both modes: the grader sees which
	// processes the parent joined, even one that had already ended (value 1).
	if t, err := pyarg.CurrentThread(th); err == nil {
		t.Sched().RecordOp(t, p.name, trace.Join, boolInt(ended))
	}
	return starlark.None, nil
}

// boolInt is an op event's value for a yes/no outcome.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// waitDone waits for done, at most d (d < 0: no limit), without the baton.
func waitDone(th *starlark.Thread, reason string, done <-chan struct{}, d time.Duration) error {
	select {
	case <-done:
		return nil
	default:
	}
	if d == 0 {
		return nil
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return err
	}
	if s := t.Sched(); s.Sim() {
		// Closed by a thread of this run, which then calls Signal.
		_, err := s.WaitSignal(t, d, reason, func() bool {
			select {
			case <-done:
				return true
			default:
				return false
			}
		})
		return err
	}
	var timer <-chan time.Time
	if d > 0 {
		tm := time.NewTimer(d)
		defer tm.Stop()
		timer = tm.C
	}
	return t.Sched().External(t, reason, func(cancel <-chan struct{}) error {
		select {
		case <-done:
		case <-cancel:
		case <-timer:
		}
		return nil
	})
}

func (p *Process) isAlive(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("is_alive", args, kwargs); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkClosedLocked(); err != nil {
		return nil, err
	}
	if p.isSelf {
		return starlark.True, nil
	}
	return starlark.Bool(p.started && !p.exitedLocked()), nil
}

func (p *Process) signalMethod(name string, sig syscall.Signal) func(*starlark.Thread, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := noArgs(name, args, kwargs); err != nil {
			return nil, err
		}
		p.mu.Lock()
		err := p.checkClosedLocked()
		p.mu.Unlock()
		if err != nil {
			return nil, err
		}
		p.signal(sig)
		return starlark.None, nil
	}
}

// signal sends sig to a running child (none: nothing, as CPython).
func (p *Process) signal(sig syscall.Signal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sproc != nil && !p.exitedLocked() {
		if p.signalled == 0 {
			p.signalled = -int(sig)
		}
		p.m.it.Sched().StopProc(p.sproc)
	}
	if p.cmd != nil && !p.exitedLocked() {
		p.cmd.Process.Signal(sig)
	}
}

func (p *Process) close(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs("close", args, kwargs); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started && !p.isSelf && !p.exitedLocked() {
		return nil, interp.Errorf(interp.ValueError, "Cannot close a process while it is still running. You should first call join() or terminate().")
	}
	p.closed = true
	return starlark.None, nil
}

// lineWriter passes whole lines to w, so that a child's line is never
// torn by another's output; the rest waits for its newline or Close, or
// is passed on once it is lineMax bytes long (a child printing without
// newlines must not fill the parent's memory).
type lineWriter struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

const lineMax = 64 << 10

func newLineWriter(w io.Writer) *lineWriter { return &lineWriter{w: w} }

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if i := bytes.LastIndexByte(l.buf, '\n'); i >= 0 {
		l.w.Write(l.buf[:i+1])
		l.buf = append(l.buf[:0], l.buf[i+1:]...)
	}
	if len(l.buf) >= lineMax {
		l.w.Write(l.buf)
		l.buf = l.buf[:0]
	}
	return len(p), nil
}

// flush writes what is left after the last newline.
func (l *lineWriter) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) > 0 {
		l.w.Write(l.buf)
		l.buf = nil
	}
}
