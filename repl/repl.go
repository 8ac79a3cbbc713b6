// Package repl is starlab's interactive prompt, as comfortable as python3's:
// `starlab` with no arguments, `starlab repl`, and `starlab -i FILE`.
//
// The REPL reads a chunk (one statement, or a block that a blank line ends)
// with the >>> and ... prompts, runs it in an interp.Session, prints the
// value of an expression (its repr, unless None) and keeps it in _. An error
// prints as in a script and the session goes on.
//
// The session's main thread is the REPL's own goroutine. Waiting for a line
// is an external wait (Session.Wait), so threads started at the prompt run
// while the user types; on a terminal their output appears above the prompt,
// the line being typed intact (see terminal). Ctrl-C while typing drops the
// line; while code runs, the SIGINT handler's Interp.Interrupt raises
// KeyboardInterrupt in it, and the prompt comes back. Ctrl-D exits, after the
// non-daemon threads end (a second Ctrl-D or a Ctrl-C stops them).
//
// Lines come through a LineReader: readline on a terminal (editing, history,
// Ctrl-R, Tab completion), plain lines from a pipe (no prompt is written,
// for scripts: printf 'x = 2\nx * 21\n' | starlab prints 42), or a scripted
// fake in tests.
package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// Prompts, as Python's.
const (
	PS1 = ">>> "
	PS2 = "... "
)

// DefaultHistoryLimit bounds the history file, in lines.
const DefaultHistoryLimit = 1000

// HistoryEnv names the environment variable that overrides the history
// file's path (tests point it to a temporary file).
const HistoryEnv = "STARLAB_HISTORY"

// HistoryPath is where the history is kept: $STARLAB_HISTORY, else
// ~/.starlab_history; "" (no history) when neither can be had.
func HistoryPath() string {
	if p := os.Getenv(HistoryEnv); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".starlab_history")
}

// Config configures a REPL.
type Config struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Terminal says that Stdin and Stdout are a terminal: lines are edited
	// with readline, with history, completion and prompts. Otherwise lines
	// are read from Stdin as they come, and no prompt, banner or escape code
	// is written.
	Terminal bool
	// HistoryFile keeps the lines typed at a terminal across sessions; ""
	// keeps them for this session only. HistoryLimit bounds the history, in
	// lines (0: DefaultHistoryLimit); the file is cut to it at start-up.
	HistoryFile  string
	HistoryLimit int
	// Reader, if set, supplies the lines instead of Stdin (tests);
	// Interactive then says whether to behave as on a terminal.
	Reader      LineReader
	Interactive bool
	// Banner is printed before the first prompt of an interactive session.
	Banner string
	// Argv is sys.argv: [""] at a bare prompt, [FILE, ARGS...] with -i.
	Argv []string
	// Predeclared is passed to interp.Options (default builtins.Predeclared).
	Predeclared func(*interp.Interp) starlark.StringDict

	// testNoTTY runs readline on pipes (Terminal true): tests only.
	testNoTTY bool
}

// REPL is one interactive session.
type REPL struct {
	it          *interp.Interp
	sess        *interp.Session
	src         *lineSource
	closer      io.Closer // the line reader, if it must be closed
	term        *terminal // the terminal, if on one
	interactive bool      // prompts, banner and messages are shown
	banner      string
	chunks      int  // chunks run so far, for their file names
	failed      bool // a chunk raised: the exit status of a piped session
}

// New prepares a REPL: its line reader and its interpreter. Nothing runs
// until Run; Interp is there meanwhile, for the SIGINT handler.
func New(cfg Config) (*REPL, error) {
	r := &REPL{interactive: cfg.Interactive || (cfg.Reader == nil && cfg.Terminal), banner: cfg.Banner}
	stdout, stderr := cfg.Stdout, cfg.Stderr
	if stdout == nil {
		stdout = os.Stdout
	}
	if stderr == nil {
		stderr = os.Stderr
	}
	var lr LineReader
	switch {
	case cfg.Reader != nil:
		lr = cfg.Reader
	case cfg.Terminal:
		limit := cfg.HistoryLimit
		if limit <= 0 {
			limit = DefaultHistoryLimit
		}
		term, err := newTerminal(terminalConfig{
			stdin: cfg.Stdin, stdout: stdout, stderr: stderr,
			historyFile: cfg.HistoryFile, historyLimit: limit, testNoTTY: cfg.testNoTTY,
			// r.src is set below, before any line is read.
			complete: func(line []rune, pos int) completionResult { return r.src.complete(line, pos) },
		})
		if err != nil {
			return nil, err
		}
		lr, r.term, r.closer = term, term, term
		stdout, stderr = term.Stdout(), term.Stderr()
	default:
		stdin := cfg.Stdin
		if stdin == nil {
			stdin = os.Stdin
		}
		lr = newPlainReader(stdin)
	}
	if c, ok := cfg.Reader.(io.Closer); ok {
		r.closer = c
	}
	r.src = newLineSource(lr)
	predeclared := cfg.Predeclared
	if predeclared == nil {
		predeclared = builtins.Predeclared
	}
	argv := cfg.Argv
	if len(argv) == 0 {
		argv = []string{""}
	}
	r.it = interp.New(interp.Options{
		// input() reads through the REPL (see inputBuiltin): nothing else
		// may read stdin, or it would take the lines typed at the prompt.
		Stdin:       strings.NewReader(""),
		Stdout:      stdout,
		Stderr:      stderr,
		Argv:        argv,
		Sched:       interp.SchedConfig{Interactive: true},
		Predeclared: predeclared,
	})
	return r, nil
}

// Interp is the REPL's interpreter: the SIGINT handler calls its Interrupt.
func (r *REPL) Interp() *interp.Interp { return r.it }

// RestoreTerminal gives the terminal its normal mode back, for an exit that
// cannot wait for Run to return (SIGTERM). Safe to call from any goroutine,
// and a no-op off a terminal.
func (r *REPL) RestoreTerminal() {
	if r.term != nil {
		r.term.RestoreMode()
	}
}

// Run runs the session: file first if not "" (python -i), then the prompt,
// until the input ends or sys.exit. It returns the exit status: that of
// sys.exit; else 130 if a Ctrl-C stopped the threads at exit, 3 for a
// deadlock at exit; else, for piped input, 1 if any chunk raised, as a
// script's uncaught exception would.
func (r *REPL) Run(file string) int {
	defer r.close()
	r.sess = r.it.NewSession()
	g := r.sess.Globals()
	g["input"] = r.inputBuiltin()
	g["exit"], g["quit"] = quitter("exit"), quitter("quit")
	if r.interactive && r.banner != "" {
		io.WriteString(r.it.Stdout(), r.banner+"\n")
	}
	if file != "" {
		if err := r.sess.RunFile(file); err != nil {
			r.sess.ReportError(r.it.Stderr(), err) // as python -i: even SystemExit
		}
	}
	for {
		code, exit := r.step()
		if exit {
			return r.finish(code)
		}
	}
}

func (r *REPL) close() {
	if r.closer != nil {
		r.closer.Close()
	}
}

// step reads one chunk and runs it. exit is true at the end of the input
// or after sys.exit(code), whose status is code.
func (r *REPL) step() (code *int, exit bool) {
	var lines []string
	var eof, ended bool
	var readErr error
	prompt := PS1
	name := fmt.Sprintf("<input-%d>", r.chunks+1)
	f, err := r.sess.Parse(name, func() ([]byte, error) {
		if ended {
			return nil, nil // the parser may look past the end again
		}
		line, err := r.readLine(r.sess.Thread(), "the "+strings.TrimSpace(prompt)+" prompt", prompt)
		prompt = PS2
		switch {
		case err == io.EOF && len(lines) == 0:
			eof = true
			return nil, err // the end of the session: the parser stops
		case err == io.EOF:
			// The end of the block; and of the session, unless Ctrl-D
			// only ended a block at a terminal's ... prompt.
			ended = true
			eof = !r.interactive
			return nil, nil
		case err != nil:
			readErr = err
			return nil, err // the parser stops with it
		}
		lines = append(lines, line)
		return []byte(line + "\n"), nil
	})
	switch {
	case eof && len(lines) == 0:
		return nil, true
	case readErr != nil:
		// Ctrl-C while typing (or a KeyboardInterrupt that arrived while
		// the prompt waited): the chunk is dropped.
		if errors.Is(readErr, ErrInterrupt) || isKeyboardInterrupt(readErr) {
			io.WriteString(r.it.Stderr(), "KeyboardInterrupt\n")
			return nil, false
		}
		fmt.Fprintf(r.it.Stderr(), "starlab: reading input: %v\n", readErr)
		return nil, true
	case err != nil: // a syntax error
		r.chunks++
		r.sess.Remember(name, lines)
		r.sess.ReportError(r.it.Stderr(), err)
		r.failed = true
		return nil, eof
	case len(f.Stmts) == 0: // a blank line, or the end of the input
		return nil, eof
	}
	r.chunks++
	r.sess.Remember(name, lines)
	v, err := r.sess.Exec(f)
	if err != nil {
		if code, ok := systemExit(r.it, err); ok {
			return &code, true
		}
		r.sess.ReportError(r.it.Stderr(), err)
		r.failed = true
		return nil, eof
	}
	if v != starlark.None {
		r.sess.Globals()["_"] = v
		io.WriteString(r.it.Stdout(), interp.PyRepr(v)+"\n")
	}
	return nil, eof
}

// readLine reads a line for thread t (the main thread at the prompt, any
// thread in input()) in an external wait: other threads run meanwhile. It
// answers Tab's completion requests while it waits, holding the baton.
func (r *REPL) readLine(t *interp.Thread, reason, prompt string) (string, error) {
	for {
		var res lineResult
		var req *completionRequest
		got := false
		wait := func(cancel <-chan struct{}) error {
			var err error
			res, req, err = r.src.next(prompt, cancel)
			got = err == nil && req == nil
			return err
		}
		var err error
		if t == r.sess.Thread() {
			err = r.sess.Wait(reason, wait)
		} else {
			err = r.it.Sched().External(t, reason, wait)
		}
		switch {
		case err != nil:
			if got {
				r.src.unreadLine(res) // it came as Ctrl-C did: the next reader gets it
			}
			if req != nil {
				req.reply <- completionResult{}
			}
			return "", err
		case req != nil:
			req.reply <- complete(r.sess.Globals(), req.line, req.pos)
		default:
			return res.line, res.err
		}
	}
}

// inputBuiltin is input(prompt="") for the REPL's session: it reads through
// the REPL's line reader, from the thread that calls it, so that its line is
// not taken from the prompt (and readline shows its prompt). The session's
// globals get it in place of interp's input().
func (r *REPL) inputBuiltin() *starlark.Builtin {
	return starlark.NewBuiltin("input", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var prompt starlark.Value = starlark.String("")
		if err := starlark.UnpackPositionalArgs("input", args, kwargs, 0, &prompt); err != nil {
			return nil, err
		}
		t := interp.Current(th)
		if t == nil {
			return nil, interp.Errorf(interp.RuntimeError, "input: not called from a starlab thread")
		}
		p := interp.PyStr(prompt)
		if !r.interactive && p != "" {
			io.WriteString(r.it.Stdout(), p) // as Python does when stdin is not a terminal
		}
		line, err := r.readLine(t, "input()", p)
		switch {
		case err == io.EOF:
			return nil, interp.Errorf(interp.EOFError, "EOF when reading a line")
		case errors.Is(err, ErrInterrupt):
			return nil, interp.Raise(interp.NewException(interp.KeyboardInterrupt))
		case err != nil:
			return nil, err
		}
		return starlark.String(line), nil
	})
}

// finish ends the session: it waits for the non-daemon threads, saying so
// at a terminal, where a second Ctrl-D (or Ctrl-C) stops the wait. code is
// the status of sys.exit, if that ended the session.
func (r *REPL) finish(code *int) int {
	var stop, done chan struct{}
	if n := r.sess.NonDaemonAlive(); n > 0 && r.interactive {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		fmt.Fprintf(r.it.Stderr(), "waiting for %d thread%s to finish; Ctrl-C to stop them\n", n, plural)
		stop, done = make(chan struct{}), make(chan struct{})
		go r.watchSecondExit(stop, done)
	}
	closeCode := r.sess.Close()
	if stop != nil {
		close(stop)
		<-done
	}
	switch {
	case code != nil:
		return *code
	case closeCode != 0:
		return closeCode
	case r.failed && !r.interactive:
		return interp.ExitException
	}
	return interp.ExitOK
}

// watchSecondExit reads the terminal while Close waits for the threads: a
// Ctrl-D or a Ctrl-C there interrupts the wait.
func (r *REPL) watchSecondExit(stop, done chan struct{}) {
	defer close(done)
	for {
		res, req, err := r.src.next("", stop)
		switch {
		case err != nil:
			return
		case req != nil:
			req.reply <- completionResult{} // no baton to complete with
		case res.err != nil:
			r.it.Interrupt()
			return
		}
	}
}

// systemExit reports whether err is SystemExit, with the exit status it
// gives, as interp's Run computes it.
func systemExit(it *interp.Interp, err error) (int, bool) {
	exc := interp.ExceptionFromError(err)
	if exc == nil || !exc.Class().IsSubclassOf(interp.SystemExit) {
		return 0, false
	}
	return it.SystemExitStatus(exc), true
}

// quitter is exit and quit at the prompt, as Python's site module makes
// them: calling one raises SystemExit; showing one says how to leave.
type quitter string

var _ starlark.Callable = quitter("")

func (q quitter) String() string {
	return "Use " + string(q) + "() or Ctrl-D (i.e. EOF) to exit"
}
func (q quitter) Type() string          { return "Quitter" }
func (q quitter) Freeze()               {}
func (q quitter) Truth() starlark.Bool  { return true }
func (q quitter) Hash() (uint32, error) { return starlark.String(q).Hash() }
func (q quitter) Name() string          { return string(q) }

func (q quitter) CallInternal(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var code starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(string(q), args, kwargs, 0, &code); err != nil {
		return nil, err
	}
	return nil, interp.Raise(interp.NewException(interp.SystemExit, code))
}

func isKeyboardInterrupt(err error) bool {
	exc := interp.ExceptionFromError(err)
	return exc != nil && exc.Class().IsSubclassOf(interp.KeyboardInterrupt)
}
