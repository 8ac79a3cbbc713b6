package repl

import (
	"fmt"
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

// termSession is a REPL on readline, which reads keys from a pipe and draws
// into a buffer: the terminal REPL without a terminal (raw mode and the
// window size are stubbed). The real terminal is tested through a
// pseudo-terminal in cmd/starlab.
type termSession struct {
	t    *testing.T
	keys *io.PipeWriter
	out  *runtest.SyncBuffer
	code chan int
}

func startTerm(t *testing.T, history string) *termSession {
	t.Helper()
	pr, pw := io.Pipe()
	s := &termSession{t: t, keys: pw, out: &runtest.SyncBuffer{}, code: make(chan int, 1)}
	r, err := New(Config{
		Stdin: pr, Stdout: s.out, Stderr: s.out, Terminal: true,
		HistoryFile: history, testNoTTY: true, Banner: "banner",
	})
	require.NoError(t, err)
	go func() { s.code <- r.Run("") }()
	t.Cleanup(func() { pw.Close() })
	return s
}

// typeKeys types keys, after waiting for the screen to show after.
func (s *termSession) typeKeys(keys string) {
	s.t.Helper()
	_, err := io.WriteString(s.keys, keys)
	require.NoError(s.t, err)
}

// waitFor waits until the screen holds want, at or after offset from; it
// returns the offset just past it.
func (s *termSession) waitFor(from int, want string) int {
	s.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		screen := s.out.String()
		if i := strings.Index(screen[from:], want); i >= 0 {
			return from + i + len(want)
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited for %q; the screen:\n%q", want, screen[from:])
		}
		time.Sleep(time.Millisecond)
	}
}

func (s *termSession) exit() int {
	s.t.Helper()
	s.typeKeys("\x04") // Ctrl-D
	select {
	case c := <-s.code:
		return c
	case <-time.After(waitLimit):
		s.t.Fatalf("the REPL did not end; the screen:\n%q", s.out.String())
		return -1
	}
}

func TestTerminalValuesAndPrompts(t *testing.T) {
	s := startTerm(t, "")
	at := s.waitFor(0, "banner\n")
	at = s.waitFor(at, PS1)
	s.typeKeys("def f():\r")
	at = s.waitFor(at, PS2)
	s.typeKeys("    return 42\r\r")
	at = s.waitFor(at, PS1)
	s.typeKeys("f()\r")
	s.waitFor(at, "42\n")
	assert.Equal(t, 0, s.exit())
}

func TestTerminalHistory(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")

	s := startTerm(t, history)
	at := s.waitFor(0, PS1)
	s.typeKeys("x = 40\r")
	at = s.waitFor(at, PS1)
	s.typeKeys("40 + 2\r")
	at = s.waitFor(at, "42\n")
	s.waitFor(at, PS1)
	require.Equal(t, 0, s.exit())
	data, err := os.ReadFile(history)
	require.NoError(t, err)
	assert.Equal(t, "x = 40\n40 + 2\n", string(data), "the lines are kept in the history file")

	// The next session reads it back: Up brings the last line again.
	s = startTerm(t, history)
	at = s.waitFor(0, PS1)
	s.typeKeys("\x1b[A\r") // Up, Enter
	at = s.waitFor(at, "42\n")
	// Ctrl-R searches it: "= 4" finds x = 40.
	at = s.waitFor(at, PS1)
	s.typeKeys("\x12= 4\r")
	at = s.waitFor(at, PS1)
	s.typeKeys("x\r")
	s.waitFor(at, "40\n")
	require.Equal(t, 0, s.exit())
}

func TestTerminalHistoryIsBounded(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	var old strings.Builder
	for i := range DefaultHistoryLimit + 500 {
		fmt.Fprintf(&old, "n = %d\n", i)
	}
	require.NoError(t, os.WriteFile(history, []byte(old.String()), 0o600))
	s := startTerm(t, history)
	s.waitFor(0, PS1)
	require.Equal(t, 0, s.exit())
	data, err := os.ReadFile(history)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	assert.Len(t, lines, DefaultHistoryLimit, "the oldest lines are dropped")
	assert.Equal(t, fmt.Sprintf("n = %d", DefaultHistoryLimit+499), lines[len(lines)-1])
}

func TestTerminalTabCompletion(t *testing.T) {
	s := startTerm(t, "")
	at := s.waitFor(0, PS1)
	s.typeKeys("threading.Con\t")
	at = s.waitFor(at, "threading.Condition")
	s.typeKeys("\r")
	at = s.waitFor(at, "<built-in function Condition>\n")

	// Several candidates: a second Tab lists them.
	at = s.waitFor(at, PS1)
	s.typeKeys("q = queue.Queue()\r")
	at = s.waitFor(at, PS1)
	s.typeKeys("q.\t\t")
	at = s.waitFor(at, "task_done")
	s.typeKeys("\x03") // Ctrl-C leaves the list,
	at = s.waitFor(at, "\x1b[J\x1b[2K\r>>> q.")
	s.typeKeys("\x03") // and then drops the line
	s.waitFor(at, "KeyboardInterrupt\n")
	assert.Equal(t, 0, s.exit())
}

func TestTerminalCtrlCClearsTheLine(t *testing.T) {
	s := startTerm(t, "")
	at := s.waitFor(0, PS1)
	s.typeKeys("1 +")
	at = s.waitFor(at, "1 +")
	s.typeKeys("\x03")
	at = s.waitFor(at, "^C\n")
	at = s.waitFor(at, "KeyboardInterrupt\n")
	s.typeKeys("2 * 21\r")
	s.waitFor(at, "42\n")
	assert.Equal(t, 0, s.exit())
}

// A thread's output appears above the prompt, and the line being typed is
// drawn again after it, intact.
func TestTerminalOutputWhileTyping(t *testing.T) {
	s := startTerm(t, "")
	at := s.waitFor(0, PS1)
	s.typeKeys("threading.Thread(target=lambda: time.sleep(0.05) or print('bg done')).start()\r")
	at = s.waitFor(at, PS1)
	s.typeKeys("6 *")
	at = s.waitFor(at, "6 *")
	at = s.waitFor(at, "bg done\n")
	at = s.waitFor(at, PS1+"6 *") // the prompt and the typing, redrawn
	s.typeKeys(" 7\r")
	s.waitFor(at, "42\n")
	assert.Equal(t, 0, s.exit())
}
