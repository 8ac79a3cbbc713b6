package runtest

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/interp"
)

// Background is a script running in real-time mode on its own goroutine,
// for tests that talk to it (a server) while it runs.
type Background struct {
	Interp *interp.Interp
	Stdout *SyncBuffer
	Stderr *SyncBuffer
	Stdin  *io.PipeWriter // what the script's input() reads
	done   chan int
}

// Start runs src (named name) with argv in the background. The test's
// cleanup interrupts it if it is still running.
func Start(t testing.TB, name, src string, argv ...string) *Background {
	t.Helper()
	pr, pw := io.Pipe()
	r := &Background{Stdout: &SyncBuffer{}, Stderr: &SyncBuffer{}, Stdin: pw, done: make(chan int, 1)}
	r.Interp = interp.New(interp.Options{
		Stdin:       pr,
		Stdout:      r.Stdout,
		Stderr:      r.Stderr,
		Argv:        append([]string{name}, argv...),
		Predeclared: Predeclared,
	})
	go func() {
		r.done <- r.Interp.Run(name, []byte(src))
		pw.Close()
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			r.Interp.Interrupt()
			select {
			case <-r.done:
			case <-time.After(10 * time.Second):
			}
		}
	})
	return r
}

// Wait waits for the run to end and returns its exit status.
func (r *Background) Wait(t testing.TB, timeout time.Duration) int {
	t.Helper()
	select {
	case code := <-r.done:
		r.done <- code // for Cleanup and a second Wait
		return code
	case <-time.After(timeout):
		t.Fatalf("the script did not finish within %v\nstdout:\n%s\nstderr:\n%s", timeout, r.Stdout, r.Stderr)
	}
	return 0
}

// RequireExit waits for the run and checks its status.
func (r *Background) RequireExit(t testing.TB, want int, timeout time.Duration) {
	t.Helper()
	code := r.Wait(t, timeout)
	require.Equal(t, want, code, "exit status\nstdout:\n%s\nstderr:\n%s", r.Stdout, r.Stderr)
}

// NeedPython returns the path of the python3 interpreter, or skips the
// test: interop tests need a real Python peer.
func NeedPython(t testing.TB) string {
	t.Helper()
	py := pythonPath()
	if py == "" {
		t.Skip("python3 not found: the interop tests need a Python 3 peer on 127.0.0.1")
	}
	return py
}

// pythonPath finds python3 once per test binary: the interpreter itself,
// not a wrapper (a pyenv shim costs ~0.5 s a start).
var pythonPath = sync.OnceValue(func() string {
	py, err := exec.LookPath("python3")
	if err != nil {
		return ""
	}
	if out, err := exec.Command(py, "-c", "import sys; print(sys.executable)").Output(); err == nil {
		if exe := strings.TrimSpace(string(out)); exe != "" {
			return exe
		}
	}
	return py
})

// Python is a Python 3 peer.
type Python struct {
	cmd    *exec.Cmd
	Stdout *SyncBuffer
	Stderr *SyncBuffer
	done   chan error
}

// StartPython runs src with python3 and args; the test's cleanup kills it.
func StartPython(t testing.TB, src string, args ...string) *Python {
	t.Helper()
	py := NeedPython(t)
	path := filepath.Join(t.TempDir(), "peer.py")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	p := &Python{Stdout: &SyncBuffer{}, Stderr: &SyncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.CommandContext(ctx, py, append([]string{path}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.Stdout, p.Stderr
	require.NoError(t, p.cmd.Start())
	go func() { p.done <- p.cmd.Wait(); cancel() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		p.done <- nil
	})
	return p
}

// RequireSuccess waits for the peer to exit 0.
func (p *Python) RequireSuccess(t testing.TB, timeout time.Duration) {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		require.NoError(t, err, "python peer\nstdout:\n%s\nstderr:\n%s", p.Stdout, p.Stderr)
	case <-time.After(timeout):
		t.Fatalf("the python peer did not finish within %v\nstdout:\n%s\nstderr:\n%s", timeout, p.Stdout, p.Stderr)
	}
}
