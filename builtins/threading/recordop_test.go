package threading_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// The primitives report their operations to the run's recorder as the
// comment of interp.Scheduler.RecordOp describes. These tests run scripts
// with a recorder (runtest.Ops) and check the events: their names, order
// and values, and that replaying acquires and releases never shows more
// holders than a primitive allows. The queues' are in package queue.

// recordConfigs are the modes a sequence test runs in: real time, and sim
// mode with a few seeds.
var recordConfigs = []interp.SchedConfig{{}, {Sim: true, Seed: 1}, {Sim: true, Seed: 2}, {Sim: true, Seed: 3}}

func TestRecordOpSequences(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		src  string
		want []string
	}{
		{"lock", `
l = threading.Lock()
l.acquire()
l.release()
assert_eq(l.acquire(timeout = 1), True)   # the slow path
assert_eq(l.acquire(blocking = False), False)  # fails: no event
l.release()
try_(l.release, except_ = (RuntimeError, lambda e: None))  # fails: no event
`, []string{
			"MainThread Lock-1 acquire 1",
			"MainThread Lock-1 release 0",
			"MainThread Lock-1 acquire 1",
			"MainThread Lock-1 release 0",
		}},
		{"rlock", `
r = threading.RLock()
r.acquire()
r.acquire()
r.acquire(timeout = 1)
r.release()
r.release()
r.release()
try_(r.release, except_ = (RuntimeError, lambda e: None))  # fails: no event
`, []string{
			"MainThread RLock-1 acquire 1",
			"MainThread RLock-1 acquire 2",
			"MainThread RLock-1 acquire 3",
			"MainThread RLock-1 release 2",
			"MainThread RLock-1 release 1",
			"MainThread RLock-1 release 0",
		}},
		{"semaphore", `
s = threading.Semaphore(2)
b = threading.BoundedSemaphore()
s.acquire()
s.acquire()
assert_eq(s.acquire(blocking = False), False)  # fails: no event
s.release(2)  # one release per unit
s.acquire(timeout = 1)
b.acquire()
b.release()
try_(b.release, except_ = (ValueError, lambda e: None))  # fails: no event
`, []string{
			"MainThread Semaphore-1 acquire 1",
			"MainThread Semaphore-1 acquire 0",
			"MainThread Semaphore-1 release 1",
			"MainThread Semaphore-1 release 2",
			"MainThread Semaphore-1 acquire 1",
			"MainThread BoundedSemaphore-1 acquire 0",
			"MainThread BoundedSemaphore-1 release 1",
		}},
		{"event", `
e = threading.Event()
assert_eq(e.wait(0), False)
assert_eq(e.wait(0.001), False)
e.set()
assert_eq(e.wait(), True)
e.clear()
def setter():
    e.set()
t = threading.Thread(target = setter, name = "setter")
t.start()
assert_eq(e.wait(), True)  # returns once the setter has set it
t.join()
`, []string{
			"MainThread Event-1 wait 0",
			"MainThread Event-1 wait 0",
			"MainThread Event-1 set 1",
			"MainThread Event-1 wait 1",
			"MainThread Event-1 clear 0",
			"setter Event-1 set 1",
			"MainThread Event-1 wait 1", // reported as wait returns: after the set
		}},
		{"condition_lock", `
c = threading.Condition(threading.Lock())
def notifier():
    c.acquire()  # gets in once the main thread waits
    c.notify()
    c.release()
c.acquire()
t = threading.Thread(target = notifier, name = "N")
t.start()
assert_eq(c.wait(), True)
c.release()
t.join()
c.acquire()
assert_eq(c.wait(0), False)
c.notify_all()
c.release()
`, []string{
			"MainThread Lock-1 acquire 1",
			"MainThread Lock-1 release 0", // the lock's, as wait gives it up
			"N Lock-1 acquire 1",
			"N Condition-1 notify 1",
			"N Lock-1 release 0",
			"MainThread Lock-1 acquire 1",   // wait takes it back...
			"MainThread Condition-1 wait 1", // ...and returns
			"MainThread Lock-1 release 0",
			"MainThread Lock-1 acquire 1",
			"MainThread Lock-1 release 0",
			"MainThread Lock-1 acquire 1",
			"MainThread Condition-1 wait 0",
			"MainThread Condition-1 notify 0",
			"MainThread Lock-1 release 0",
		}},
		{"condition_rlock", `
c = threading.Condition()  # its own RLock
c.acquire()
c.acquire()
assert_eq(c.wait(0.001), False)
c.release()
c.release()
`, []string{
			"MainThread RLock-1 acquire 1",
			"MainThread RLock-1 acquire 2",
			"MainThread RLock-1 release 1", // one release per level
			"MainThread RLock-1 release 0",
			"MainThread RLock-1 acquire 1",
			"MainThread RLock-1 acquire 2",
			"MainThread Condition-1 wait 0",
			"MainThread RLock-1 release 1",
			"MainThread RLock-1 release 0",
		}},
		{"barrier", `
b = threading.Barrier(1)
assert_eq(b.wait(), 0)
assert_eq(b.wait(), 0)
b.abort()
try_(b.wait, except_ = (threading.BrokenBarrierError, lambda e: None))  # fails: no event
b.reset()
`, []string{
			"MainThread Barrier-1 wait 0",
			"MainThread Barrier-1 wait 0",
			"MainThread Barrier-1 abort 0",
			"MainThread Barrier-1 reset 0",
		}},
		{"timer", `
done = []
t = threading.Timer(0.001, lambda: done.append(1))
t.name = "T"
t.start()
t.join()
c = threading.Timer(100, lambda: done.append(2))
c.name = "C"
c.cancel()
c.start()
c.join()
assert_eq(done, [1])
`, []string{
			// A Timer's finished is an Event, as in CPython.
			"T Event-1 wait 0",
			"T Event-1 set 1",
			"MainThread Event-2 set 1",
			"C Event-2 wait 1",
			"C Event-2 set 1",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, cfg := range recordConfigs {
				ops := runtest.Ops(t, c.name+".star", c.src, cfg)
				assert.Equal(t, c.want, runtest.OpStrings(ops), "sim=%v seed=%d", cfg.Sim, cfg.Seed)
				for _, e := range ops {
					if c.name == "timer" && e.Name != "MainThread" {
						continue // a timer's own thread runs no line of the script
					}
					assert.Equal(t, c.name+".star", e.Pos.Filename(), "the event's position is in the script: %v", e)
				}
			}
		})
	}
}

// TestRecordOpEventWaitWokenBySet: a waiter that set() woke reports wait 1,
// after the set.
func TestRecordOpEventWaitWokenBySet(t *testing.T) {
	t.Parallel()
	src := `
e = threading.Event()
def waiter():
    assert_eq(e.wait(), True)
t = threading.Thread(target = waiter, name = "W")
t.start()
time.sleep(0.01)
e.set()
t.join()
`
	for _, cfg := range recordConfigs {
		got := runtest.OpStrings(runtest.Ops(t, "event_waiter.star", src, cfg))
		assert.Equal(t, []string{"MainThread Event-1 set 1", "W Event-1 wait 1"}, got, "sim=%v seed=%d", cfg.Sim, cfg.Seed)
	}
}

// TestRecordOpBarrierIndexes: each party's wait reports the index it returns.
func TestRecordOpBarrierIndexes(t *testing.T) {
	t.Parallel()
	src := `
b = threading.Barrier(3)
got = {}
def party(name):
    got[name] = b.wait()
ts = [threading.Thread(target = party, args = (n,), name = n) for n in ("A", "B")]
for t in ts:
    t.start()
got["MainThread"] = b.wait()
for t in ts:
    t.join()
assert_eq(sorted(got.values()), [0, 1, 2])
print(" ".join(["%s=%d" % (k, got[k]) for k in sorted(got)]))
`
	for _, cfg := range recordConfigs {
		ops := runtest.Ops(t, "barrier3.star", src, cfg)
		var got []string
		for _, e := range ops {
			require.Equal(t, "Barrier-1", e.Object)
			require.Equal(t, trace.WaitOp, e.Op)
			got = append(got, fmt.Sprintf("%s=%d", e.Name, e.Value))
		}
		sort.Strings(got)
		require.Len(t, got, 3)
		seen := map[int]bool{}
		for _, e := range ops {
			seen[e.Value] = true
		}
		assert.Equal(t, map[int]bool{0: true, 1: true, 2: true}, seen, "sim=%v seed=%d: %v", cfg.Sim, cfg.Seed, got)
	}
}

// holdersScript has 10 threads through a BoundedSemaphore(2) and a Lock,
// and consumers that wait on a Condition(Lock()) and on a Condition() whose
// RLock they hold twice while they wait.
const holdersScript = `
sem = threading.BoundedSemaphore(2)
lock = threading.Lock()
cond = threading.Condition(threading.Lock())
rcond = threading.Condition()
state = {"items": 0, "ritems": 0}

def busy():
    n = 0
    for k in range(30):
        n += k
    return n

def worker(i):
    sem.acquire()
    busy()
    time.sleep(0.001 * (i % 3))
    busy()
    sem.release()
    lock.acquire()
    busy()
    lock.release()

def producer():
    for i in range(10):
        cond.acquire()
        state["items"] += 1
        cond.notify()
        cond.release()
        rcond.acquire()
        state["ritems"] += 1
        rcond.notify_all()
        rcond.release()
        busy()

def consumer(n):
    for i in range(n):
        cond.acquire()
        while state["items"] == 0:
            cond.wait()
        state["items"] -= 1
        cond.release()
        rcond.acquire()
        rcond.acquire()
        rcond.wait_for(lambda: state["ritems"] > 0)
        state["ritems"] -= 1
        rcond.release()
        rcond.release()

ts = [threading.Thread(target = worker, args = (i,)) for i in range(10)]
ts += [threading.Thread(target = consumer, args = (n,)) for n in (4, 6)]
ts.append(threading.Thread(target = producer))
for t in ts:
    t.start()
for t in ts:
    t.join()
assert_eq(state, {"items": 0, "ritems": 0})
`

// TestRecordOpHolders replays the acquire and release events of many sim
// runs: a BoundedSemaphore(2) never has more than 2 holders, a Lock (the
// plain one and a Condition's, across wait) never more than 1, an RLock
// never more than one owning thread; and every value is the count the
// replay computes.
func TestRecordOpHolders(t *testing.T) {
	t.Parallel()
	var waits, notifies int
	check := func(cfg interp.SchedConfig) {
		ops := runtest.Ops(t, "holders.star", holdersScript, cfg)
		where := fmt.Sprintf("sim=%v seed=%d", cfg.Sim, cfg.Seed)
		held := map[string]int{}              // Lock, semaphore: acquires - releases
		levels := map[string]map[string]int{} // RLock: per thread
		most := map[string]int{}              // the most holders seen, per object
		for i, e := range ops {
			kind, _, _ := strings.Cut(e.Object, "-")
			at := fmt.Sprintf("%s: event %d %v", where, i, runtest.OpStrings([]trace.Event{e}))
			switch {
			case e.Op == trace.WaitOp && kind == "Condition":
				waits++
				continue
			case e.Op == trace.Notify:
				notifies++
				continue
			case e.Op != trace.Acquire && e.Op != trace.Release:
				continue
			}
			delta := 1
			if e.Op == trace.Release {
				delta = -1
			}
			switch kind {
			case "Lock":
				held[e.Object] += delta
				require.Equal(t, held[e.Object], e.Value, at)
				require.LessOrEqual(t, held[e.Object], 1, "two holders of a Lock: %s", at)
			case "BoundedSemaphore":
				held[e.Object] += delta
				require.Equal(t, 2-held[e.Object], e.Value, "the value is the counter: %s", at)
				require.LessOrEqual(t, held[e.Object], 2, "three holders of a BoundedSemaphore(2): %s", at)
			case "RLock":
				if levels[e.Object] == nil {
					levels[e.Object] = map[string]int{}
				}
				levels[e.Object][e.Name] += delta
				require.Equal(t, levels[e.Object][e.Name], e.Value, "the value is the recursion count: %s", at)
				owners := 0
				for _, n := range levels[e.Object] {
					if n > 0 {
						owners++
					}
				}
				require.LessOrEqual(t, owners, 1, "two owners of an RLock: %s", at)
				held[e.Object] = owners
			default:
				t.Fatalf("unexpected object: %s", at)
			}
			require.GreaterOrEqual(t, held[e.Object], 0, "released more than acquired: %s", at)
			most[e.Object] = max(most[e.Object], held[e.Object])
		}
		for obj, n := range held {
			assert.Equal(t, 0, n, "%s: %s still held at the end", where, obj)
		}
		// Every object took part, and the semaphore was full at times.
		assert.Equal(t, map[string]int{"BoundedSemaphore-1": 2, "Lock-1": 1, "Lock-2": 1, "RLock-1": 1}, most, where)
	}
	for seed := int64(1); seed <= 50; seed++ {
		check(interp.SchedConfig{Sim: true, Seed: seed})
	}
	check(interp.SchedConfig{})
	assert.Positive(t, waits, "consumers waited on the conditions")
	assert.Positive(t, notifies)
}

// TestRecordOpNamesPerRun: objects are numbered per kind, from 1 in each run.
func TestRecordOpNamesPerRun(t *testing.T) {
	t.Parallel()
	src := `
a = threading.Lock()
b = threading.Semaphore()
c = threading.Lock()
a.acquire()
b.acquire()
c.acquire()
`
	for i := 0; i < 2; i++ {
		got := runtest.OpStrings(runtest.Ops(t, "names.star", src, interp.SchedConfig{Sim: true, Seed: 1}))
		assert.Equal(t, []string{"MainThread Lock-1 acquire 1", "MainThread Semaphore-1 acquire 0", "MainThread Lock-2 acquire 1"}, got)
	}
}
