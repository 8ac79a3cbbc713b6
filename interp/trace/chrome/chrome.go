// Package chrome turns the events of a run (package trace) into the Chrome
// trace-event JSON that Perfetto (ui.perfetto.dev) and chrome://tracing
// open: one process track, one thread track per Starlark thread or greenlet
// named as in the script, and on it what the thread did.
//
// A scheduler thread is always in exactly one state, so its track is a
// sequence of complete spans ("ph":"X") that never overlap:
//
//   - running: it holds the baton (the GIL);
//   - ready: it could run and waits for the GIL (after a start, a wake or a
//     preemption);
//   - waiting: blocked on what the event's Reason says ("Lock.acquire",
//     "Queue.get", "join Thread-3", "recv"), with the primitive's name added
//     when the operation that ends the wait names it ("Lock.acquire Lock-1");
//   - sleep: in time.sleep.
//
// Operations on primitives are instants ("ph":"i") on the thread's track,
// queue lengths and semaphore values are counters ("ph":"C"), and flow
// arrows ("ph":"s" then "ph":"f") go from an operation to the one it let
// through on the same object, in another thread: a release to the acquire
// that waited for it, a put to the get that took that item, a set to an
// Event's wait that it ended, a notify to a Condition's wait that it woke
// (see builder.flows).
//
// A multiprocessing run is several OS processes: each child records its
// own part (part.go) and the parent merges them, a process track each. In
// sim mode the children are simulated processes of the one run
// (interp/proc.go): their events carry their virtual pid and name
// (trace.Event.Pid, Process), and each gets its own process track too,
// named as a real child's ("Process-1", pid 1001), with its threads named
// as in the script. Flow arrows pair across processes (a put in one, the
// get in another) since every process's events are in the one buffer.
//
// Why a builder beside the run rather than inside Record: a span is known
// only when it ends, the name of a wait only when the operation after it
// names the object, and a flow only when its end happens, and Record runs
// with the scheduler's mutex held on every operation of every thread, so
// it must only append. `starlab run --trace` records into a Live, whose
// goroutine builds (and for JSON writes) the timeline while the run goes,
// on the core the run's GIL leaves free; Buffer keeps the events for Build
// after the run (graders, explore, tests).
//
// Time: the format counts microseconds. In sim mode the virtual clock
// stands still while threads compute, so many events share one instant;
// the writer gives each event its own microsecond (ts never goes back and
// grows by at least 1 per event), which keeps every span visible and every
// flow's ends inside their spans. Each simulated process has a clock of
// its own, so it has its own microseconds: its events never go back and
// its spans end on its clock (a thread's turn ends on the Yield recorded
// when the baton moves to another process, not at that process's Run). A
// flow between two processes may so point back a little. A sim trace is a
// function of the events alone, so the same seed gives the same bytes.
package chrome

import (
	"io"
	"sync"

	"github.com/starlab-dev/starlab/interp/trace"
)

// Buffer is a trace.Recorder that keeps every event of a run, for Write.
//
// It keeps them in chunks of a fixed size rather than one growing slice:
// Record runs with the scheduler's mutex held, on every operation of
// every thread, and a slice that doubles would copy all the run's events
// again and again (a quarter of a queue-heavy run's time went there).
type Buffer struct {
	mu     sync.Mutex
	chunks [][]trace.Event // full ones, then the one being filled
	n      int
}

// chunkSize is the events per chunk: about 100 KB.
const chunkSize = 1024

// Record appends e.
func (b *Buffer) Record(e trace.Event) {
	b.mu.Lock()
	last := len(b.chunks) - 1
	if last < 0 || len(b.chunks[last]) == cap(b.chunks[last]) {
		b.chunks = append(b.chunks, make([]trace.Event, 0, chunkSize))
		last++
	}
	b.chunks[last] = append(b.chunks[last], e)
	b.n++
	b.mu.Unlock()
}

// Events returns the events recorded so far, in one slice (the buffer's
// own: do not record while using it).
func (b *Buffer) Events() []trace.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch len(b.chunks) {
	case 0:
		return nil
	case 1:
		return b.chunks[0]
	}
	all := make([]trace.Event, 0, b.n)
	for _, c := range b.chunks {
		all = append(all, c...)
	}
	// Later records start a new chunk: all is full.
	b.chunks = [][]trace.Event{all}
	return all
}

// From calls f with each event recorded from the i-th on (0-based), in
// order, and returns the number recorded. Events recorded while it runs
// may be left for the next call. It never copies the buffer, so a part
// can be flushed often (see PartWriter).
func (b *Buffer) From(i int, f func(*trace.Event)) int {
	b.mu.Lock()
	chunks := append([][]trace.Event(nil), b.chunks...)
	n := b.n
	b.mu.Unlock()
	// Recorded events are never changed, only appended after: the ones
	// counted under the lock can be read without it.
	seen := 0
	for _, c := range chunks {
		if seen+len(c) <= i {
			seen += len(c)
			continue
		}
		for k := max(0, i-seen); k < len(c) && seen+k < n; k++ {
			f(&c[k])
		}
		seen += len(c)
	}
	return n
}

// Blocked is one thread of a deadlock report: what it waited on, where.
type Blocked struct {
	Thread int64  `json:"thread"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
	Line   string `json:"line,omitempty"` // "file.star:12"
}

// Options describe the run around the events.
type Options struct {
	Process  string // the process track's name, e.g. "lost_update.star"
	Pid      int    // the process id shown; 1 if zero (a sim run's is interp.SimMainPID, 1000)
	Sim      bool
	Seed     int64
	Exit     int       // the run's exit status
	Deadlock []Blocked // the deadlock report, if the run ended in one
}

// Write writes the events as a Chrome trace-event JSON document.
func Write(w io.Writer, events []trace.Event, opts Options) error {
	tl := Build(events, opts)
	return tl.WriteJSON(w)
}
