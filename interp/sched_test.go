package interp

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp/trace"
)

// Unit tests of the scheduler alone: Go code plays the threads, through the
// same calls the modules make (WaitUntil, WakeOne, Sleep, Join, External),
// with no Starlark module loaded.

// schedRun is a scheduler whose main thread is the test's goroutine.
type schedRun struct {
	s    *Scheduler
	main *Thread
	mu   sync.Mutex
	log  []string // what the threads did, in order
}

func newSchedRun(t *testing.T, cfg SchedConfig) *schedRun {
	t.Helper()
	r := &schedRun{}
	r.s = NewScheduler(cfg)
	r.main = r.s.StartMain(&starlark.Thread{Name: "main"})
	return r
}

func (r *schedRun) say(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, what)
}

// spawn starts a thread running body; the caller holds the baton.
func (r *schedRun) spawn(name string, body func(t *Thread)) *Thread {
	return r.s.Spawn(r.main, &starlark.Thread{Name: name}, name, false, body)
}

// finish joins every other thread and ends the main one, as a run's exit does.
func (r *schedRun) finish(t *testing.T) {
	t.Helper()
	for _, th := range r.s.Threads() {
		if th != r.main {
			require.NoError(t, r.s.Join(r.main, th, -1))
		}
	}
	r.s.exit(r.main)
	r.s.Close()
}

var bothModes = []SchedConfig{{}, {Sim: true, Seed: 1}, {Sim: true, Seed: 2}, {Sim: true, Seed: 3}}

// A consumer parked in WaitUntil wakes when the producer changes the state
// and calls WakeOne, and sees the state it waited for.
func TestSchedWaitUntilWakes(t *testing.T) {
	for _, cfg := range bothModes {
		r := newSchedRun(t, cfg)
		var q WaitQueue
		items := 0
		r.spawn("consumer", func(t *Thread) {
			for got := 0; got < 3; got++ {
				ok, err := r.s.WaitUntil(t, &q, -1, func() string { return "Queue.get" }, func() bool { return items > 0 })
				if !ok || err != nil {
					r.say("consumer failed")
					return
				}
				items--
				r.say("got")
			}
		})
		for i := 0; i < 3; i++ {
			items++
			r.say("put")
			r.s.WakeOne(&q)
			require.NoError(t, r.s.Sleep(r.main, time.Millisecond))
		}
		r.finish(t)
		assert.Equal(t, []string{"put", "got", "put", "got", "put", "got"}, r.log, "sim=%v seed=%d", cfg.Sim, cfg.Seed)
		assert.Equal(t, 0, q.Len())
	}
}

// A wait with a timeout ends on the run's clock: in sim mode after exactly
// the timeout (rounded up to the 1 ms tick), with no real time spent.
func TestSchedWaitUntilTimesOutOnVirtualClock(t *testing.T) {
	r := newSchedRun(t, SchedConfig{Sim: true, Seed: 7})
	var q WaitQueue
	start := time.Now()
	before := r.s.Now()
	ok, err := r.s.WaitUntil(r.main, &q, 90*time.Second, func() string { return "Event.wait" }, func() bool { return false })
	require.NoError(t, err)
	assert.False(t, ok, "nothing made it ready: a timeout")
	waited := r.s.Now() - before
	assert.GreaterOrEqual(t, waited, 90*time.Second)
	assert.Less(t, waited, 90*time.Second+2*time.Millisecond)
	assert.Less(t, time.Since(start), 5*time.Second, "virtual time is not real time")
	r.finish(t)
}

// A zero timeout only tests the condition; it never parks.
func TestSchedWaitUntilZeroTimeoutPolls(t *testing.T) {
	r := newSchedRun(t, SchedConfig{})
	var q WaitQueue
	ok, err := r.s.WaitUntil(r.main, &q, 0, func() string { return "Lock.acquire" }, func() bool { return false })
	require.NoError(t, err)
	assert.False(t, ok)
	ok, err = r.s.WaitUntil(r.main, &q, 0, func() string { return "Lock.acquire" }, func() bool { return true })
	require.NoError(t, err)
	assert.True(t, ok)
	r.finish(t)
}

// A wake-up that finds the condition false again waits again: WakeAll of
// two waiters when only one item is there lets exactly one through.
func TestSchedWaitUntilRechecksAfterWake(t *testing.T) {
	for _, cfg := range bothModes {
		r := newSchedRun(t, cfg)
		var q WaitQueue
		items := 0
		taken := 0
		for _, name := range []string{"a", "b"} {
			r.spawn(name, func(t *Thread) {
				ok, err := r.s.WaitUntil(t, &q, 50*time.Millisecond, func() string { return "Queue.get" }, func() bool { return items > 0 })
				if err == nil && ok {
					items--
					taken++
				}
			})
		}
		items = 1
		r.s.WakeAll(&q)
		r.finish(t)
		assert.Equal(t, 1, taken, "one item, one taker (sim=%v seed=%d)", cfg.Sim, cfg.Seed)
		assert.Equal(t, 0, items)
	}
}

// When no thread can run, none is in an external wait and no timer is
// pending, the scheduler reports a deadlock naming every thread's wait,
// and stops the threads instead of hanging.
func TestSchedDeadlockReport(t *testing.T) {
	for _, cfg := range bothModes {
		r := newSchedRun(t, cfg)
		var lock1, lock2 WaitQueue
		r.spawn("Thread-1", func(th *Thread) {
			_, err := r.s.WaitUntil(th, &lock2, -1, func() string { return "Lock.acquire Lock-2" }, func() bool { return false })
			if IsKilled(err) {
				r.say("Thread-1 stopped")
			}
		})
		_, err := r.s.WaitUntil(r.main, &lock1, -1, func() string { return "Lock.acquire Lock-1" }, func() bool { return false })
		assert.True(t, IsKilled(err), "the main thread is stopped too: %v", err)
		rep := r.s.Deadlock()
		require.NotNil(t, rep)
		reasons := map[string]string{}
		for _, w := range rep.Threads {
			reasons[w.Name] = w.Reason
		}
		assert.Equal(t, map[string]string{"MainThread": "Lock.acquire Lock-1", "Thread-1": "Lock.acquire Lock-2"}, reasons)
		others := r.s.Threads()
		r.s.exit(r.main) // gives the baton to the stopped threads, as a run's exit does
		for _, th := range others {
			<-th.Done()
		}
		r.s.Close()
		assert.Equal(t, []string{"Thread-1 stopped"}, r.log, "a deadlocked thread is stopped")
	}
}

// An external wait (the OS will wake it) is not a deadlock, even when every
// other thread is parked: the scheduler idles until it returns.
func TestSchedExternalWaitIsNoDeadlock(t *testing.T) {
	r := newSchedRun(t, SchedConfig{})
	var q WaitQueue
	ready := false
	r.spawn("waiter", func(t *Thread) {
		ok, err := r.s.WaitUntil(t, &q, -1, func() string { return "Event.wait" }, func() bool { return ready })
		if ok && err == nil {
			r.say("woken")
		}
	})
	err := r.s.External(r.main, "recv", func(cancel <-chan struct{}) error {
		select {
		case <-time.After(30 * time.Millisecond):
		case <-cancel:
		}
		return nil
	})
	require.NoError(t, err)
	ready = true
	r.s.WakeOne(&q)
	r.finish(t)
	assert.Nil(t, r.s.Deadlock())
	assert.Equal(t, []string{"woken"}, r.log)
}

// Stop ends every wait with an error that unwinds the thread, and says why.
func TestSchedStopEndsWaits(t *testing.T) {
	r := newSchedRun(t, SchedConfig{})
	var q WaitQueue
	r.spawn("sleeper", func(t *Thread) {
		_, err := r.s.WaitUntil(t, &q, time.Hour, func() string { return "sleep" }, func() bool { return false })
		if IsKilled(err) {
			r.say("stopped")
		}
	})
	go func() {
		time.Sleep(20 * time.Millisecond)
		r.s.Stop("the test's budget")
	}()
	err := r.s.Sleep(r.main, time.Hour)
	assert.True(t, IsKilled(err))
	others := r.s.Threads()
	r.s.exit(r.main) // gives the baton to the stopped threads, as a run's exit does
	for _, th := range others {
		<-th.Done()
	}
	r.s.Close()
	assert.Equal(t, "the test's budget", r.s.Stopped())
	assert.Equal(t, []string{"stopped"}, r.log)
}

// In sim mode the schedule is a function of the seed: the same seed gives
// the same events, another seed (usually) other ones.
func TestSchedSimReplaysBySeed(t *testing.T) {
	events := func(seed int64) []string {
		var out []string
		rec := trace.RecorderFunc(func(e trace.Event) {
			out = append(out, e.Kind.String()+" "+e.Name+" "+e.Reason+" "+e.At.String())
		})
		r := newSchedRun(t, SchedConfig{Sim: true, Seed: seed, Recorder: rec})
		for i := 0; i < 4; i++ {
			r.spawn("worker", func(t *Thread) {
				for j := 0; j < 3; j++ {
					r.s.Sleep(t, time.Duration(1+j)*time.Millisecond)
					r.s.Yield(t)
				}
			})
		}
		r.finish(t)
		return out
	}
	a := events(11)
	assert.Equal(t, a, events(11), "the same seed replays")
	differs := false
	for seed := int64(12); seed < 20 && !differs; seed++ {
		differs = !assert.ObjectsAreEqual(a, events(seed))
	}
	assert.True(t, differs, "other seeds explore other schedules")
}

// Join waits for a thread's end; with a timeout it gives up on the clock.
func TestSchedJoin(t *testing.T) {
	r := newSchedRun(t, SchedConfig{Sim: true, Seed: 3})
	worker := r.spawn("worker", func(t *Thread) {
		r.s.Sleep(t, 2*time.Second)
		r.say("done")
	})
	start := r.s.Now()
	require.NoError(t, r.s.Join(r.main, worker, time.Second))
	assert.True(t, worker.Alive(), "join(1) returns before a 2 s sleep ends")
	assert.Equal(t, time.Second, r.s.Now()-start)
	require.NoError(t, r.s.Join(r.main, worker, -1))
	assert.False(t, worker.Alive())
	r.finish(t)
	assert.Equal(t, []string{"done"}, r.log)
}
