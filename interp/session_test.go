package interp_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

func newSession(t *testing.T) (*interp.Session, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	it := interp.New(interp.Options{
		Stdout: &stdout, Stderr: &stderr, Predeclared: builtins.Predeclared,
		Sched: interp.SchedConfig{Interactive: true},
	})
	return it.NewSession(), &stdout, &stderr
}

func chunk(t *testing.T, s *interp.Session, src string) (starlark.Value, error) {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	f, err := s.Parse("<stdin>", func() ([]byte, error) {
		if len(lines) == 0 {
			return nil, nil
		}
		l := lines[0]
		lines = lines[1:]
		return []byte(l), nil
	})
	require.NoError(t, err)
	return s.Exec(f)
}

func TestSessionChunks(t *testing.T) {
	s, stdout, stderr := newSession(t)
	_, err := chunk(t, s, "x = 20\n")
	require.NoError(t, err)
	v, err := chunk(t, s, "x * 2 + 2\n")
	require.NoError(t, err)
	assert.Equal(t, "42", v.String())

	// A thread started at the prompt runs while the session waits for input.
	_, err = chunk(t, s, "def bg():\n    time.sleep(0.01)\n    print('bg done')\n\n")
	require.NoError(t, err)
	_, err = chunk(t, s, "threading.Thread(target=bg).start()\n")
	require.NoError(t, err)
	require.NoError(t, s.Wait("input()", func(cancel <-chan struct{}) error {
		time.Sleep(100 * time.Millisecond) // "typing"
		return nil
	}))
	assert.Equal(t, "bg done\n", stdout.String())

	// An error is reported and the session goes on.
	_, err = chunk(t, s, "int('x')\n")
	require.Error(t, err)
	s.ReportError(stderr, err)
	assert.Contains(t, stderr.String(), "ValueError: invalid literal for int() with base 10: 'x'")
	v, err = chunk(t, s, "x\n")
	require.NoError(t, err)
	assert.Equal(t, "20", v.String())

	// A deadlock at the prompt is reported, and the prompt comes back.
	stderr.Reset()
	_, err = chunk(t, s, "l = threading.Lock()\n")
	require.NoError(t, err)
	_, err = chunk(t, s, "l.acquire()\n")
	require.NoError(t, err)
	_, err = chunk(t, s, "l.acquire()\n")
	require.Error(t, err)
	s.ReportError(stderr, err)
	assert.Contains(t, stderr.String(), "starlab: deadlock")
	assert.Contains(t, stderr.String(), "MainThread  waits for Lock.acquire (held by MainThread)")
	assert.Contains(t, stderr.String(), "RuntimeError: deadlock")
	_, err = chunk(t, s, "l.release()\n")
	require.NoError(t, err)

	assert.Equal(t, 0, s.Close())
}

func TestSessionCloseWaitsForThreads(t *testing.T) {
	s, stdout, _ := newSession(t)
	_, err := chunk(t, s, "threading.Thread(target=lambda: time.sleep(0.05) or print('late')).start()\n")
	require.NoError(t, err)
	assert.Equal(t, 1, s.NonDaemonAlive())
	assert.Equal(t, 0, s.Close())
	assert.Equal(t, "late\n", stdout.String())
}

func TestSessionInterruptWhileWaiting(t *testing.T) {
	var stdout bytes.Buffer
	it := interp.New(interp.Options{Stdout: &stdout, Predeclared: builtins.Predeclared, Sched: interp.SchedConfig{Interactive: true}})
	s := it.NewSession()
	go func() {
		time.Sleep(20 * time.Millisecond)
		it.Interrupt()
	}()
	err := s.Wait("input()", func(cancel <-chan struct{}) error {
		<-cancel
		return nil
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "KeyboardInterrupt")
	v, err := chunk(t, s, "1 + 1\n")
	require.NoError(t, err, "the interrupt must not stick")
	assert.Equal(t, "2", v.String())
	assert.Equal(t, 0, s.Close())
}

// TestSessionDialect: the REPL has the script's dialect: imports, f-strings,
// Python's % and format, and a hint for pasted Python it cannot run.
func TestSessionDialect(t *testing.T) {
	s, _, stderr := newSession(t)
	_, err := chunk(t, s, "from queue import Queue\n")
	require.NoError(t, err)
	v, err := chunk(t, s, "f\"{Queue().qsize():>3}|\" + \"%-4s|\" % 'ab' + '{:,}'.format(1234)\n")
	require.NoError(t, err)
	assert.Equal(t, `"  0|ab  |1,234"`, v.String())

	lines := []string{"with lock:\n", "    pass\n", "\n"}
	_, err = s.Parse("<stdin>", func() ([]byte, error) {
		l := lines[0]
		lines = lines[1:]
		return []byte(l), nil
	})
	require.Error(t, err)
	s.ReportError(stderr, err)
	assert.Contains(t, stderr.String(), "use lock.acquire() / lock.release()")
}
