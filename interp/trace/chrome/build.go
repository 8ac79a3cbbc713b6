package chrome

import (
	"path/filepath"
	"strconv"
	"strings"

	"go.starlark.net/syntax"

	"github.com/starlab-dev/starlab/interp/trace"
)

// Ev is one event of the trace-event format. Only the fields a phase uses
// are written: Dur for "X", ID and BP for flows, Scope for instants.
type Ev struct {
	Name string
	Cat  string
	Ph   byte // 'X' span, 'i' instant, 'C' counter, 's'/'f' flow, 'M' metadata
	Ts   int64
	Dur  int64
	Pid  int // the process track (Build sets it from Options.Pid)
	Tid  int64
	ID   int
	Args []Arg
}

// Arg is one key of an event's "args": a string, or a number when IsNum.
type Arg struct {
	Key   string
	Str   string
	Num   int64
	IsNum bool
}

// Thread is one track: a Starlark thread or greenlet.
type Thread struct {
	Pid  int // its process
	ID   int64
	Name string // its last name (a script may rename a thread)
}

// Process is one process track: the run's, and with Merge each
// multiprocessing child's.
type Process struct {
	Pid  int
	Name string
}

// Timeline is a run's events in the trace-event format, ready to be written
// as JSON (WriteJSON) or drawn by the HTML page.
type Timeline struct {
	Opts      Options
	Processes []Process // the run's first, then the merged children's
	Threads   []Thread  // in order of first appearance, per process
	Events    []Ev      // spans are appended when they end
	// Flows counts the flow arrows (each one "s" and one "f" event).
	Flows int
}

// Span names besides a wait's reason.
const (
	Running = "running" // holds the GIL
	Ready   = "ready"   // runnable, waits for the GIL
)

// span is the state a thread is in: the span that will be written when the
// thread leaves it.
type span struct {
	open  bool
	name  string
	cat   string
	start int64
	line  string
}

type threadState struct {
	index int // into Timeline.Threads
	proc  *procState
	cur   span
	// lastWait is the index in Events of the thread's last wait span while
	// the operation that ended it may still name its object, else -1.
	lastWait int
	ended    bool
	// line is the thread's last script line (see builder.lineOf): a
	// thread in a loop asks for the same few lines again and again.
	line lineCache
}

type lineCache struct {
	file string
	line int32
	text string
}

// procState is a process's clock in the trace: in sim mode each simulated
// process has its own (interp/proc.go), so each gets its own microseconds.
type procState struct {
	pid int
	ts  int64 // its last event's
}

type pending struct {
	tid int64
	pid int
	ts  int64
}

// notified is a notify() and how many of the threads it woke are still
// to return from wait().
type notified struct {
	from pending
	left int
}

// maxPending bounds the releases kept per semaphore: one released far more
// often than acquired would otherwise keep them all.
const maxPending = 4096

// object is what the builder knows of one primitive, met by its name
// ("Lock-1", "Queue-2"): what kind it is, the names of its instants,
// counter and arrows (made once, not once per event), and the operations
// still waiting for the one they let through.
type object struct {
	kind        string // "Lock", "Queue", "multiprocessing.Queue", ...
	queue, sem  bool   // a queue's or a semaphore's operations move a counter
	lifo        bool   // a LifoQueue's get takes the last put
	cond, event bool
	counter     string   // "Queue-1 qsize", "Semaphore-1 value"
	counterKey  string   // "qsize", "value"
	ops         []opName // the instants' names, as met (an object sees a few kinds of operation)
	flowName    string
	releases    []pending // the releases no acquire took yet (a lock has at most one; a semaphore's value is how many)
	puts        []pending // the puts whose item no get took yet
	lastSet     pending   // an Event's last set() since any clear()
	set         bool
	notifies    []notified         // a Condition's notify() calls whose woken threads have not all returned from wait()
	waits       map[waitKey]string // see waitName
}

type opName struct {
	op   trace.Operation
	name string
}

// builder turns events into a Timeline in one pass, event by event, so
// that it can run beside the run (Live) as well as after it (Build).
type builder struct {
	tl      *Timeline
	threads map[int64]*threadState
	holder  int64
	// main is the run's own process; procs its simulated children (sim
	// mode), by pid.
	main  *procState
	procs map[int]*procState
	// ts is the current event's time, on its process's clock.
	ts      int64
	nextID  int
	objects map[string]*object
	lines   map[lineKey]string
	slab    []Arg // see args
	// base is how many events were taken off the front of tl.Events
	// (written by Live): the index of tl.Events[0] among all.
	base int
}

// Build turns the events of a run into a Timeline (see the package doc for
// what becomes what).
func Build(events []trace.Event, opts Options) *Timeline {
	// About one span per event, and for an operation its instant, a
	// counter and perhaps a flow's two ends: sized once, the timeline is
	// never copied as it grows.
	ops := 0
	for i := range events {
		if events[i].Kind == trace.Op {
			ops++
		}
	}
	b := newBuilder(opts, len(events)+3*ops+16)
	for i := range events {
		b.add(&events[i])
	}
	b.finish()
	return b.tl
}

// newBuilder starts a timeline with room for size events.
func newBuilder(opts Options, size int) *builder {
	if opts.Pid == 0 {
		opts.Pid = 1
	}
	b := &builder{
		tl:      &Timeline{Opts: opts, Events: make([]Ev, 0, size)},
		threads: make(map[int64]*threadState),
		objects: make(map[string]*object),
		lines:   make(map[lineKey]string),
		main:    &procState{pid: opts.Pid, ts: -1},
	}
	b.tl.Processes = []Process{{Pid: opts.Pid, Name: opts.Process}}
	return b
}

// proc returns the process of e: the run's own, or a simulated child met
// for the first time, whose track comes after those met before.
func (b *builder) proc(e *trace.Event) *procState {
	if e.Pid == 0 {
		return b.main
	}
	p := b.procs[e.Pid]
	if p == nil {
		if b.procs == nil {
			b.procs = make(map[int]*procState)
		}
		p = &procState{pid: e.Pid, ts: -1}
		b.procs[e.Pid] = p
		b.tl.Processes = append(b.tl.Processes, Process{Pid: e.Pid, Name: e.Process})
	}
	return p
}

// Merge adds another process's timeline to tl (a multiprocessing child's,
// built from its part: see part.go): its process track, its threads and
// its events, shifted by offset microseconds (where the other run's zero
// falls on tl's clock), its flow ids renumbered after tl's so that no
// arrow joins two processes. part is left as it was.
func (tl *Timeline) Merge(part *Timeline, offset int64) {
	tl.Processes = append(tl.Processes, part.Processes...)
	tl.Threads = append(tl.Threads, part.Threads...)
	ids := tl.Flows
	for _, e := range part.Events {
		e.Ts += offset
		if e.Ph == 's' || e.Ph == 'f' {
			e.ID += ids
		}
		tl.Events = append(tl.Events, e)
	}
	tl.Flows += part.Flows
}

// thread returns the state of thread id, of process p (nil: already known).
func (b *builder) thread(id int64, name string, p *procState) *threadState {
	st := b.threads[id]
	if st == nil {
		if p == nil {
			p = b.main
		}
		st = &threadState{index: len(b.tl.Threads), proc: p, lastWait: -1}
		b.threads[id] = st
		b.tl.Threads = append(b.tl.Threads, Thread{Pid: p.pid, ID: id})
	}
	if name != "" {
		b.tl.Threads[st.index].Name = name
	}
	return st
}

// close writes the thread's open span, ending at its process's now, and
// returns its index in Events (-1 if none was open).
func (b *builder) close(tid int64, st *threadState, extra ...Arg) int {
	if !st.cur.open {
		return -1
	}
	s := st.cur
	st.cur.open = false
	var args []Arg
	if n := len(extra); s.line != "" || n > 0 {
		if s.line != "" {
			n++
		}
		args = b.args(n)
		if s.line != "" {
			args = append(args, Arg{Key: "line", Str: s.line})
		}
		args = append(args, extra...)
	}
	b.tl.Events = append(b.tl.Events, Ev{Name: s.name, Cat: s.cat, Ph: 'X', Ts: s.start, Dur: st.proc.ts - s.start, Pid: st.proc.pid, Tid: tid, Args: args})
	return b.base + len(b.tl.Events) - 1
}

// open starts the thread's span at its process's now.
func (b *builder) open(st *threadState, name, cat, line string) {
	st.cur = span{open: true, name: name, cat: cat, start: st.proc.ts, line: line}
}

// lineOf returns "file.star:12" for the event's script line, formatted
// once per line of the script, and asked of the map only when the thread
// is on another line than at its last event.
func (b *builder) lineOf(e *trace.Event, st *threadState) string {
	if e.Pos.Line == 0 {
		return ""
	}
	c := &st.line
	if file := e.Pos.Filename(); c.line != e.Pos.Line || c.file != file {
		k := lineKey{file, e.Pos.Line}
		s, ok := b.lines[k]
		if !ok {
			s = LineOf(e.Pos)
			b.lines[k] = s
		}
		*c = lineCache{file, e.Pos.Line, s}
	}
	return c.text
}

type lineKey struct {
	file string
	line int32
}

// LineOf returns "file.star:12" for a line of a script: the file's base
// name, as the learner knows it, whatever path the run was given (a
// multiprocessing child is given an absolute one); "" for no line.
func LineOf(pos syntax.Position) string {
	if pos.Line <= 0 {
		return ""
	}
	return filepath.Base(pos.Filename()) + ":" + strconv.Itoa(int(pos.Line))
}

func (b *builder) add(e *trace.Event) {
	// Every event gets its own microsecond of its process's clock: see
	// "Time" in the package doc.
	p := b.main
	name := e.Name
	if e.Pid != 0 {
		p = b.proc(e)
		// "Process-1 MainThread" is MainThread on Process-1's track.
		if rest, ok := strings.CutPrefix(name, e.Process); ok && strings.HasPrefix(rest, " ") {
			name = rest[1:]
		}
	}
	if us := e.At.Microseconds(); us > p.ts {
		p.ts = us
	} else {
		p.ts++
	}
	b.ts = p.ts
	st := b.thread(e.Thread, name, p)
	switch e.Kind {
	case trace.Start:
		if !st.cur.open {
			b.open(st, Ready, "ready", "")
		}
	case trace.Run:
		if h := b.holder; h != 0 && h != e.Thread {
			if hs := b.threads[h]; hs.cur.open && hs.cur.name == Running {
				b.close(h, hs)
				b.open(hs, Ready, "ready", "")
			}
		}
		b.close(e.Thread, st)
		b.open(st, Running, "running", "")
		b.holder = e.Thread
	case trace.Wait:
		b.close(e.Thread, st)
		if b.holder == e.Thread {
			b.holder = 0
		}
		cat := "wait"
		if e.Reason == "sleep" || strings.HasSuffix(e.Reason, ".sleep") { // gevent.sleep too
			cat = "sleep"
		}
		b.open(st, e.Reason, cat, b.lineOf(e, st))
		st.lastWait = -1
	case trace.Wake:
		var extra []Arg
		if e.Reason != "" {
			extra = append(extra, Arg{Key: "woken", Str: e.Reason})
		}
		wasWait := st.cur.open && st.cur.cat == "wait"
		i := b.close(e.Thread, st, extra...)
		if wasWait {
			st.lastWait = i
		}
		b.open(st, Ready, "ready", "")
	case trace.End:
		b.close(e.Thread, st)
		st.ended = true
		if b.holder == e.Thread {
			b.holder = 0
		}
	case trace.Yield:
		if st.cur.open && st.cur.name == Running {
			b.close(e.Thread, st)
			b.open(st, Ready, "ready", "")
		}
		if b.holder == e.Thread {
			b.holder = 0
		}
	case trace.Op:
		b.op(e, st)
	}
}

// op writes an operation's instant, its counter and its flows.
func (b *builder) op(e *trace.Event, st *threadState) {
	// waited: the thread blocked before this operation (a lock's acquire,
	// an event's wait), so another thread's operation let it through.
	waited := st.lastWait >= 0
	if i := st.lastWait; i >= 0 {
		// "Lock.acquire" ended by acquire on Lock-1 becomes
		// "Lock.acquire Lock-1".
		// "Lock.acquire (held by Thread-2)" becomes "Lock.acquire Lock-1
		// (held by Thread-2)".
		w := &b.tl.Events[i-b.base]
		w.Name = b.object(e.Object).waitName(w.Name, e)
		st.lastWait = -1
	}
	obj := b.object(e.Object)
	pid := st.proc.pid
	args := append(b.args(2), Arg{Key: "value", Num: int64(e.Value), IsNum: true})
	if l := b.lineOf(e, st); l != "" {
		args = append(args, Arg{Key: "line", Str: l})
	}
	b.tl.Events = append(b.tl.Events, Ev{Name: obj.opName(e.Op, e.Object), Cat: "op", Ph: 'i', Ts: b.ts, Pid: pid, Tid: e.Thread, Args: args})
	if obj.queue && (e.Op == trace.Put || e.Op == trace.Get || e.Op == trace.TaskDone) ||
		obj.sem && (e.Op == trace.Acquire || e.Op == trace.Release) {
		b.tl.Events = append(b.tl.Events, Ev{Name: obj.counter, Cat: "counter", Ph: 'C', Ts: b.ts, Pid: pid, Tid: e.Thread, Args: append(b.args(1), Arg{Key: obj.counterKey, Num: int64(e.Value), IsNum: true})})
	}
	b.flows(e, obj, pending{tid: e.Thread, pid: pid, ts: b.ts}, waited)
}

// object returns what is known of the primitive named name, met for the
// first time or not.
func (b *builder) object(name string) *object {
	o := b.objects[name]
	if o == nil {
		kind, _, _ := strings.Cut(name, "-")
		o = &object{kind: kind, queue: strings.HasSuffix(kind, "Queue"), sem: strings.HasSuffix(kind, "Semaphore"),
			lifo: kind == "LifoQueue", cond: strings.HasSuffix(kind, "Condition"), event: strings.HasSuffix(kind, "Event")}
		switch {
		case o.queue:
			o.counter, o.counterKey = name+" qsize", "qsize"
			o.flowName = "put → get " + name
		case o.sem:
			o.counter, o.counterKey = name+" value", "value"
		case o.cond:
			o.flowName = "notify → wait " + name
		case o.event:
			o.flowName = "set → wait " + name
		}
		b.objects[name] = o
	}
	return o
}

// waitName returns the name of a wait span ended by operation e on o:
// "Lock.acquire" becomes "Lock.acquire Lock-1", "Lock.acquire (held by
// Thread-2)" becomes "Lock.acquire Lock-1 (held by Thread-2)"; a wait that
// is not e's call keeps its name. Each is made once per object.
func (o *object) waitName(wait string, e *trace.Event) string {
	k := waitKey{wait, e.Op}
	if s, ok := o.waits[k]; ok {
		return s
	}
	s := wait
	call, rest, _ := strings.Cut(wait, " ")
	if _, method, ok := strings.Cut(call, "."); ok && method == e.Op.String() {
		s = call + " " + e.Object
		if rest != "" {
			s += " " + rest
		}
	}
	if o.waits == nil {
		o.waits = make(map[waitKey]string)
	}
	if len(o.waits) < maxWaitNames {
		o.waits[k] = s
	}
	return s
}

// waitKey is a wait's name and the operation that ended it.
type waitKey struct {
	wait string
	op   trace.Operation
}

// maxWaitNames bounds an object's cache of wait names: "(held by
// Thread-N)" differs for every holder of a lock taken by thousands.
const maxWaitNames = 256

// opName returns "acquire Lock-1", made once per object and operation.
// (A script that makes a lock per loop turn has as many objects as turns:
// a short list each, not an array of every operation.)
func (o *object) opName(op trace.Operation, name string) string {
	for _, n := range o.ops {
		if n.op == op {
			return n.name
		}
	}
	s := op.String() + " " + name
	o.ops = append(o.ops, opName{op, s})
	return s
}

// args returns an empty slice with room for n args, cut from a slab: a
// trace has an args slice for most of its events, and one allocation each
// was most of Build's.
func (b *builder) args(n int) []Arg {
	if len(b.slab)+n > cap(b.slab) {
		b.slab = make([]Arg, 0, 4096)
	}
	i := len(b.slab)
	b.slab = b.slab[:i+n]
	return b.slab[i : i : i+n]
}

// flows pairs an operation with the one on the same object that let it
// through, and draws the arrow when they are on two threads:
//
//   - release → acquire, for an acquire that had to wait: the oldest
//     release no acquire took yet (a Lock or RLock counts only its last
//     level: the release to 0, the acquire to 1);
//   - put → get: the put of the item the get took (first in, first out;
//     last in, first out for a LifoQueue; a PriorityQueue is drawn as if
//     first in, first out);
//   - set → wait: an Event's wait that blocked and returned True, from the
//     set() that woke it;
//   - notify → wait: a Condition's wait that returned True, from the
//     notify() that woke it (notify(n) and notify_all() wake several, each
//     gets its arrow).
func (b *builder) flows(e *trace.Event, obj *object, here pending, waited bool) {
	switch e.Op {
	case trace.Release:
		if obj.sem || e.Value == 0 {
			if len(obj.releases) >= maxPending {
				obj.releases = obj.releases[1:]
			}
			obj.releases = append(obj.releases, here)
		}
	case trace.Acquire:
		if !obj.sem && e.Value != 1 || len(obj.releases) == 0 {
			break
		}
		from := obj.releases[0]
		obj.releases = obj.releases[1:]
		if waited && from.tid != e.Thread {
			if obj.flowName == "" {
				obj.flowName = "release → acquire " + e.Object
			}
			b.flow(obj.flowName, from, here)
		}
	case trace.Put:
		obj.puts = append(obj.puts, here)
	case trace.Get:
		q := obj.puts
		if len(q) == 0 {
			break
		}
		var from pending
		if obj.lifo {
			from, obj.puts = q[len(q)-1], q[:len(q)-1]
		} else {
			from, obj.puts = q[0], q[1:]
		}
		if from.tid != e.Thread {
			b.flow(obj.flowName, from, here)
		}
	case trace.Set:
		obj.lastSet, obj.set = here, true
	case trace.Clear:
		obj.set = false
	case trace.Notify:
		if e.Value > 0 {
			obj.notifies = append(obj.notifies, notified{from: here, left: e.Value})
		}
	case trace.WaitOp:
		if e.Value != 1 {
			break
		}
		switch {
		case obj.cond:
			// A notified wait returns after re-acquiring the lock: the
			// wait span is behind it, so waited says nothing here.
			q := obj.notifies
			if len(q) == 0 {
				break
			}
			from := q[0].from
			if q[0].left--; q[0].left == 0 {
				obj.notifies = q[1:]
			}
			if from.tid != e.Thread {
				b.flow(obj.flowName, from, here)
			}
		case obj.event:
			if from := obj.lastSet; obj.set && waited && from.tid != e.Thread {
				b.flow(obj.flowName, from, here)
			}
		}
	}
}

// flow writes an arrow from one thread's instant to another's. Both ends
// bind to the span around them ("bp":"e"), a running span, which Perfetto
// requires of a flow.
func (b *builder) flow(name string, from, to pending) {
	b.nextID++
	b.tl.Flows++
	b.tl.Events = append(b.tl.Events,
		Ev{Name: name, Cat: "flow", Ph: 's', Ts: from.ts, Pid: from.pid, Tid: from.tid, ID: b.nextID},
		Ev{Name: name, Cat: "flow", Ph: 'f', Ts: to.ts, Pid: to.pid, Tid: to.tid, ID: b.nextID})
}

// finish closes every span still open one microsecond after the last
// event of any process (a thread still waiting when the run ended: a
// deadlock, or a daemon thread) and draws the deadlock report on the lanes.
func (b *builder) finish() {
	end := b.main.ts
	for _, p := range b.procs {
		end = max(end, p.ts)
	}
	end++
	b.ts = end
	b.main.ts = end
	for _, p := range b.procs {
		p.ts = end
	}
	for _, th := range b.tl.Threads {
		st := b.threads[th.ID]
		if st.cur.open {
			b.close(th.ID, st, Arg{Key: "unfinished", Str: "still in this state when the run ended"})
		}
	}
	for _, d := range b.tl.Opts.Deadlock {
		args := []Arg{{Key: "waits on", Str: d.Reason}}
		if d.Line != "" {
			args = append(args, Arg{Key: "line", Str: d.Line})
		}
		st := b.thread(d.Thread, "", nil)
		b.tl.Events = append(b.tl.Events, Ev{Name: "deadlock: " + d.Reason, Cat: "deadlock", Ph: 'i', Ts: b.ts, Pid: st.proc.pid, Tid: d.Thread, Args: args})
	}
}

// settled returns how many of tl.Events are final: all before the oldest
// wait span that an operation may still rename (see op).
func (b *builder) settled() int {
	n := len(b.tl.Events)
	for _, st := range b.threads {
		if i := st.lastWait - b.base; st.lastWait >= 0 && i < n {
			n = i
		}
	}
	return n
}

// drop takes the first n events off tl.Events, once written: their
// indices stay valid (base).
func (b *builder) drop(n int) {
	k := copy(b.tl.Events, b.tl.Events[n:])
	clear(b.tl.Events[k:]) // let go of their names and args
	b.tl.Events = b.tl.Events[:k]
	b.base += n
}
