package repl

import (
	"io"
	"os"
	"sync"
	"unicode/utf8"

	"github.com/chzyer/readline"
)

// IsTerminal reports whether f (os.Stdin, os.Stdout) is a terminal.
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && readline.IsTerminal(int(file.Fd()))
}

// terminal is the LineReader of a terminal: github.com/chzyer/readline's line
// editing, history (kept in a file across sessions, bounded, searchable with
// Ctrl-R) and Tab completion.
//
// Threads keep running, and printing, while the user types. readline offers
// writers (Instance.Stdout) that redraw the prompt around such output, but
// they touch the line being edited from the writer's goroutine while
// readline's own goroutine edits it: a data race, and a garbled line now and
// then. terminal's writers never touch readline's state: while a line is
// being read, output is queued and a marker rune is slipped into readline's
// input; readline's goroutine meets the marker in FuncFilterInputRune, where
// terminal clears the prompt line, writes the queued output and redraws the
// prompt with what the user has typed so far. Outside a read, output goes
// straight to the terminal.
type terminal struct {
	rl    *readline.Instance
	stdin *stdinMux

	mu          sync.Mutex
	reading     bool     // inside rl.Readline
	queue       []queued // output held back while reading
	markPending bool     // a marker is on its way to readline
}

type queued struct {
	w io.Writer
	p []byte
}

// outputMarker is the rune that tells readline's goroutine to write the
// queued output: a Unicode noncharacter, which no keyboard types.
const outputMarker = '\uFDD0'

// terminalConfig is what newTerminal needs; the test* fields let tests run
// readline on a pipe instead of a real terminal.
type terminalConfig struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	historyFile    string // "" keeps the history in memory only
	historyLimit   int
	complete       func(line []rune, pos int) completionResult

	testNoTTY bool // no raw mode, a width of 80, no SIGWINCH
}

func newTerminal(cfg terminalConfig) (*terminal, error) {
	t := &terminal{stdin: newStdinMux(cfg.stdin)}
	rc := &readline.Config{
		HistoryFile:         cfg.historyFile,
		HistoryLimit:        cfg.historyLimit,
		HistorySearchFold:   true,
		AutoComplete:        completer(cfg.complete),
		InterruptPrompt:     "^C",
		EOFPrompt:           "\n", // readline's way to say: just end the line
		Stdin:               t.stdin,
		Stdout:              cfg.stdout,
		Stderr:              cfg.stderr,
		FuncFilterInputRune: t.filter,
	}
	if cfg.testNoTTY {
		rc.FuncIsTerminal = func() bool { return true }
		rc.FuncMakeRaw = func() error { return nil }
		rc.FuncExitRaw = func() error { return nil }
		rc.FuncGetWidth = func() int { return 80 }
		rc.FuncOnWidthChanged = func(func()) {}
	}
	rl, err := readline.NewEx(rc)
	if err != nil {
		return nil, err
	}
	t.rl = rl
	return t, nil
}

// Stdout and Stderr are the writers the interpreter prints through.
func (t *terminal) Stdout() io.Writer { return &termWriter{t: t, w: t.rl.Config.Stdout} }
func (t *terminal) Stderr() io.Writer { return &termWriter{t: t, w: t.rl.Config.Stderr} }

func (t *terminal) ReadLine(prompt string) (string, error) {
	t.mu.Lock()
	t.reading = true
	t.mu.Unlock()
	t.rl.SetPrompt(prompt)
	line, err := t.rl.Readline()
	t.mu.Lock()
	t.reading = false
	t.flushLocked() // what arrived after Enter, before readline met the marker
	t.mu.Unlock()
	if err != nil {
		return "", err
	}
	return line, nil
}

// Close ends readline and gives the terminal its normal mode back.
func (t *terminal) Close() error {
	t.stdin.close() // first: readline's reader goroutine blocks in our Read
	return t.rl.Close()
}

// RestoreMode leaves raw mode, for an exit that cannot wait for Close (a
// signal). Safe to call from any goroutine.
func (t *terminal) RestoreMode() { t.rl.Terminal.ExitRawMode() }

func (t *terminal) flushLocked() {
	for _, q := range t.queue {
		q.w.Write(q.p)
	}
	t.queue = nil
}

// filter runs on readline's goroutine for every rune typed. The marker rune
// becomes Ctrl-G (readline's "bell": it edits nothing, and ends a Ctrl-R
// search or a completion menu, which the output would garble anyway) once
// the queued output is on the screen above the prompt.
func (t *terminal) filter(r rune) (rune, bool) {
	if r != outputMarker {
		return r, true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.markPending = false
	if len(t.queue) > 0 {
		t.rl.Clean()
		t.flushLocked()
		t.rl.Refresh()
	}
	return readline.CharBell, true
}

// termWriter is Stdout or Stderr of a terminal: direct between reads,
// queued for readline's goroutine during one.
type termWriter struct {
	t *terminal
	w io.Writer
}

func (w *termWriter) Write(p []byte) (int, error) {
	t := w.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.reading {
		return w.w.Write(p)
	}
	t.queue = append(t.queue, queued{w: w.w, p: append([]byte(nil), p...)})
	if !t.markPending {
		t.markPending = true
		t.stdin.mark()
	}
	return len(p), nil
}

// completer adapts the REPL's completion to readline's AutoCompleter, which
// wants the rest of each candidate after the partial word.
type completer func(line []rune, pos int) completionResult

func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	if c == nil {
		return nil, 0
	}
	res := c(line, pos)
	out := make([][]rune, 0, len(res.words))
	for _, w := range res.words {
		if rw := []rune(w); len(rw) >= res.prefix {
			out = append(out, rw[res.prefix:])
		}
	}
	return out, res.prefix
}

// stdinMux is readline's input: the bytes of the real stdin, and the output
// markers. A goroutine reads stdin one chunk ahead, started on the first Read.
type stdinMux struct {
	r      io.Reader
	once   sync.Once
	chunks chan []byte   // from stdin; closed at its end
	marks  chan struct{} // capacity 1: a marker to deliver
	stop   chan struct{}
	stopO  sync.Once
	buf    []byte // what the last Read did not take; only readline's goroutine reads
}

func newStdinMux(r io.Reader) *stdinMux {
	return &stdinMux{r: r, chunks: make(chan []byte), marks: make(chan struct{}, 1), stop: make(chan struct{})}
}

func (m *stdinMux) Read(p []byte) (int, error) {
	m.once.Do(func() { go m.pump() })
	if len(m.buf) == 0 {
		select {
		case c, ok := <-m.chunks:
			if !ok {
				return 0, io.EOF
			}
			m.buf = c
		case <-m.marks:
			m.buf = utf8.AppendRune(nil, outputMarker)
		case <-m.stop:
			return 0, io.EOF
		}
	}
	n := copy(p, m.buf)
	m.buf = m.buf[n:]
	return n, nil
}

// pump reads stdin. A terminal gives one line (or one key in raw mode) per read.
func (m *stdinMux) pump() {
	defer close(m.chunks)
	for {
		b := make([]byte, 4096)
		n, err := m.r.Read(b)
		if n > 0 {
			select {
			case m.chunks <- b[:n]:
			case <-m.stop:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (m *stdinMux) mark() {
	select {
	case m.marks <- struct{}{}:
	default: // one is already waiting
	}
}

// close makes Read return io.EOF; the pump goroutine may stay blocked in
// the real stdin's Read until the process ends.
func (m *stdinMux) close() { m.stopO.Do(func() { close(m.stop) }) }

// Close is for readline, which closes its Stdin when it closes; the REPL
// closes the mux itself, first (terminal.Close).
func (m *stdinMux) Close() error { m.close(); return nil }
