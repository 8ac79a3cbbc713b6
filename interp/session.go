package interp

import (
	"errors"
	"io"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Session runs code chunk by chunk on one main thread that lives from
// NewSession to Close: the REPL, and `starlab -i FILE`. Threads started by a
// chunk keep running between chunks, while the session waits for input in
// an external wait. A deadlock is raised in the main thread as a
// RuntimeError (the report printed by ReportError) instead of ending the run.
type Session struct {
	it      *Interp
	main    *Thread
	globals starlark.StringDict
}

// NewSession starts the main thread of an interactive run. The scheduler
// must have been configured with SchedConfig.Interactive.
func (it *Interp) NewSession() *Session {
	st := it.newStarlarkThread("MainThread")
	main := it.sched.StartMain(st)
	return &Session{it: it, main: main, globals: it.moduleGlobals(it.opts.ModuleName)}
}

// Globals are the session's variables (the predeclared modules included),
// for completion and dir().
func (s *Session) Globals() starlark.StringDict { return s.globals }

// Thread returns the session's main thread.
func (s *Session) Thread() *Thread { return s.main }

// RunFile runs a script in the session, keeping its globals (python -i).
func (s *Session) RunFile(path string) error {
	src, err := readSource(path) // source.go: bounded, never blocks
	if err != nil {
		return Errorf(FileNotFoundError, "can't open file %s: %v", path, errors.Unwrap(err))
	}
	prog, err := s.it.compile(path, src, s.it.opts.ModuleName)
	if err != nil {
		return err
	}
	var globals starlark.StringDict
	err = safely(func() error {
		var err error
		globals, err = prog.Init(s.main.S, s.globals)
		exposeCells(globals)
		return err
	})
	for k, v := range globals {
		s.globals[k] = v
	}
	s.afterChunk(err)
	return err
}

// Parse reads one chunk (a statement, or a compound statement ended by a
// blank line) with readline, which is called for each line.
func (s *Session) Parse(filename string, readline func() ([]byte, error)) (*syntax.File, error) {
	opts := FileOptions()
	// Each chunk is a file of its own to the resolver: without this, the
	// names that load() binds would vanish with the chunk that loaded them
	// (go.starlark.net's own REPL sets it for the same reason).
	opts.LoadBindsGlobally = true
	// The chunk gets the dialect's front end (dialect.go): imports rewritten
	// line by line as they are read, parse errors explained, the syntax pass.
	var lines []string
	f, err := opts.ParseCompoundStmt(filename, func() ([]byte, error) {
		line, err := readline()
		lines = append(lines, string(line))
		return rewriteFStrings(rewriteImports(line)), err
	})
	if err != nil {
		return nil, explainSyntaxError(err, []byte(strings.Join(lines, "")))
	}
	if err := checkTreeDepth(f); err != nil { // depth.go: no Go stack overflow from input
		return nil, err
	}
	guardTree(f) // guard.go: before pyPass rewrites % and .format
	pyPass(f)
	return f, nil
}

// Remember keeps the text of a chunk, so tracebacks can show its lines.
func (s *Session) Remember(filename string, lines []string) {
	s.it.mu.Lock()
	s.it.sources[filename] = lines
	s.it.mu.Unlock()
}

// Exec runs one parsed chunk. If the chunk is a single expression, its value
// is returned (the REPL prints it and binds it to _); otherwise None.
func (s *Session) Exec(f *syntax.File) (starlark.Value, error) {
	var result starlark.Value = starlark.None
	err := safely(func() error {
		if expr := soleExpr(f); expr != nil {
			v, err := starlark.EvalExprOptions(f.Options, s.main.S, expr, s.globals)
			if err == nil {
				err = s.it.checkRepr(s.main.S, v) // the REPL formats it next (reprdepth.go)
			}
			if err == nil {
				result = v
			}
			return err
		}
		return starlark.ExecREPLChunk(f, s.main.S, s.globals)
	})
	s.afterChunk(err)
	return result, err
}

func soleExpr(f *syntax.File) syntax.Expr {
	if len(f.Stmts) == 1 {
		if stmt, ok := f.Stmts[0].(*syntax.ExprStmt); ok {
			return stmt.X
		}
	}
	return nil
}

// afterChunk forgets a KeyboardInterrupt or RecursionError that ended the
// chunk: the session goes on, and cancellation would otherwise stick.
func (s *Session) afterChunk(err error) {
	if err != nil {
		s.it.sched.ClearInterrupt(s.main)
	}
}

// Wait runs fn, typically reading a line of input, in an external wait:
// threads started at the prompt run meanwhile. On Ctrl-C (Interrupt) cancel
// is closed and Wait returns a KeyboardInterrupt error.
func (s *Session) Wait(reason string, fn func(cancel <-chan struct{}) error) error {
	err := s.it.sched.External(s.main, reason, fn)
	if err != nil {
		s.it.sched.ClearInterrupt(s.main)
	}
	return err
}

// ReportError prints err as a script run would: a traceback, a syntax error,
// or a deadlock report followed by the exception raised in the main thread.
func (s *Session) ReportError(w io.Writer, err error) {
	if err == nil {
		return
	}
	if rep := s.it.sched.TakeDeadlock(); rep != nil {
		io.WriteString(w, FormatDeadlock(rep))
	}
	var serr syntax.Error
	var rerrs resolve.ErrorList
	if errors.As(err, &serr) || errors.As(err, &rerrs) {
		var b strings.Builder
		s.it.formatCompileError(&b, err)
		io.WriteString(w, b.String())
		return
	}
	if exc := ExceptionFromError(err); exc != nil {
		s.it.PrintException(w, exc)
	}
}

// Close ends the session as a script's end does: it waits for the
// non-daemon threads (a KeyboardInterrupt stops the wait), stops the daemon
// ones, closes what the run opened, and returns the exit status.
func (s *Session) Close() int {
	code := s.it.shutdown(s.main)
	if rep := s.it.sched.TakeDeadlock(); rep != nil {
		io.WriteString(s.it.errw, FormatDeadlock(rep))
		return ExitDeadlock
	}
	return code
}

// NonDaemonAlive reports how many threads other than the main one will keep
// a Close waiting.
func (s *Session) NonDaemonAlive() int {
	n := 0
	for _, t := range s.it.sched.Threads() {
		if t != s.main && !t.Daemon() {
			n++
		}
	}
	return n
}
