package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Piped stdin: lines run as they come, and stdout has the values only.
func TestREPLPiped(t *testing.T) {
	stdout, stderr, code := runCLI(t, "x = 2\nx * 21\n")
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "42\n", stdout)

	stdout, stderr, code = runCLI(t, "def f(n):\n    return n + 1\n\nf(41)\nint('x')\nprint('goes on')\n", "repl")
	assert.Equal(t, 1, code, "an uncaught exception fails a piped session, as a script")
	assert.Equal(t, "42\ngoes on\n", stdout)
	assert.Contains(t, stderr, "ValueError: invalid literal for int() with base 10: 'x'")

	path := writeScript(t, "x = 40\ndef add(n):\n    return x + n\n")
	stdout, stderr, code = runCLI(t, "add(2)\nsys.argv\n", "-i", path, "a")
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "42\n['"+path+"', 'a']\n", stdout, "python -i: the script's globals at the prompt")
}

// The real command, stdin and stdout pipes: no prompt, banner or escape code.
func TestREPLPipedProcess(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "STARLAB_BE_MAIN=1", "STARLAB_HISTORY="+filepath.Join(t.TempDir(), "history"))
	cmd.Stdin = strings.NewReader("x = 2\nx * 21\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	assert.Equal(t, "42\n", stdout.String())
	assert.Empty(t, stderr.String())
}

// ptySession runs starlab on a pseudo-terminal, as a learner does: raw
// mode, the tty's own Ctrl-C (SIGINT while code runs), readline drawing.
type ptySession struct {
	t      *testing.T
	cmd    *exec.Cmd
	tty    *os.File
	mu     sync.Mutex
	screen bytes.Buffer
	done   chan struct{} // the copy from the terminal ended
	at     int           // how far the screen has been matched
}

func startPTY(t *testing.T, history string, args ...string) *ptySession {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "STARLAB_BE_MAIN=1", "STARLAB_HISTORY="+history, "TERM=xterm")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 200})
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	s := &ptySession{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			s.mu.Lock()
			s.screen.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		tty.Close()
	})
	return s
}

// expect waits for want on the screen after what was matched before.
func (s *ptySession) expect(want string) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s.mu.Lock()
		screen := s.screen.String()
		s.mu.Unlock()
		if i := strings.Index(screen[s.at:], want); i >= 0 {
			s.at += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited for %q; the screen since:\n%q", want, screen[s.at:])
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// prompt waits for a fresh prompt: readline draws an empty line as the
// prompt, a space and a backspace.
func (s *ptySession) prompt(ps string) {
	s.t.Helper()
	s.expect(ps + " \b")
}

func (s *ptySession) typeKeys(keys string) {
	s.t.Helper()
	_, err := io.WriteString(s.tty, keys)
	require.NoError(s.t, err)
}

// exitCode waits for starlab to end and returns its status.
func (s *ptySession) exitCode(within time.Duration) int {
	s.t.Helper()
	ended := make(chan error, 1)
	go func() { ended <- s.cmd.Wait() }()
	select {
	case <-ended:
		return s.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		s.t.Fatalf("starlab did not end within %v; the screen since:\n%q", within, s.screen.String()[s.at:])
		return -1
	}
}

func TestREPLOnATerminal(t *testing.T) {
	s := startPTY(t, filepath.Join(t.TempDir(), "history"))
	s.expect("Type help() for help, Ctrl-D to exit.")
	s.prompt(">>> ")
	s.typeKeys("x = 2\r")
	s.prompt(">>> ")
	s.typeKeys("x * 21\r")
	s.expect("42\r\n")
	s.prompt(">>> ")

	// A block, with the ... prompt.
	s.typeKeys("def f(n):\r")
	s.prompt("... ")
	s.typeKeys("    return n * 2\r\r")
	s.prompt(">>> ")
	s.typeKeys("f(21)\r")
	s.expect("42\r\n")
	s.prompt(">>> ")

	// Ctrl-C in a busy loop, and in blocked calls: the tty sends SIGINT.
	s.typeKeys("t = threading.Thread(target=time.sleep, args=(100,), daemon=True)\r")
	s.prompt(">>> ")
	s.typeKeys("t.start()\r")
	s.prompt(">>> ")
	s.typeKeys("q = queue.Queue()\r")
	s.prompt(">>> ")
	for _, blocking := range []string{
		"if True:\r    print('go')\r    while True: pass\r\r",
		"print('go'); time.sleep(100)\r",
		"print('go'); t.join()\r",
		"print('go'); q.get()\r",
	} {
		s.typeKeys(blocking)
		s.expect("go\r\n")                // it runs: the terminal is out of raw mode
		time.Sleep(20 * time.Millisecond) // let it spin, or block
		s.typeKeys("\x03")
		s.expect("KeyboardInterrupt\r\n")
		s.prompt(">>> ")
	}
	s.typeKeys("x\r")
	s.expect("2\r\n")
	s.prompt(">>> ")

	// Ctrl-C while typing clears the line.
	s.typeKeys("nonsense")
	s.expect("nonsense")
	s.typeKeys("\x03")
	s.expect("KeyboardInterrupt\r\n")
	s.prompt(">>> ")

	// Tab completion.
	s.typeKeys("threading.Con\t")
	s.expect("threading.Condition")
	s.typeKeys("\r")
	s.expect("<built-in function Condition>\r\n")
	s.prompt(">>> ")

	// A thread prints while a line is half typed: the line survives.
	s.typeKeys("threading.Thread(target=lambda: time.sleep(0.3) or print('bg done')).start()\r")
	s.prompt(">>> ")
	s.typeKeys("6 *")
	s.expect("6 *")
	s.expect("bg done\r\n")
	s.expect(">>> 6 *")
	s.typeKeys(" 7\r")
	s.expect("42\r\n")
	s.prompt(">>> ")

	// help.
	s.typeKeys("help(q.get)\r")
	s.expect("queue.Queue.get(block=True, timeout=None)")
	s.prompt(">>> ")

	s.typeKeys("\x04")
	assert.Equal(t, 0, s.exitCode(5*time.Second))
}

func TestREPLExitWaitsForThreads(t *testing.T) {
	s := startPTY(t, filepath.Join(t.TempDir(), "history"))
	s.prompt(">>> ")
	s.typeKeys("threading.Thread(target=time.sleep, args=(100,)).start()\r")
	s.prompt(">>> ")
	s.typeKeys("\x04")
	s.expect("waiting for 1 thread to finish; Ctrl-C to stop them")
	time.Sleep(50 * time.Millisecond)
	s.typeKeys("\x04") // a second Ctrl-D exits at once
	assert.Equal(t, 130, s.exitCode(5*time.Second))
}

func TestREPLHistoryAcrossSessions(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	s := startPTY(t, history)
	s.prompt(">>> ")
	s.typeKeys("40 + 2\r")
	s.expect("42\r\n")
	s.prompt(">>> ")
	s.typeKeys("\x04")
	require.Equal(t, 0, s.exitCode(5*time.Second))
	data, err := os.ReadFile(history)
	require.NoError(t, err)
	assert.Equal(t, "40 + 2\n", string(data))

	s = startPTY(t, history)
	s.prompt(">>> ")
	s.typeKeys("\x1b[A") // Up
	s.expect("40 + 2")
	s.typeKeys("\r")
	s.expect("42\r\n")
	s.prompt(">>> ")
	s.typeKeys("\x04")
	assert.Equal(t, 0, s.exitCode(5*time.Second))
}

// BenchmarkREPLStartup measures `starlab` from exec to its first prompt on a
// terminal (target: under 50 ms). It builds the command first (not timed),
// so that the test binary's own start-up is not counted:
//
//	go test ./cmd/starlab -run '^$' -bench REPLStartup
func BenchmarkREPLStartup(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "starlab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Skipf("cannot build starlab: %v\n%s", err, out)
	}
	for b.Loop() {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "STARLAB_HISTORY="+filepath.Join(dir, "history"))
		tty, err := pty.Start(cmd)
		if err != nil {
			b.Skipf("no pseudo-terminal here: %v", err)
		}
		var seen []byte
		buf := make([]byte, 4096)
		for !bytes.Contains(seen, []byte(">>> ")) {
			n, err := tty.Read(buf)
			if err != nil {
				b.Fatalf("no prompt: %v; got %q", err, seen)
			}
			seen = append(seen, buf[:n]...)
		}
		b.StopTimer()
		cmd.Process.Kill()
		cmd.Wait()
		tty.Close()
		b.StartTimer()
	}
}
