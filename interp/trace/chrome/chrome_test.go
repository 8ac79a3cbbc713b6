package chrome_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
)

// jsonEvent is an event as Perfetto reads it back.
type jsonEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat"`
	Ph   string         `json:"ph"`
	Ts   int64          `json:"ts"`
	Dur  int64          `json:"dur"`
	Pid  int            `json:"pid"`
	Tid  int64          `json:"tid"`
	ID   int            `json:"id"`
	BP   string         `json:"bp"`
	Args map[string]any `json:"args"`
}

type jsonTrace struct {
	TraceEvents []jsonEvent       `json:"traceEvents"`
	OtherData   map[string]string `json:"otherData"`
}

const queueSrc = `
q = queue.Queue()
def producer():
    for i in range(5):
        q.put(i)
        time.sleep(0.01)
def consumer():
    for i in range(5):
        q.get()
        q.task_done()
sem = threading.Semaphore(2)
def limited():
    sem.acquire()
    time.sleep(0.01)
    sem.release()
ts = [threading.Thread(target=producer, name="producer"), threading.Thread(target=consumer, name="consumer")]
ts += [threading.Thread(target=limited) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("done")
`

// traceOf runs src and returns its trace as written and as read back.
func traceOf(t *testing.T, file string, src []byte, cfg interp.SchedConfig) ([]byte, jsonTrace, runtest.Result) {
	t.Helper()
	buf := &chrome.Buffer{}
	cfg.Recorder = buf
	r := runtest.Run(t, file, src, runtest.Options{Sched: cfg})
	var out bytes.Buffer
	opts := chrome.Options{Process: file, Sim: cfg.Sim, Seed: cfg.Seed, Exit: r.Code}
	if rep := r.Interp.Sched().Deadlock(); rep != nil {
		for _, th := range rep.Threads {
			opts.Deadlock = append(opts.Deadlock, chrome.Blocked{Thread: th.ID, Name: th.Name, Reason: th.Reason})
		}
	}
	require.NoError(t, chrome.Write(&out, buf.Events(), opts))
	var tr jsonTrace
	require.NoError(t, json.Unmarshal(out.Bytes(), &tr), "not JSON")
	return out.Bytes(), tr, r
}

func example(t *testing.T, name string) []byte {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "labs", "examples", name))
	require.NoError(t, err)
	return src
}

// checkStructure checks what Perfetto needs: spans of a thread never
// overlap (so their nesting is trivially valid), every flow start has
// exactly one end, later, and both ends lie inside a running span of their
// thread; and every thread has a name.
func checkStructure(t *testing.T, tr jsonTrace) {
	t.Helper()
	type track struct {
		pid int
		tid int64
	}
	names := map[track]string{}
	spans := map[track][]jsonEvent{}
	starts, ends := map[int]jsonEvent{}, map[int]jsonEvent{}
	for _, e := range tr.TraceEvents {
		switch e.Ph {
		case "M":
			if e.Name == "thread_name" {
				names[track{e.Pid, e.Tid}], _ = e.Args["name"].(string)
			}
		case "X":
			require.GreaterOrEqual(t, e.Dur, int64(0), "negative span %+v", e)
			spans[track{e.Pid, e.Tid}] = append(spans[track{e.Pid, e.Tid}], e)
		case "s":
			_, dup := starts[e.ID]
			require.False(t, dup, "flow %d starts twice", e.ID)
			starts[e.ID] = e
		case "f":
			_, dup := ends[e.ID]
			require.False(t, dup, "flow %d ends twice", e.ID)
			require.Equal(t, "e", e.BP)
			ends[e.ID] = e
		}
	}
	for tr, ss := range spans {
		assert.NotEmpty(t, names[tr], "thread %v has no name", tr)
		sort.Slice(ss, func(i, j int) bool { return ss[i].Ts < ss[j].Ts })
		for i := 1; i < len(ss); i++ {
			require.LessOrEqual(t, ss[i-1].Ts+ss[i-1].Dur, ss[i].Ts, "spans overlap on thread %v: %+v %+v", tr, ss[i-1], ss[i])
		}
	}
	inRunning := func(e jsonEvent) bool {
		for _, s := range spans[track{e.Pid, e.Tid}] {
			if s.Name == chrome.Running && s.Ts <= e.Ts && e.Ts < s.Ts+s.Dur {
				return true
			}
		}
		return false
	}
	require.Equal(t, len(starts), len(ends), "unpaired flows")
	for id, s := range starts {
		f, ok := ends[id]
		require.True(t, ok, "flow %d has no end", id)
		if s.Pid == f.Pid {
			// Simulated processes have clocks of their own: a get that
			// did not wait is on its process's clock, which the put's
			// process may be ahead of.
			assert.LessOrEqual(t, s.Ts, f.Ts, "flow %d goes back in time", id)
		}
		assert.True(t, inRunning(s), "flow start %+v outside a running span", s)
		assert.True(t, inRunning(f), "flow end %+v outside a running span", f)
	}
}

func count(tr jsonTrace, pred func(jsonEvent) bool) int {
	n := 0
	for _, e := range tr.TraceEvents {
		if pred(e) {
			n++
		}
	}
	return n
}

func TestTraceStructure(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		src       []byte
		sim       bool
		code      int
		wantNames []string // span, instant or counter names the trace must have
		threads   []string
	}{
		{name: "lock sim", file: "lock.star", src: example(t, "lock.star"), sim: true,
			wantNames: []string{"running", "ready", "sleep", "release Lock-1", "acquire Lock-1", "release → acquire Lock-1", "join Thread-1 (add_num)"},
			threads:   []string{"MainThread", "Thread-1 (add_num)", "Thread-100 (add_num)"}},
		{name: "lock real-time", file: "lock.star", src: example(t, "lock.star"),
			wantNames: []string{"running", "release Lock-1"},
			threads:   []string{"MainThread", "Thread-100 (add_num)"}},
		{name: "queue and semaphore", file: "q.star", src: []byte(queueSrc), sim: true,
			wantNames: []string{"put Queue-1", "get Queue-1", "Queue-1 qsize", "Semaphore-1 value", "put → get Queue-1", "task_done Queue-1"},
			threads:   []string{"producer", "consumer", "Thread-3 (limited)"}},
		{name: "deadlock", file: "deadlock.star", src: example(t, "deadlock.star"), sim: true, code: interp.ExitDeadlock,
			wantNames: []string{"deadlock: Lock.acquire (held by first)", "deadlock: Lock.acquire (held by second)"},
			threads:   []string{"first", "second"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, tr, r := traceOf(t, tc.file, tc.src, interp.SchedConfig{Sim: tc.sim, Seed: 1})
			require.Equal(t, tc.code, r.Code, r.Stderr)
			checkStructure(t, tr)
			have := map[string]bool{}
			threads := map[string]bool{}
			for _, e := range tr.TraceEvents {
				have[e.Name] = true
				if e.Name == "thread_name" {
					threads[e.Args["name"].(string)] = true
				}
			}
			for _, n := range tc.wantNames {
				assert.True(t, have[n], "no event named %q", n)
			}
			for _, n := range tc.threads {
				assert.True(t, threads[n], "no thread track %q", n)
			}
		})
	}
}

// A wait on a lock is named with the lock, as the deadlock report would.
func TestWaitNamesTheObject(t *testing.T) {
	_, tr, _ := traceOf(t, "lock.star", example(t, "lock.star"), interp.SchedConfig{Sim: true, Seed: 1})
	n := count(tr, func(e jsonEvent) bool {
		return e.Ph == "X" && strings.HasPrefix(e.Name, "Lock.acquire Lock-1 (held by Thread-")
	})
	assert.Positive(t, n)
}

// A wait is named after the object of the operation that ends it, and
// only when that operation is the wait's own call: a lock's acquire that
// timed out, followed by a release on another lock, leaves "Lock.acquire"
// as it was, and the next acquire that waited on that other lock still
// names it.
func TestWaitNamedByItsOwnCall(t *testing.T) {
	ms := time.Millisecond
	ev := []trace.Event{
		{At: 0, Kind: trace.Start, Thread: 1, Name: "MainThread"},
		{At: 0, Kind: trace.Run, Thread: 1, Name: "MainThread"},
		{At: 1 * ms, Kind: trace.Wait, Thread: 1, Name: "MainThread", Reason: "Lock.acquire"},
		{At: 2 * ms, Kind: trace.Wake, Thread: 1, Name: "MainThread", Reason: "timeout"},
		{At: 2 * ms, Kind: trace.Run, Thread: 1, Name: "MainThread"},
		{At: 3 * ms, Kind: trace.Op, Thread: 1, Name: "MainThread", Op: trace.Release, Object: "Lock-2", Value: 0},
		{At: 4 * ms, Kind: trace.Wait, Thread: 1, Name: "MainThread", Reason: "Lock.acquire"},
		{At: 5 * ms, Kind: trace.Wake, Thread: 1, Name: "MainThread"},
		{At: 5 * ms, Kind: trace.Run, Thread: 1, Name: "MainThread"},
		{At: 6 * ms, Kind: trace.Op, Thread: 1, Name: "MainThread", Op: trace.Acquire, Object: "Lock-2", Value: 1},
		{At: 7 * ms, Kind: trace.End, Thread: 1, Name: "MainThread"},
	}
	tl := chrome.Build(ev, chrome.Options{Process: "w.star"})
	var waits []string
	for _, e := range tl.Events {
		if e.Cat == "wait" {
			waits = append(waits, e.Name)
		}
	}
	assert.Equal(t, []string{"Lock.acquire", "Lock.acquire Lock-2"}, waits)
}

// The deadlock report is in otherData and drawn on the lanes of the
// threads it names.
func TestDeadlockTrace(t *testing.T) {
	_, tr, _ := traceOf(t, "deadlock.star", example(t, "deadlock.star"), interp.SchedConfig{Sim: true, Seed: 1})
	assert.Equal(t, "3", tr.OtherData["exit"])
	assert.Contains(t, tr.OtherData["deadlock"], "first waits on Lock.acquire (held by second)")
	marks := count(tr, func(e jsonEvent) bool { return e.Cat == "deadlock" })
	assert.Equal(t, 3, marks, "main, first and second")
}

// processSrc starts two Processes with two threads each and a Pool of two:
// five simulated processes in sim mode.
const processSrc = `
import multiprocessing
def square(x):
    time.sleep(0.01)
    return x * x
def work(n):
    lock = threading.Lock()
    def helper():
        for _ in range(3):
            lock.acquire()
            time.sleep(0.001)
            lock.release()
    ts = [threading.Thread(target=helper, name="helper-%d" % i) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
if __name__ == "__main__":
    ps = [multiprocessing.Process(target=work, args=(i,)) for i in range(2)]
    for p in ps:
        p.start()
    pool = multiprocessing.Pool(2)
    print(pool.map(square, range(6)))
    pool.close()
    pool.join()
    for p in ps:
        p.join()
`

// Same seed, same bytes; another seed, another schedule. With simulated
// processes too, each on its own track.
func TestSimTraceByteIdentical(t *testing.T) {
	for _, tc := range []struct {
		file string
		src  []byte
	}{
		{"lost_update.star", example(t, "lost_update.star")},
		{"processes.star", []byte(processSrc)},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a, tr, _ := traceOf(t, tc.file, tc.src, interp.SchedConfig{Sim: true, Seed: 7})
			b, _, _ := traceOf(t, tc.file, tc.src, interp.SchedConfig{Sim: true, Seed: 7})
			c, _, _ := traceOf(t, tc.file, tc.src, interp.SchedConfig{Sim: true, Seed: 8})
			assert.True(t, bytes.Equal(a, b), "same seed, different trace")
			assert.False(t, bytes.Equal(a, c), "different seeds, same trace")
			checkStructure(t, tr)
		})
	}
}

// Each simulated process is a process track named as a real child's
// ("Process-1", pid 1001, ...), with its threads named as in the script
// under it and its spans on its own clock: 2 Processes that each hold a
// lock 6 ms over 3 turns overlap in time rather than follow each other.
func TestSimProcessTracks(t *testing.T) {
	_, tr, r := traceOf(t, "processes.star", []byte(processSrc), interp.SchedConfig{Sim: true, Seed: 1})
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "[0, 1, 4, 9, 16, 25]\n", r.Stdout)
	checkStructure(t, tr)
	procs := map[int]string{}
	threads := map[string][]string{}
	sleeps := map[int][2]int64{} // per process, its first sleep's start and last sleep's end
	for _, e := range tr.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" {
			procs[e.Pid] = e.Args["name"].(string)
		}
	}
	for _, e := range tr.TraceEvents {
		switch {
		case e.Ph == "M" && e.Name == "thread_name":
			threads[procs[e.Pid]] = append(threads[procs[e.Pid]], e.Args["name"].(string))
		case e.Ph == "X" && e.Name == "sleep":
			s, ok := sleeps[e.Pid]
			if !ok || e.Ts < s[0] {
				s[0] = e.Ts
			}
			s[1] = max(s[1], e.Ts+e.Dur)
			sleeps[e.Pid] = s
		case e.Ph == "X":
			assert.Nil(t, e.Args["unfinished"], "%s: a span left open: %+v", procs[e.Pid], e)
		}
	}
	assert.Equal(t, map[int]string{1: "processes.star", 1001: "Process-1", 1002: "Process-2", 1003: "SpawnPoolWorker-1", 1004: "SpawnPoolWorker-2"}, procs)
	assert.ElementsMatch(t, []string{"MainThread", "Thread-1 (_handle_results)"}, threads["processes.star"])
	for _, p := range []string{"Process-1", "Process-2"} {
		assert.ElementsMatch(t, []string{"MainThread", "helper-0", "helper-1"}, threads[p])
	}
	for _, p := range []string{"SpawnPoolWorker-1", "SpawnPoolWorker-2"} {
		assert.Equal(t, []string{"MainThread"}, threads[p])
	}
	a, b := sleeps[1001], sleeps[1002]
	assert.GreaterOrEqual(t, a[1]-a[0], int64(6000), "Process-1's sleeps")
	assert.True(t, a[0] < b[1] && b[0] < a[1], "the two processes' sleeps do not overlap: %v %v", a, b)
}

// A multiprocessing.Queue in sim mode records its puts and gets: the
// arrows go from a put in one process to the get of that item in another,
// each end on its own process's track.
func TestSimQueueFlowsAcrossProcesses(t *testing.T) {
	const src = `
import multiprocessing
def worker(q, out):
    while True:
        x = q.get()
        if x == None:
            break
        out.put(x * x)
if __name__ == "__main__":
    q, out = multiprocessing.Queue(), multiprocessing.Queue()
    ps = [multiprocessing.Process(target=worker, args=(q, out)) for _ in range(2)]
    for p in ps:
        p.start()
    for i in range(6):
        q.put(i)
    for p in ps:
        q.put(None)
    print(sorted([out.get() for _ in range(6)]))
    for p in ps:
        p.join()
`
	for _, seed := range []int64{1, 2} {
		_, tr, r := traceOf(t, "mpq.star", []byte(src), interp.SchedConfig{Sim: true, Seed: seed})
		require.Equal(t, 0, r.Code, r.Stderr)
		assert.Equal(t, "[0, 1, 4, 9, 16, 25]\n", r.Stdout)
		checkStructure(t, tr)
		starts := map[int]jsonEvent{}
		arrows := map[string]int{}
		for _, e := range tr.TraceEvents {
			switch e.Ph {
			case "s":
				starts[e.ID] = e
			case "f":
				s := starts[e.ID]
				require.NotEqual(t, s.Pid, e.Pid, "%s within one process", e.Name)
				arrows[fmt.Sprintf("%s %d→%d", e.Name, s.Pid, e.Pid)]++
			}
		}
		// Every item crossed: 8 into the workers (6 and 2 Nones), 6 back.
		in := arrows["put → get multiprocessing.Queue-1 1→1001"] + arrows["put → get multiprocessing.Queue-1 1→1002"]
		back := arrows["put → get multiprocessing.Queue-2 1001→1"] + arrows["put → get multiprocessing.Queue-2 1002→1"]
		assert.Equal(t, [2]int{8, 6}, [2]int{in, back}, "seed %d: %v", seed, arrows)
	}
}

// Build on events of two simulated processes: each process's microseconds
// grow on their own; a Yield ends a running span on its process's clock;
// a put in one process pairs with the get in the other; a thread's name
// loses its process's prefix.
func TestBuildSimProcesses(t *testing.T) {
	ms := time.Millisecond
	ev := []trace.Event{
		{At: 0, Kind: trace.Start, Thread: 1, Name: "MainThread"},
		{At: 0, Kind: trace.Run, Thread: 1, Name: "MainThread"},
		{At: 1 * ms, Kind: trace.Start, Thread: 2, Name: "Process-1 MainThread", Pid: 1001, Process: "Process-1"},
		{At: 1 * ms, Kind: trace.Op, Thread: 1, Name: "MainThread", Op: trace.Put, Object: "Queue-1", Value: 1},
		{At: 5 * ms, Kind: trace.Yield, Thread: 1, Name: "MainThread"},
		{At: 1 * ms, Kind: trace.Run, Thread: 2, Name: "Process-1 MainThread", Pid: 1001, Process: "Process-1"},
		{At: 3 * ms, Kind: trace.Op, Thread: 2, Name: "Process-1 MainThread", Op: trace.Get, Object: "Queue-1", Pid: 1001, Process: "Process-1"},
		{At: 3 * ms, Kind: trace.End, Thread: 2, Name: "Process-1 MainThread", Pid: 1001, Process: "Process-1"},
		{At: 5 * ms, Kind: trace.Run, Thread: 1, Name: "MainThread"},
		{At: 6 * ms, Kind: trace.End, Thread: 1, Name: "MainThread"},
	}
	tl := chrome.Build(ev, chrome.Options{Process: "p.star", Pid: 1000, Sim: true})
	assert.Equal(t, []chrome.Process{{Pid: 1000, Name: "p.star"}, {Pid: 1001, Name: "Process-1"}}, tl.Processes)
	assert.Equal(t, []chrome.Thread{{Pid: 1000, ID: 1, Name: "MainThread"}, {Pid: 1001, ID: 2, Name: "MainThread"}}, tl.Threads)
	type span struct {
		pid      int
		tid      int64
		name     string
		from, to int64
	}
	var spans []span
	var flows []chrome.Ev
	for _, e := range tl.Events {
		switch e.Ph {
		case 'X':
			spans = append(spans, span{e.Pid, e.Tid, e.Name, e.Ts, e.Ts + e.Dur})
		case 's', 'f':
			flows = append(flows, e)
		}
	}
	assert.ElementsMatch(t, []span{
		{1000, 1, "ready", 0, 1},
		{1000, 1, "running", 1, 5000}, // to its Yield, not to Process-1's Run at 1 ms
		{1000, 1, "ready", 5000, 5001},
		{1000, 1, "running", 5001, 6000},
		{1001, 2, "ready", 1000, 1001},
		{1001, 2, "running", 1001, 3001},
	}, spans)
	require.Len(t, flows, 2)
	assert.Equal(t, [2]int{1000, 1001}, [2]int{flows[0].Pid, flows[1].Pid}, "put → get across processes")
	assert.Equal(t, flows[0].ID, flows[1].ID)
	assert.Equal(t, [2]int64{1000, 3000}, [2]int64{flows[0].Ts, flows[1].Ts})
}

// The size bar: a 60-virtual-second sim of the traffic light (an
// endless script, stopped by MaxTime) writes a trace under 5 MB.
func TestTrafficLightTraceSize(t *testing.T) {
	out, tr, r := traceOf(t, "traffic_light.star", example(t, "traffic_light.star"), interp.SchedConfig{Sim: true, Seed: 1, MaxTime: 60 * time.Second})
	require.Equal(t, interp.ExitStopped, r.Code, r.Stderr)
	checkStructure(t, tr)
	assert.Less(t, len(out), 5<<20)
	t.Logf("traffic light, 60 s: %d trace events, %d bytes", len(tr.TraceEvents), len(out))
}

// Each arrow goes from an operation to the one it let through on the same
// object: its start lies on a release, put, set or notify instant, its end
// on an acquire, get or wait instant of the object its name says. Every
// kind shows up in a program that uses them all, under several seeds.
func TestFlowsPairedByObject(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "flows.star"))
	require.NoError(t, err)
	pairs := map[string]string{"release": "acquire", "put": "get", "set": "wait", "notify": "wait"}
	for _, seed := range []int64{1, 2, 3} {
		_, tr, r := traceOf(t, "flows.star", src, interp.SchedConfig{Sim: true, Seed: seed})
		require.Equal(t, 0, r.Code, r.Stderr)
		checkStructure(t, tr)
		type at struct {
			pid int
			tid int64
			ts  int64
		}
		ops := map[at]string{}
		for _, e := range tr.TraceEvents {
			if e.Ph == "i" && e.Cat == "op" {
				ops[at{e.Pid, e.Tid, e.Ts}] = e.Name
			}
		}
		starts := map[int]jsonEvent{}
		kinds := map[string]int{}
		for _, e := range tr.TraceEvents {
			switch e.Ph {
			case "s":
				starts[e.ID] = e
			case "f":
				s := starts[e.ID]
				from, to := ops[at{s.Pid, s.Tid, s.Ts}], ops[at{e.Pid, e.Tid, e.Ts}]
				fromOp, fromObj, _ := strings.Cut(from, " ")
				toOp, toObj, _ := strings.Cut(to, " ")
				require.NotEmpty(t, fromObj, "flow %q starts on no operation", e.Name)
				assert.Equal(t, fromObj, toObj, "flow %q joins two objects: %q → %q", e.Name, from, to)
				assert.Equal(t, pairs[fromOp], toOp, "flow %q: %q → %q", e.Name, from, to)
				assert.Equal(t, fromOp+" → "+toOp+" "+toObj, e.Name)
				assert.NotEqual(t, s.Tid, e.Tid, "flow %q within one thread", e.Name)
				kind, _, _ := strings.Cut(toObj, "-")
				kinds[fromOp+" "+kind]++
			}
		}
		for _, k := range []string{"release Lock", "release Semaphore", "put Queue", "set Event", "notify Condition"} {
			assert.Positive(t, kinds[k], "seed %d: no %s arrow: %v", seed, k, kinds)
		}
		// notify() woke one waiter, notify_all() the other two.
		assert.Equal(t, 3, kinds["notify Condition"], "seed %d", seed)
		assert.Equal(t, 3, kinds["set Event"], "seed %d: set() let three waiters through", seed)
	}
}

// Names are written as JSON strings that read back as they were: UTF-8 as
// it is, quotes, control characters and invalid UTF-8 escaped, and no
// "</script>" that would end a page's script element.
func TestJSONNames(t *testing.T) {
	names := []string{"顾客A", "a \"quoted\" \\ name\n", "</script><b>&", "bad \xff utf-8", "put → get Queue-1"}
	var events []trace.Event
	for i, n := range names {
		events = append(events, trace.Event{Kind: trace.Start, Thread: int64(i + 1), Name: n})
	}
	var out bytes.Buffer
	require.NoError(t, chrome.Write(&out, events, chrome.Options{Process: "名字.star"}))
	assert.NotContains(t, out.String(), "</script>")
	assert.Contains(t, out.String(), `"顾客A"`, "UTF-8 written as it is")
	var tr jsonTrace
	require.NoError(t, json.Unmarshal(out.Bytes(), &tr))
	got := map[string]bool{}
	for _, e := range tr.TraceEvents {
		if n, ok := e.Args["name"].(string); ok && e.Ph == "M" {
			got[n] = true
		}
	}
	for _, n := range names[:4] {
		want := strings.ToValidUTF8(n, "\uFFFD")
		assert.True(t, got[want], "%q not read back: %v", want, got)
	}
	assert.True(t, got["名字.star"])
}
