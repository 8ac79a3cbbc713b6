package repl

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// fakeReader is a LineReader that the test types into: each ReadLine
// reports its prompt, then returns what the test sends.
type fakeReader struct {
	prompts chan string
	lines   chan fakeLine
}

type fakeLine struct {
	line string
	err  error
}

func (f *fakeReader) ReadLine(prompt string) (string, error) {
	f.prompts <- prompt
	l := <-f.lines
	return l.line, l.err
}

// session is a REPL running on a fakeReader, driven by a test.
type session struct {
	t        *testing.T
	r        *REPL
	in       *fakeReader
	out, err *runtest.SyncBuffer
	code     chan int
}

const waitLimit = 10 * time.Second

func startSession(t *testing.T, interactive bool, file string) *session {
	t.Helper()
	s := &session{
		t:    t,
		in:   &fakeReader{prompts: make(chan string, 100), lines: make(chan fakeLine)},
		out:  &runtest.SyncBuffer{},
		err:  &runtest.SyncBuffer{},
		code: make(chan int, 1),
	}
	r, err := New(Config{Reader: s.in, Interactive: interactive, Stdout: s.out, Stderr: s.err, Banner: "starlab test banner"})
	require.NoError(t, err)
	s.r = r
	go func() { s.code <- r.Run(file) }()
	return s
}

// prompt waits for the REPL to ask for a line and returns the prompt.
func (s *session) prompt() string {
	s.t.Helper()
	select {
	case p := <-s.in.prompts:
		return p
	case <-time.After(waitLimit):
		s.t.Fatalf("no prompt came; stdout:\n%s\nstderr:\n%s", s.out, s.err)
		return ""
	}
}

// send answers the pending ReadLine.
func (s *session) send(l fakeLine) {
	s.t.Helper()
	select {
	case s.in.lines <- l:
	case <-time.After(waitLimit):
		s.t.Fatalf("the REPL did not read %q", l.line)
	}
}

// enter types lines, each at the prompt that asks for it, and returns the prompts.
func (s *session) enter(lines ...string) []string {
	s.t.Helper()
	var prompts []string
	for _, l := range lines {
		prompts = append(prompts, s.prompt())
		s.send(fakeLine{line: l})
	}
	return prompts
}

// waitFor waits until the output (stdout, or stderr) contains want.
func (s *session) waitFor(buf *runtest.SyncBuffer, want string) {
	s.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(buf.String(), want) {
		if time.Now().After(deadline) {
			s.t.Fatalf("waited for %q; stdout:\n%s\nstderr:\n%s", want, s.out, s.err)
		}
		time.Sleep(time.Millisecond)
	}
}

// eval enters a one-line expression and returns what it printed on stdout.
func (s *session) eval(line string) string {
	s.t.Helper()
	s.prompt() // the REPL waits: what came before is all out
	before := len(s.out.String())
	s.send(fakeLine{line: line})
	s.prompt() // the next prompt: the line has run
	out := s.out.String()[before:]
	s.in.prompts <- PS1 // put the prompt back for the next enter
	return out
}

// exit sends Ctrl-D and returns Run's exit status.
func (s *session) exit() int {
	s.t.Helper()
	s.prompt()
	s.send(fakeLine{err: io.EOF})
	return s.wait()
}

func (s *session) wait() int {
	s.t.Helper()
	select {
	case c := <-s.code:
		return c
	case <-time.After(waitLimit):
		s.t.Fatalf("the REPL did not end; stdout:\n%s\nstderr:\n%s", s.out, s.err)
		return -1
	}
}

func TestValuesPrinted(t *testing.T) {
	s := startSession(t, true, "")
	assert.Equal(t, "2\n", s.eval("1 + 1"))
	assert.Equal(t, "", s.eval("x = 20"))
	assert.Equal(t, "42\n", s.eval("x * 2 + 2"))
	assert.Equal(t, "", s.eval("None"), "None is not printed")
	assert.Equal(t, "'a'\n", s.eval("'a'"), "a value prints as its repr")
	assert.Equal(t, "'ab'\n", s.eval("_ + 'b'"), "_ is the last value")
	assert.Equal(t, "'ab'\n", s.eval("_"))
	assert.Equal(t, "[1, 'x', b'y']\n", s.eval("[1, 'x', b'y']"))
	assert.Equal(t, 0, s.exit())
	assert.True(t, strings.HasPrefix(s.out.String(), "starlab test banner\n"), "the banner comes first")
	assert.Empty(t, s.err.String())
}

func TestMultiLineBlocks(t *testing.T) {
	s := startSession(t, true, "")
	prompts := s.enter("def f(n):", "    if n > 1:", "        return n * 2", "    return 0", "")
	assert.Equal(t, []string{PS1, PS2, PS2, PS2, PS2}, prompts, "a block continues with ... until a blank line")
	assert.Equal(t, "42\n", s.eval("f(21)"))

	// A top-level loop runs as one chunk.
	before := len(s.out.String())
	s.enter("for i in range(3):", "    print('line', i)", "")
	s.prompt()
	assert.Equal(t, "line 0\nline 1\nline 2\n", s.out.String()[before:])
	s.in.prompts <- PS1

	// A blank line at >>> is nothing; Ctrl-D in a block at a terminal ends
	// the block, not the session.
	s.enter("")
	s.enter("while False:", "    pass")
	s.prompt()
	s.send(fakeLine{err: io.EOF})
	assert.Equal(t, "3\n", s.eval("1 + 2"))
	assert.Equal(t, 0, s.exit())
}

func TestErrorsPrintAndTheSessionGoesOn(t *testing.T) {
	s := startSession(t, true, "")
	s.eval("x = 5")
	s.eval("int('jack')")
	assert.Contains(t, s.err.String(), "Traceback (most recent call last):\n  File \"<input-2>\", line 1, in <module>\n    int('jack')\nValueError: invalid literal for int() with base 10: 'jack'\n")

	// A traceback through a function defined earlier shows its own lines.
	s.enter("def work():", "    return 1 // 0", "")
	s.eval("work()")
	assert.Contains(t, s.err.String(), "  File \"<input-3>\", line 2, in work\n    return 1 // 0\nZeroDivisionError")

	s.eval("x = = 1")
	assert.Contains(t, s.err.String(), "SyntaxError")
	s.eval("nope")
	assert.Contains(t, s.err.String(), "NameError: name 'nope' is not defined")
	assert.Equal(t, "5\n", s.eval("x"), "the session keeps its variables")
	assert.Equal(t, 0, s.exit(), "errors at a terminal do not make the exit status")
}

func TestDeadlockAtThePrompt(t *testing.T) {
	s := startSession(t, true, "")
	s.eval("l = threading.Lock()")
	s.eval("l.acquire()")
	s.eval("l.acquire()")
	assert.Contains(t, s.err.String(), "starlab: deadlock")
	assert.Contains(t, s.err.String(), "MainThread  waits for Lock.acquire (held by MainThread)  at <input-3>:1")
	assert.Contains(t, s.err.String(), "RuntimeError: deadlock")
	assert.Equal(t, "True\n", s.eval("l.locked()"), "the prompt came back, the session intact")
	assert.Equal(t, 0, s.exit())
}

func TestCtrlCWhileTyping(t *testing.T) {
	s := startSession(t, true, "")
	s.enter("def f():", "    return 1")
	s.prompt()
	s.send(fakeLine{err: ErrInterrupt})
	assert.Equal(t, PS1, s.prompt(), "the block is dropped")
	s.in.prompts <- PS1
	s.waitFor(s.err, "KeyboardInterrupt\n")
	assert.Equal(t, "4\n", s.eval("2 + 2"))
	s.eval("f")
	assert.Contains(t, s.err.String(), "NameError: name 'f' is not defined")
	assert.Equal(t, 0, s.exit())
}

// sleeper starts a daemon thread that sleeps for 100 s.
const sleeper = "threading.Thread(target=time.sleep, args=(100,), daemon=True).start()"

// Ctrl-C while code runs: the SIGINT handler calls Interrupt.
func TestCtrlCWhileRunning(t *testing.T) {
	tests := []struct {
		name  string
		setup []string
		run   string
	}{
		{"busy loop", nil, "if True:\n    print('started')\n    while True: pass\n"},
		{"busy function", []string{"def spin():", "    n = 0", "    while True:", "        n += 1", ""}, "print('started'); spin()"},
		// With no other thread alive, these would be deadlocks (reported
		// as such); a sleeping thread could still wake them.
		{"q.get on an empty queue", []string{"q = queue.Queue()", sleeper}, "q.get()"},
		{"join a sleeping thread", []string{"t = threading.Thread(target=time.sleep, args=(100,), daemon=True)", "t.start()"}, "t.join()"},
		{"time.sleep(100)", nil, "time.sleep(100)"},
		{"lock held by another thread", []string{"l = threading.Lock()", "l.acquire()", sleeper}, "l.acquire()"},
		{"event wait", []string{"e = threading.Event()", sleeper}, "e.wait()"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startSession(t, true, "")
			s.enter(tc.setup...)
			if !strings.Contains(tc.run, "started") {
				tc.run = "print('started'); " + tc.run
			}
			s.enter(strings.Split(tc.run, "\n")...)
			s.waitFor(s.out, "started\n")
			time.Sleep(20 * time.Millisecond) // let it block or spin
			start := time.Now()
			s.r.Interp().Interrupt()
			s.prompt()
			assert.Less(t, time.Since(start), 2*time.Second)
			s.in.prompts <- PS1
			assert.Contains(t, s.err.String(), "Traceback (most recent call last):")
			assert.Contains(t, s.err.String(), "\nKeyboardInterrupt\n")
			assert.Equal(t, "6\n", s.eval("2 * 3"), "the session goes on")
			assert.Equal(t, 0, s.exit())
		})
	}
}

// A Ctrl-C that comes while the prompt waits prints KeyboardInterrupt and
// prompts again; the read in flight gets the next line.
func TestCtrlCAtThePrompt(t *testing.T) {
	s := startSession(t, true, "")
	s.prompt()
	s.r.Interp().Interrupt()
	s.waitFor(s.err, "KeyboardInterrupt\n")
	s.send(fakeLine{line: "7 * 6"})
	s.waitFor(s.out, "42\n")
	assert.Equal(t, 0, s.exit())
}

func TestBackgroundThreadWhileThePromptWaits(t *testing.T) {
	s := startSession(t, true, "")
	s.enter("def bg():", "    time.sleep(0.05)", "    print('bg done')", "")
	s.enter("threading.Thread(target=bg).start()")
	s.prompt() // the REPL waits for a line, and bg runs meanwhile
	s.waitFor(s.out, "bg done\n")
	s.send(fakeLine{line: "threading.active_count()"})
	s.waitFor(s.out, "bg done\n1\n")
	assert.Equal(t, 0, s.exit())
}

func TestExitWaitsForThreads(t *testing.T) {
	s := startSession(t, true, "")
	s.enter("threading.Thread(target=lambda: time.sleep(0.1) or print('late')).start()")
	assert.Equal(t, 0, s.exit())
	assert.Contains(t, s.err.String(), "waiting for 1 thread to finish; Ctrl-C to stop them\n")
	assert.True(t, strings.HasSuffix(s.out.String(), "late\n"), "the thread finished before the exit")
}

// A second Ctrl-D, or a Ctrl-C (typed, or SIGINT), stops the wait at exit.
func TestSecondExitStopsTheWait(t *testing.T) {
	for _, how := range []string{"Ctrl-D", "Ctrl-C typed", "SIGINT"} {
		t.Run(how, func(t *testing.T) {
			s := startSession(t, true, "")
			s.enter("t = threading.Thread(target=time.sleep, args=(100,))", "t.start()", "u = threading.Thread(target=time.sleep, args=(100,))", "u.start()")
			s.prompt()
			s.send(fakeLine{err: io.EOF})
			s.waitFor(s.err, "waiting for 2 threads to finish; Ctrl-C to stop them\n")
			start := time.Now()
			switch how {
			case "Ctrl-D":
				assert.Equal(t, "", s.prompt(), "the wait reads the terminal, with no prompt")
				s.send(fakeLine{err: io.EOF})
			case "Ctrl-C typed":
				s.prompt()
				s.send(fakeLine{err: ErrInterrupt})
			case "SIGINT":
				s.r.Interp().Interrupt()
			}
			assert.Equal(t, 130, s.wait())
			assert.Less(t, time.Since(start), 2*time.Second)
		})
	}
}

func TestSysExit(t *testing.T) {
	s := startSession(t, true, "")
	s.enter("sys.exit(3)")
	assert.Equal(t, 3, s.wait())

	s = startSession(t, false, "")
	s.enter("sys.exit()")
	assert.Equal(t, 0, s.wait())

	// exit and quit, as at Python's prompt.
	s = startSession(t, true, "")
	assert.Equal(t, "Use exit() or Ctrl-D (i.e. EOF) to exit\n", s.eval("exit"))
	s.enter("quit(4)")
	assert.Equal(t, 4, s.wait())
}

// Piped input: no banner; the exit status says whether a chunk raised.
func TestNotInteractive(t *testing.T) {
	s := startSession(t, false, "")
	s.enter("x = 2")
	s.enter("x * 21")
	s.prompt()
	s.send(fakeLine{err: io.EOF})
	assert.Equal(t, 0, s.wait())
	assert.Equal(t, "42\n", s.out.String())

	s = startSession(t, false, "")
	s.enter("1 // 0")
	s.enter("print('after')")
	s.prompt()
	s.send(fakeLine{err: io.EOF})
	assert.Equal(t, 1, s.wait(), "an uncaught exception fails a piped session, as a script")
	assert.Equal(t, "after\n", s.out.String(), "the lines after the error still run")
}

func TestPlainReader(t *testing.T) {
	var out, errb runtest.SyncBuffer
	r, err := New(Config{Stdin: strings.NewReader("x = 2\nfor i in range(2):\n  print(i)\n\nx * 21\nname = input('who? ')\nbob\nname\n"), Stdout: &out, Stderr: &errb})
	require.NoError(t, err)
	assert.Equal(t, 0, r.Run(""))
	assert.Equal(t, "0\n1\n42\nwho? 'bob'\n", out.String(), "no prompt but input()'s")
	assert.Empty(t, errb.String())

	// The last block needs no blank line at the end of the input.
	out = runtest.SyncBuffer{}
	r, err = New(Config{Stdin: strings.NewReader("for i in range(2):\n  print(i)"), Stdout: &out, Stderr: &errb})
	require.NoError(t, err)
	assert.Equal(t, 0, r.Run(""))
	assert.Equal(t, "0\n1\n", out.String())
}

func TestInput(t *testing.T) {
	s := startSession(t, true, "")
	s.enter("name = input('who? ')")
	assert.Equal(t, "who? ", s.prompt(), "input's prompt is the line reader's")
	s.send(fakeLine{line: "bob"})
	assert.Equal(t, "'bob'\n", s.eval("name"))

	s.enter("input()")
	s.prompt()
	s.send(fakeLine{err: io.EOF})
	s.waitFor(s.err, "EOFError: EOF when reading a line")

	// A thread's input() gets its line while the main thread waits on join.
	s.enter("def ask():", "    print('got', input('thread? '))", "")
	s.enter("t = threading.Thread(target=ask)", "t.start(); t.join()")
	assert.Equal(t, "thread? ", s.prompt())
	s.send(fakeLine{line: "hi"})
	s.waitFor(s.out, "got hi\n")
	assert.Equal(t, 0, s.exit())
}

func TestRunFileThenThePrompt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lab.star")
	require.NoError(t, os.WriteFile(path, []byte("x = 40\ndef add(n):\n    return x + n\nprint('script ran')\n"), 0o644))
	s := startSession(t, true, path)
	assert.Equal(t, "42\n", s.eval("add(2)"), "the script's globals are the session's")
	assert.Contains(t, s.out.String(), "script ran\n")
	assert.Equal(t, 0, s.exit())

	// A script that fails is reported; the prompt comes all the same.
	require.NoError(t, os.WriteFile(path, []byte("y = 1\nraise_(ValueError('bad'))\n"), 0o644))
	s = startSession(t, true, path)
	assert.Equal(t, "1\n", s.eval("y"))
	assert.Contains(t, s.err.String(), "ValueError: bad")
	assert.Equal(t, 0, s.exit())
}

func TestLoadAtThePrompt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.star")
	require.NoError(t, os.WriteFile(path, []byte("def double(n):\n    return 2 * n\n"), 0o644))
	s := startSession(t, true, "")
	s.eval(`load("` + path + `", "double")`)
	assert.Equal(t, "42\n", s.eval("double(21)"), "load binds its names for the later chunks")
	assert.Equal(t, 0, s.exit())
}

func TestHelpAndDir(t *testing.T) {
	s := startSession(t, true, "")
	out := s.eval("help(threading.Lock)")
	assert.Contains(t, out, "threading.Lock()\n    A lock:")
	assert.Contains(t, out, "Python: threading.Lock()")
	s.eval("q = queue.Queue()")
	out = s.eval("help(q.put)")
	assert.Contains(t, out, "queue.Queue.put(item, block=True, timeout=None)")
	out = s.eval("help(q)")
	assert.Contains(t, out, "an object of class queue.Queue")
	out = s.eval("help()")
	assert.Contains(t, out, "  queue      Thread-safe queues")
	out = s.eval("dir(q)")
	assert.Contains(t, out, "'get', 'get_nowait', 'join'")
	assert.Equal(t, 0, s.exit())
}

// Completion from the line editor's goroutine, answered by the REPL while
// it waits at the prompt.
func TestCompletionWhileThePromptWaits(t *testing.T) {
	s := startSession(t, true, "")
	s.enter("q = queue.Queue()")
	s.prompt()
	res := s.r.src.complete([]rune("threading.Con"), 13)
	assert.Equal(t, completionResult{words: []string{"Condition"}, prefix: 3}, res)
	res = s.r.src.complete([]rune("q."), 2)
	assert.Equal(t, []string{"empty", "full", "get", "get_nowait", "join", "maxsize", "put", "put_nowait", "qsize", "task_done", "unfinished_tasks"}, res.words)
	s.send(fakeLine{line: "1"})
	s.waitFor(s.out, "1\n")
	assert.Equal(t, 0, s.exit())
}
