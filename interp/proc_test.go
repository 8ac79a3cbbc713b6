package interp

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

// Simulated processes at the scheduler's level: each has its own clock,
// which meets another's when one wakes the other; a process sees only its
// own threads; StopProc stops all of them.
func TestProcClocks(t *testing.T) {
	r := newSchedRun(t, SchedConfig{Sim: true, Seed: 1})
	s := r.s
	assert.Equal(t, 1000, s.MainProc().PID())
	assert.Equal(t, 2, s.CPUs())

	p := s.NewProc("Process-1")
	var seen []*Thread
	var startedAt, childEnd time.Duration
	child := s.SpawnProc(r.main, p, &starlark.Thread{Name: "p1"}, func(th *Thread) {
		startedAt = s.Now()
		seen = s.Threads()
		require.NoError(t, s.Sleep(th, time.Second))
		childEnd = s.Now()
	})
	assert.Equal(t, 1001, p.PID())
	assert.Equal(t, 1000, p.PPID())
	require.NoError(t, s.Sleep(r.main, 300*time.Millisecond))
	assert.Equal(t, 300*time.Millisecond, s.Now(), "the main process's own clock")
	require.NoError(t, s.Join(r.main, child, -1))
	assert.Equal(t, time.Duration(0), startedAt, "a child starts at its parent's time")
	assert.Equal(t, []*Thread{child}, seen, "a process sees its own threads only")
	assert.True(t, child.IsMain())
	assert.Equal(t, time.Second, childEnd)
	assert.Equal(t, time.Second, s.Now(), "joining moved the parent's clock to the child's end")

	q := s.NewProc("Process-2")
	var stopped error
	var never WaitQueue
	qt := s.SpawnProc(r.main, q, &starlark.Thread{Name: "p2"}, func(th *Thread) {
		_, stopped = s.Wait(th, &never, "forever", -1)
	})
	assert.Len(t, s.Threads(), 1, "the main process's threads: main only")
	s.StopProc(q)
	require.NoError(t, s.Join(r.main, qt, -1))
	assert.True(t, IsKilled(stopped), "a stopped process's thread unwinds: %v", stopped)
	r.finish(t)
}
