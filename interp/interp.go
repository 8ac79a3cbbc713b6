// Package interp runs Starlark scripts the way CPython runs Python ones:
// threads that take turns holding one baton (the GIL, see Scheduler), Python
// exceptions with tracebacks, a main module whose end waits for the
// non-daemon threads, and a deadlock report where CPython would hang.
//
// The dialect is Python's where go.starlark.net's public extension points
// allow it (dialect.go): imports and f-strings, printf-style and
// str.format formatting, type() classes, every built-in exception class,
// and a SyntaxError that names the stand-in for the Python statements
// Starlark lacks.
//
// The modules a script sees (threading, time, ...) are not built here: the
// caller passes them in Options.Predeclared, so that package builtins can
// depend on this one.
package interp

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// FileOptions is the dialect: everything on, since the course's examples use
// while loops, top-level control flow, global reassignment and recursion.
func FileOptions() *syntax.FileOptions {
	return &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}
}

// Options configures one run.
type Options struct {
	// Confine, if not nil, is what the run may touch (confine.go).
	Confine        *Confinement
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Argv           []string // sys.argv
	Sched          SchedConfig
	// ModuleName is __name__ of the main module: "__main__" unless this is a
	// multiprocessing child ("__mp_main__").
	ModuleName string
	// Predeclared returns the globals every module sees on top of the core
	// ones (print, input, str, repr): the exception builtins and the modules.
	Predeclared func(it *Interp) starlark.StringDict
}

// Interp is one run of a script: its scheduler, its stdio and its modules.
type Interp struct {
	opts        Options
	sched       *Scheduler
	predeclared starlark.StringDict
	out         *lockedWriter
	errw        *lockedWriter
	stdin       *lineReader

	mu        sync.Mutex
	sources   map[string][]string // file name → lines, for tracebacks
	modules   map[string]*loadEntry
	resources map[*resource]struct{} // open sockets, child processes, ...
	globals   starlark.StringDict    // the main module's, once it ran
	main      *Compiled              // the main module, once RunCompiled started it
	atExit    []func(main *Thread)   // AtExit's hooks

	threadsStarted atomic.Int64 // for Confinement.MaxThreads (confine.go)
}

// resource is something a run must close when it ends.
type resource struct{ close func() }

type loadEntry struct {
	globals starlark.StringDict
	err     error
	loading bool
}

// New prepares a run. Nothing runs until Run or RunFile.
func New(opts Options) *Interp {
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.ModuleName == "" {
		opts.ModuleName = "__main__"
	}
	it := &Interp{
		opts:      opts,
		sched:     NewScheduler(opts.Sched),
		out:       &lockedWriter{w: opts.Stdout},
		errw:      &lockedWriter{w: opts.Stderr},
		sources:   make(map[string][]string),
		modules:   make(map[string]*loadEntry),
		resources: make(map[*resource]struct{}),
	}
	it.stdin = newLineReader(opts.Stdin)
	it.initPredeclared()
	return it
}

// initPredeclared builds the globals every module of this interpreter sees.
func (it *Interp) initPredeclared() {
	it.predeclared = it.coreBuiltins()
	if it.opts.Predeclared != nil {
		for k, v := range it.opts.Predeclared(it) {
			it.predeclared[k] = v
		}
	}
	it.wrapSizedBuiltins(it.predeclared) // limits.go: sizes checked, loops stoppable
	it.guardBuiltins(it.predeclared)     // guard.go: no fatal error from * and formatting
}

// Sched returns the run's scheduler.
func (it *Interp) Sched() *Scheduler { return it.sched }

// Argv returns sys.argv.
func (it *Interp) Argv() []string { return it.opts.Argv }

// Stdout and Stderr are the run's output streams; a write is never
// interleaved with another.
func (it *Interp) Stdout() io.Writer { return it.out }
func (it *Interp) Stderr() io.Writer { return it.errw }

// Interrupt raises KeyboardInterrupt in the main thread (Ctrl-C).
func (it *Interp) Interrupt() { it.sched.Interrupt() }

// RunFile runs the script at path and returns the process exit status.
func (it *Interp) RunFile(path string) int {
	src, err := readSource(path) // source.go: bounded, never blocks
	if err != nil {
		fmt.Fprintf(it.errw, "starlab: can't open file %s: %v\n", path, errors.Unwrap(err))
		return ExitUsage
	}
	return it.Run(path, src)
}

// Run runs src as the main module and returns the exit status: 0; 1 for an
// uncaught exception or a syntax error; 3 for a deadlock; 130 for an uncaught
// KeyboardInterrupt; n for sys.exit(n).
func (it *Interp) Run(filename string, src []byte) int {
	c, err := it.Compile(filename, src)
	if err != nil {
		it.stdin.close()
		it.printCompileError(err)
		return ExitException
	}
	return it.RunCompiled(c)
}

// Compiled is a script parsed and resolved once, to run many times (a
// grader's seed sweep), each run with its own Interp. Runs may share it
// across goroutines: a compiled program holds no values.
type Compiled struct {
	filename string
	lines    []string
	prog     *starlark.Program
}

// Compile parses and resolves src against this run's predeclared names
// (the same for every Interp with the same Options.Predeclared).
func (it *Interp) Compile(filename string, src []byte) (*Compiled, error) {
	prog, err := it.compile(filename, src, it.opts.ModuleName)
	if err != nil {
		return nil, err
	}
	it.mu.Lock()
	lines := it.sources[filename]
	it.mu.Unlock()
	return &Compiled{filename: filename, lines: lines, prog: prog}, nil
}

// CompileErrorText formats a Compile error as the run would print it.
func (it *Interp) CompileErrorText(err error) string {
	var b strings.Builder
	it.formatCompileError(&b, err)
	return b.String()
}

// Globals returns the main module's globals after RunCompiled (nil before):
// what a grader inspects once the run is over.
func (it *Interp) Globals() starlark.StringDict {
	it.mu.Lock()
	defer it.mu.Unlock()
	return it.globals
}

// RunCompiled runs c as the main module; see Run.
func (it *Interp) RunCompiled(c *Compiled) int { return it.RunCompiledThen(c, nil) }

// RunCompiledThen runs c as the main module and then, if the module ran
// without error, after on the same main thread: a grader's module defines
// its checks, and after calls them.
func (it *Interp) RunCompiledThen(c *Compiled, after func(st *starlark.Thread) error) int {
	defer it.stdin.close()
	it.mu.Lock()
	it.sources[c.filename] = c.lines
	it.main = c
	it.mu.Unlock()
	return it.RunWith(func(st *starlark.Thread) error { return it.initMain(st, c, after) })
}

// initMain runs the main module c in st (the main thread of this
// interpreter's process), keeps its globals, then runs after, if any.
func (it *Interp) initMain(st *starlark.Thread, c *Compiled, after func(st *starlark.Thread) error) error {
	globals, err := c.prog.Init(st, it.moduleGlobals(it.opts.ModuleName))
	exposeCells(globals)
	it.mu.Lock()
	it.globals = globals
	it.mu.Unlock()
	if err == nil && after != nil {
		err = after(st)
	}
	return err
}

// RunWith runs body as the main thread of a run, with everything a script
// run has (threads, exit semantics, deadlock report), and returns the exit
// status. Run is RunWith over a module's top level; a grader runs its
// checks this way.
func (it *Interp) RunWith(body func(st *starlark.Thread) error) int {
	st := it.newStarlarkThread("MainThread")
	main := it.sched.StartMain(st)
	err := safely(func() error { return body(st) })
	code := it.exitStatus(main, err)
	if c := it.shutdown(main); c != 0 && code == 0 {
		code = c
	}
	if reason := it.sched.Stopped(); reason != "" {
		fmt.Fprintf(it.errw, "starlab: run stopped: %s\n", reason)
		return ExitStopped
	}
	if rep := it.sched.Deadlock(); rep != nil {
		it.printDeadlock(rep)
		return ExitDeadlock
	}
	return code
}

// exitStatus reports an uncaught exception of the main module and returns the
// status it gives.
func (it *Interp) exitStatus(main *Thread, err error) int {
	if err == nil {
		return ExitOK
	}
	exc := ExceptionFromError(err)
	if exc == nil {
		return ExitDeadlock // stopped by the scheduler: a deadlock, reported by Run
	}
	if exc.class.IsSubclassOf(SystemExit) {
		return it.SystemExitStatus(exc)
	}
	it.PrintException(it.errw, exc)
	if exc.class.IsSubclassOf(KeyboardInterrupt) {
		return ExitInterrupt
	}
	return ExitException
}

// SystemExitStatus is the exit status a SystemExit gives (sys.exit(arg)):
// None → 0, an int → itself, anything else is printed to stderr and gives
// 1, as in Python.
func (it *Interp) SystemExitStatus(exc *Exception) int {
	if len(exc.args) == 0 || exc.args[0] == starlark.None {
		return ExitOK
	}
	if n, ok := exc.args[0].(starlark.Int); ok {
		if v, ok := n.Int64(); ok {
			return int(v & 0xff)
		}
	}
	fmt.Fprintln(it.errw, PyStr(exc.args[0]))
	return ExitException
}

// shutdown is Python's interpreter exit: wait for the non-daemon threads,
// then stop the daemon ones. A Ctrl-C while waiting stops everything.
func (it *Interp) shutdown(main *Thread) int {
	code := 0
	stopAll := false
	for {
		var next *Thread
		for _, t := range it.sched.Threads() {
			if t != main && !t.Daemon() {
				next = t
				break
			}
		}
		if next == nil {
			break
		}
		if err := it.sched.Join(main, next, -1); err != nil {
			if exc := ExceptionFromError(err); exc != nil && exc.class.IsSubclassOf(KeyboardInterrupt) {
				it.PrintException(it.errw, exc)
				code = ExitInterrupt
			}
			stopAll = true // interrupted, or a deadlock: nobody is left to wait for
			break
		}
	}
	it.runAtExit(main)
	it.sched.StopThreads(main, !stopAll)
	it.sched.exit(main)
	for _, t := range it.sched.allThreads() {
		<-t.Done()
	}
	it.sched.Close()
	it.closeResources()
	return code
}

// Track registers close to run when the run ends (after the threads have
// stopped), so that no socket or child process outlives it. The returned
// untrack removes it again, for a resource closed by the script itself.
// Safe to call from any goroutine.
func (it *Interp) Track(close func()) (untrack func()) {
	r := &resource{close: close}
	it.mu.Lock()
	it.resources[r] = struct{}{}
	open := len(it.resources)
	it.mu.Unlock()
	it.checkOpen(open) // Confinement.MaxOpen (confine.go)
	return func() {
		it.mu.Lock()
		delete(it.resources, r)
		it.mu.Unlock()
	}
}

// closeResources closes what Track registered and the script left open.
func (it *Interp) closeResources() {
	it.mu.Lock()
	rs := make([]*resource, 0, len(it.resources))
	for r := range it.resources {
		rs = append(rs, r)
	}
	it.resources = make(map[*resource]struct{})
	it.mu.Unlock()
	for _, r := range rs {
		r.close()
	}
}

// Go starts a Starlark-level thread that runs body, as Thread.start does. An
// exception that escapes body is printed as CPython's default excepthook does
// ("Exception in thread NAME:" and a traceback) and the other threads go on;
// SystemExit ends the thread quietly.
func (it *Interp) Go(parent *Thread, name string, daemon bool, body func(t *Thread) error) *Thread {
	it.checkThread() // Confinement.MaxThreads (confine.go)
	st := it.newStarlarkThread(name)
	return it.sched.Spawn(parent, st, name, daemon, func(t *Thread) {
		err := safely(func() error { return body(t) })
		exc := ExceptionFromError(err)
		if exc == nil || exc.class.IsSubclassOf(SystemExit) {
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Exception in thread %s:\n", t.Name())
		it.formatException(&b, exc)
		io.WriteString(it.errw, b.String())
	})
}

func (it *Interp) newStarlarkThread(name string) *starlark.Thread {
	st := &starlark.Thread{Name: name, Load: it.load}
	if it.opts.Confine != nil {
		st.SetLocal(confineKey, it.opts.Confine)
	}
	st.Print = func(_ *starlark.Thread, msg string) { io.WriteString(it.out, msg+"\n") }
	return st
}

// compile parses and resolves a module, and keeps its lines for tracebacks.
func (it *Interp) compile(filename string, src []byte, moduleName string) (*starlark.Program, error) {
	it.mu.Lock()
	it.sources[filename] = strings.Split(string(src), "\n")
	it.mu.Unlock()
	return compileSource(filename, src, it.moduleGlobals(moduleName))
}

// moduleGlobals is the predeclared environment of one module.
func (it *Interp) moduleGlobals(moduleName string) starlark.StringDict {
	g := make(starlark.StringDict, len(it.predeclared)+1)
	for k, v := range it.predeclared {
		g[k] = v
	}
	g["__name__"] = starlark.String(moduleName)
	return g
}

// load implements load("other.star", "x"): the path is relative to the file
// that loads it; each file is run once per run, and a cycle is an error.
func (it *Interp) load(st *starlark.Thread, module string) (starlark.StringDict, error) {
	from := st.CallFrame(0).Pos.Filename()
	path := module
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(from), module)
	}
	it.mu.Lock()
	e := it.modules[path]
	if e != nil {
		it.mu.Unlock()
		if e.loading {
			return nil, Errorf(ImportError, "cannot load %s: import cycle", module)
		}
		return e.globals, e.err
	}
	e = &loadEntry{loading: true}
	it.modules[path] = e
	it.mu.Unlock()

	src, err := readSource(path) // source.go: bounded, never blocks
	if err != nil {
		e.err = Errorf(ImportError, "cannot load %s: %v", module, errors.Unwrap(err))
	} else {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		var prog *starlark.Program
		prog, e.err = it.compile(path, src, name)
		if e.err == nil {
			e.globals, e.err = prog.Init(st, it.moduleGlobals(name))
			exposeCells(e.globals)
		} else {
			e.err = Errorf(ImportError, "cannot load %s: %v", module, e.err)
		}
	}
	it.mu.Lock()
	e.loading = false
	it.mu.Unlock()
	return e.globals, e.err
}

// safely runs f and turns a Go panic (a bug in a builtin) into a Python
// SystemError, as CPython reports its own internal errors: the learner sees
// a traceback line, not a Go stack dump, and the other threads go on.
// go.starlark.net pops its frames with defers, so the thread is consistent.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Errorf(SystemError, "internal error in starlab (please report it): %v", r)
		}
	}()
	return f()
}

// lockedWriter makes each Write whole: print() output from different threads
// (and from the REPL) never interleaves within a call.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
