package builtins_test

import (
	"bufio"
	"bytes"
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
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// Helpers for the socket tests: a starlab run in the background whose
// output the test reads as it comes, and Python 3 peers.

// needPython returns the path of the python3 interpreter, or skips the
// test: the interop tests need a real Python peer.
func needPython(t *testing.T) string {
	t.Helper()
	pythonOnce.Do(func() {
		py, err := exec.LookPath("python3")
		if err != nil {
			return
		}
		pythonPath = py
		// The interpreter itself, not a wrapper: a pyenv shim costs ~0.5 s a start.
		if out, err := exec.Command(py, "-c", "import sys; print(sys.executable)").Output(); err == nil {
			if exe := strings.TrimSpace(string(out)); exe != "" {
				pythonPath = exe
			}
		}
	})
	if pythonPath == "" {
		t.Skip("python3 not found: the interop tests need a Python 3 peer on 127.0.0.1")
	}
	return pythonPath
}

var (
	pythonOnce sync.Once
	pythonPath string
)

// lineWriter collects a run's output and lets a test wait for a line.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	added chan struct{} // closed and replaced on every write
}

func newLineWriter() *lineWriter { return &lineWriter{added: make(chan struct{})} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	close(w.added)
	w.added = make(chan struct{})
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitLine waits for a complete line that starts with prefix and returns
// the rest of it.
func (w *lineWriter) waitLine(t *testing.T, prefix string, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		w.mu.Lock()
		text, added := w.buf.String(), w.added
		w.mu.Unlock()
		for _, line := range strings.SplitAfter(text, "\n") {
			if rest, ok := strings.CutPrefix(line, prefix); ok && strings.HasSuffix(rest, "\n") {
				return strings.TrimSpace(rest)
			}
		}
		select {
		case <-added:
		case <-deadline:
			t.Fatalf("no line %q within %v; output so far:\n%s", prefix, timeout, text)
		}
	}
}

// starRun is a script running in real-time mode on its own goroutine.
type starRun struct {
	it     *interp.Interp
	stdout *lineWriter
	stderr *lineWriter
	stdin  *io.PipeWriter
	done   chan int
}

// startStar runs src (named name) with argv; its stdin is a pipe the test
// writes to.
func startStar(t *testing.T, name, src string, argv ...string) *starRun {
	t.Helper()
	pr, pw := io.Pipe()
	r := &starRun{stdout: newLineWriter(), stderr: newLineWriter(), stdin: pw, done: make(chan int, 1)}
	r.it = interp.New(interp.Options{
		Stdin:  pr,
		Stdout: r.stdout,
		Stderr: r.stderr,
		Argv:   append([]string{name}, argv...),
		Predeclared: func(it *interp.Interp) starlark.StringDict {
			d := builtins.Predeclared(it)
			d["assert_eq"] = starlark.NewBuiltin("assert_eq", assertEq)
			return d
		},
	})
	go func() {
		r.done <- r.it.Run(name, []byte(src))
		pw.Close()
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			r.it.Interrupt()
			select {
			case <-r.done:
			case <-time.After(10 * time.Second):
			}
		}
	})
	return r
}

// wait waits for the run to end and returns its exit status.
func (r *starRun) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case code := <-r.done:
		r.done <- code // for Cleanup
		return code
	case <-time.After(timeout):
		t.Fatalf("the script did not finish within %v\nstdout:\n%s\nstderr:\n%s", timeout, r.stdout, r.stderr)
	}
	return 0
}

// requireExit waits for the run and checks its status.
func (r *starRun) requireExit(t *testing.T, want int, timeout time.Duration) {
	t.Helper()
	code := r.wait(t, timeout)
	require.Equal(t, want, code, "exit status\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
}

// pyProc is a Python 3 peer.
type pyProc struct {
	cmd    *exec.Cmd
	stdout *lineWriter
	stderr *lineWriter
	done   chan error
}

// startPython runs src with python3 and args.
func startPython(t *testing.T, src string, args ...string) *pyProc {
	t.Helper()
	py := needPython(t)
	path := filepath.Join(t.TempDir(), "peer.py")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	p := &pyProc{stdout: newLineWriter(), stderr: newLineWriter(), done: make(chan error, 1)}
	p.cmd = exec.CommandContext(ctx, py, append([]string{path}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	require.NoError(t, p.cmd.Start())
	go func() { p.done <- p.cmd.Wait(); cancel() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		p.done <- nil
	})
	return p
}

// requireSuccess waits for the peer to exit 0.
func (p *pyProc) requireSuccess(t *testing.T, timeout time.Duration) {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		require.NoError(t, err, "python peer\nstdout:\n%s\nstderr:\n%s", p.stdout, p.stderr)
	case <-time.After(timeout):
		t.Fatalf("the python peer did not finish within %v\nstdout:\n%s\nstderr:\n%s", timeout, p.stdout, p.stderr)
	}
}

// scanLines is a small helper for reading a file's lines in tests.
func scanLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}
