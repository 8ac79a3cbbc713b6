package chrome_test

import (
	"bytes"
	"encoding/json"
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
		assert.Equal(t, s.Pid, f.Pid, "flow %d joins two processes", id)
		assert.LessOrEqual(t, s.Ts, f.Ts, "flow %d goes back in time", id)
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

// The deadlock report is in otherData and drawn on the lanes of the
// threads it names.
func TestDeadlockTrace(t *testing.T) {
	_, tr, _ := traceOf(t, "deadlock.star", example(t, "deadlock.star"), interp.SchedConfig{Sim: true, Seed: 1})
	assert.Equal(t, "3", tr.OtherData["exit"])
	assert.Contains(t, tr.OtherData["deadlock"], "first waits on Lock.acquire (held by second)")
	marks := count(tr, func(e jsonEvent) bool { return e.Cat == "deadlock" })
	assert.Equal(t, 3, marks, "main, first and second")
}

// Same seed, same bytes; another seed, another schedule.
func TestSimTraceByteIdentical(t *testing.T) {
	src := example(t, "lost_update.star")
	a, _, _ := traceOf(t, "lost_update.star", src, interp.SchedConfig{Sim: true, Seed: 7})
	b, _, _ := traceOf(t, "lost_update.star", src, interp.SchedConfig{Sim: true, Seed: 7})
	c, _, _ := traceOf(t, "lost_update.star", src, interp.SchedConfig{Sim: true, Seed: 8})
	assert.True(t, bytes.Equal(a, b), "same seed, different trace")
	assert.False(t, bytes.Equal(a, c), "different seeds, same trace")
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
