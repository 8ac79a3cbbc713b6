package threading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// A deadlock report draws the cycle of locks: who holds which lock (by
// name and the line that made it) and waits for which; a lock its waiter
// holds itself; a lock held by a thread that has ended.
func TestDeadlockReportShowsTheCycle(t *testing.T) {
	t.Parallel()
	src := `a = threading.Lock()
b = threading.Lock()
go = threading.Barrier(2)
def one():
    a.acquire()
    go.wait()
    b.acquire()
def two():
    b.acquire()
    go.wait()
    a.acquire()
t1 = threading.Thread(target=one, name="T1")
t2 = threading.Thread(target=two, name="T2")
t1.start()
t2.start()
t1.join()
`
	r := runtest.Run(t, "cycle.star", []byte(src), runtest.Options{Sched: interp.SchedConfig{Sim: true, Seed: 1}})
	require.Equal(t, interp.ExitDeadlock, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "the cycle: each thread holds a lock the next one waits for:")
	assert.Contains(t, r.Stderr, "T1 waits for Lock-2 (made at cycle.star:2), held by T2")
	assert.Contains(t, r.Stderr, "T2 waits for Lock-1 (made at cycle.star:1), held by T1")
	assert.Contains(t, r.Stderr, "MainThread  waits for join T1")
	assert.NotContains(t, r.Stderr, "the main module has ended", "the main thread is still in the module")

	self := "l = threading.Lock()\nl.acquire()\nl.acquire()\n"
	r = runtest.Run(t, "self.star", []byte(self), runtest.Options{Sched: interp.SchedConfig{Sim: true, Seed: 1}})
	require.Equal(t, interp.ExitDeadlock, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "MainThread waits for Lock-1 (made at self.star:1), which it holds itself")

	ended := "l = threading.RLock()\nt = threading.Thread(target=l.acquire, name=\"T\")\nt.start()\nt.join()\nl.acquire()\n"
	r = runtest.Run(t, "ended.star", []byte(ended), runtest.Options{Sched: interp.SchedConfig{Sim: true, Seed: 1}})
	require.Equal(t, interp.ExitDeadlock, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "MainThread waits for RLock-1 (made at ended.star:1), held by T, which has ended without releasing it")
}
