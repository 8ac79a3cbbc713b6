package queue

import (
	"fmt"
	"math"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// queue.Empty and queue.Full. CPython defines Empty in its C module, so a
// traceback shows it as _queue.Empty; Full lives in queue.py. Classes are
// immutable, so these two are shared by every run, as the builtin ones are.
var (
	Empty = interp.NewModuleExceptionClass("_queue", "Empty", interp.Exception_)
	Full  = interp.NewModuleExceptionClass("queue", "Full", interp.Exception_)
)

// New builds the queue module for one run.
func New(it *interp.Interp) *starlarkstruct.Module {
	m := &queueModule{sched: it.Sched()}
	return &starlarkstruct.Module{
		Name: "queue",
		Members: starlark.StringDict{
			"Queue":         starlark.NewBuiltin("Queue", m.newQueue),
			"LifoQueue":     starlark.NewBuiltin("LifoQueue", m.newQueue),
			"PriorityQueue": starlark.NewBuiltin("PriorityQueue", m.newQueue),
			"SimpleQueue":   starlark.NewBuiltin("SimpleQueue", m.newSimpleQueue),
			"Empty":         Empty,
			"Full":          Full,
		},
	}
}

type queueModule struct {
	sched *interp.Scheduler
}

// queueKind is the order a queue hands its items out in.
type queueKind int

const (
	fifoQueue     queueKind = iota // Queue
	lifoQueue                      // LifoQueue
	priorityQueue                  // PriorityQueue: smallest first
	simpleQueue                    // SimpleQueue: FIFO, unbounded, no task tracking
)

var queueKindNames = [...]string{"Queue", "LifoQueue", "PriorityQueue", "SimpleQueue"}

// Queue is queue.Queue, LifoQueue, PriorityQueue and SimpleQueue: one type,
// so that the waiting logic exists once.
type Queue struct {
	sched   *interp.Scheduler
	kind    queueKind
	maxsize int // <= 0: unbounded
	// items holds the queue: FIFO from head, LIFO from the end, a binary
	// heap (heapq's layout) for PriorityQueue.
	items []starlark.Value
	head  int // FIFO: items[:head] are gone

	unfinished int // put but not yet task_done'd

	getters interp.WaitQueue // wait for an item
	putters interp.WaitQueue // wait for room
	joiners interp.WaitQueue // wait for unfinished == 0

	// Wait reasons for deadlock reports and traces: "Queue.get", ...
	getReason, putReason, joinReason string
	name                             string // in events: "Queue-1", "PriorityQueue-2", ...

	bound map[string]*starlark.Builtin
}

var (
	_ starlark.HasAttrs = (*Queue)(nil)
)

func (m *queueModule) newQueue(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var maxsize starlark.Value = starlark.MakeInt(0)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "maxsize?", &maxsize); err != nil {
		return nil, err
	}
	var n int
	switch v := maxsize.(type) {
	case starlark.Int:
		if i, ok := v.Int64(); ok && i <= math.MaxInt32 {
			n = int(i)
		} else if v.Sign() > 0 {
			n = math.MaxInt32 // bounded only in theory
		} else {
			n = 0
		}
	case starlark.Bool: // Python's bool is an int
		if v {
			n = 1
		}
	default:
		return nil, interp.Errorf(interp.TypeError, "%s: maxsize must be an int, not '%s'", b.Name(), interp.PyTypeName(maxsize))
	}
	kind := fifoQueue
	switch b.Name() {
	case "LifoQueue":
		kind = lifoQueue
	case "PriorityQueue":
		kind = priorityQueue
	}
	return m.make(kind, n), nil
}

func (m *queueModule) newSimpleQueue(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("SimpleQueue", args, kwargs, 0); err != nil {
		return nil, err
	}
	return m.make(simpleQueue, 0), nil
}

func (m *queueModule) make(kind queueKind, maxsize int) *Queue {
	name := queueKindNames[kind]
	q := &Queue{
		sched:      m.sched,
		kind:       kind,
		maxsize:    maxsize,
		getReason:  name + ".get",
		putReason:  name + ".put",
		joinReason: name + ".join",
		name:       m.sched.ObjectName(name),
	}
	q.joiners.Of = joinBlocker{q}
	return q
}

// joinBlocker describes, for a deadlock report, what Queue.join waits for:
// the tasks put and not yet task_done'd.
type joinBlocker struct{ q *Queue }

func (j joinBlocker) Blocking() (string, *starlark.Thread, syntax.Position, string) {
	n := j.q.unfinished
	note := fmt.Sprintf("%d tasks put and never marked done: each get() needs its task_done()", n)
	if n == 1 {
		note = "1 task put and never marked done: each get() needs its task_done()"
	}
	return j.q.name, nil, syntax.Position{}, note
}

var queueMethods = map[string]*starlark.Builtin{
	"put":        starlark.NewBuiltin("put", queuePut),
	"put_nowait": starlark.NewBuiltin("put_nowait", queuePutNowait),
	"get":        starlark.NewBuiltin("get", queueGet),
	"get_nowait": starlark.NewBuiltin("get_nowait", queueGetNowait),
	"qsize":      starlark.NewBuiltin("qsize", queueQsize),
	"empty":      starlark.NewBuiltin("empty", queueEmpty),
	"full":       starlark.NewBuiltin("full", queueFull),
	"task_done":  starlark.NewBuiltin("task_done", queueTaskDone),
	"join":       starlark.NewBuiltin("join", queueJoin),
}

// simpleQueueMethods are SimpleQueue's: no maxsize, task_done, join or full.
var simpleQueueMethods = map[string]*starlark.Builtin{
	"put":        queueMethods["put"],
	"put_nowait": queueMethods["put_nowait"],
	"get":        queueMethods["get"],
	"get_nowait": queueMethods["get_nowait"],
	"qsize":      queueMethods["qsize"],
	"empty":      queueMethods["empty"],
}

func (q *Queue) String() string {
	if q.kind == simpleQueue {
		return "<_queue.SimpleQueue object>"
	}
	return "<queue." + queueKindNames[q.kind] + " object>"
}
func (q *Queue) Type() string          { return queueKindNames[q.kind] }
func (q *Queue) Freeze()               {} // shared between threads: stays mutable, like a lock
func (q *Queue) Truth() starlark.Bool  { return true }
func (q *Queue) Hash() (uint32, error) { return interp.IdentityHash(q), nil }

func (q *Queue) methods() map[string]*starlark.Builtin {
	if q.kind == simpleQueue {
		return simpleQueueMethods
	}
	return queueMethods
}

func (q *Queue) Attr(name string) (starlark.Value, error) {
	if q.kind != simpleQueue {
		switch name {
		case "maxsize":
			return starlark.MakeInt(q.maxsize), nil
		case "unfinished_tasks":
			return starlark.MakeInt(q.unfinished), nil
		}
	} else if name == "maxsize" || name == "task_done" || name == "join" || name == "full" || name == "unfinished_tasks" {
		// CPython's wording, with the C type's dotted name.
		return nil, interp.Errorf(interp.AttributeError, "'_queue.SimpleQueue' object has no attribute '%s'", name)
	}
	return pyobj.BindCached(&q.bound, q.methods(), name, q), nil
}

func (q *Queue) AttrNames() []string {
	names := interp.SortedAttrNames(q.methods())
	if q.kind != simpleQueue {
		names = append(names, "maxsize", "unfinished_tasks")
	}
	return names
}

// size is qsize().
func (q *Queue) size() int { return len(q.items) - q.head }

func (q *Queue) isFull() bool { return q.maxsize > 0 && q.size() >= q.maxsize }

// itemAdded runs after every successful put, with the item now in the
// queue: the one place that sees every put, and reports it (with the new
// length) to the scheduler's hook, for traces and graders.
func (q *Queue) itemAdded(t *interp.Thread, item starlark.Value) {
	if q.kind != simpleQueue {
		q.unfinished++
	}
	q.record(t, trace.Put, q.size())
	q.sched.WakeOne(&q.getters)
}

// itemRemoved runs after every successful get, with the item handed out: the
// one place that sees every get.
func (q *Queue) itemRemoved(t *interp.Thread, item starlark.Value) {
	q.record(t, trace.Get, q.size())
	q.sched.WakeOne(&q.putters)
}

// record reports an operation on q to the scheduler's hook, if anyone
// listens: "put", "get" and "task_done", each with qsize() after it (see
// interp.Scheduler.RecordOp for the convention).
func (q *Queue) record(t *interp.Thread, op trace.Operation, value int) {
	if t != nil && q.sched.Recording() {
		q.sched.RecordOp(t, q.name, op, value)
	}
}

// push adds item in the queue's order. Only PriorityQueue can fail (items that
// do not compare); the queue is then unchanged.
func (q *Queue) push(item starlark.Value) error {
	q.items = append(q.items, item)
	if q.kind == priorityQueue {
		if err := pqPush(q.items); err != nil {
			q.items[len(q.items)-1] = nil
			q.items = q.items[:len(q.items)-1]
			return err
		}
	}
	return nil
}

// pop removes the next item; the queue is not empty. Only PriorityQueue can
// fail, leaving the queue unchanged.
func (q *Queue) pop() (starlark.Value, error) {
	switch q.kind {
	case lifoQueue:
		n := len(q.items) - 1
		item := q.items[n]
		q.items[n] = nil
		q.items = q.items[:n]
		return item, nil
	case priorityQueue:
		item, rest, err := pqPop(q.items)
		if err != nil {
			return nil, err
		}
		q.items = rest
		return item, nil
	}
	item := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	switch {
	case q.head == len(q.items):
		q.items, q.head = q.items[:0], 0
	case q.head >= 64 && q.head*2 >= len(q.items):
		// Slide the live items down so the backing array stays small.
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	return item, nil
}

// put is put(item, block=True, timeout=None), as queue.py's.
func (q *Queue) put(th *starlark.Thread, item starlark.Value, block bool, timeout starlark.Value) error {
	if q.isFull() { // only a bounded queue is ever full: it alone checks block and timeout
		if !block {
			return interp.Raise(interp.NewException(Full))
		}
		wait, err := queueTimeout(timeout)
		if err != nil {
			return err
		}
		t, err := pyarg.CurrentThread(th)
		if err != nil {
			return err
		}
		ok, err := q.sched.WaitUntil(t, &q.putters, wait, func() string { return q.putReason }, func() bool { return !q.isFull() })
		if err != nil {
			return err
		}
		if !ok {
			return interp.Raise(interp.NewException(Full))
		}
	} else if block && q.maxsize > 0 && timeout != starlark.None {
		// queue.py checks the timeout of a bounded queue even when there is room.
		if _, err := checkQueueTimeout(timeout); err != nil {
			return err
		}
	}
	if err := q.push(item); err != nil {
		return err
	}
	q.itemAdded(interp.Current(th), item)
	return nil
}

// get is get(block=True, timeout=None), as queue.py's (and _queue's for SimpleQueue).
func (q *Queue) get(th *starlark.Thread, block bool, timeout starlark.Value) (starlark.Value, error) {
	if block && timeout != starlark.None {
		if _, err := checkQueueTimeout(timeout); err != nil {
			if _, isNum := starlark.AsFloat(timeout); !isNum && q.kind == simpleQueue {
				// _queue.SimpleQueue converts the timeout in C, with another wording.
				return nil, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(timeout))
			}
			return nil, err // checked even when an item is ready, as in CPython
		}
	}
	if q.size() == 0 {
		if !block {
			return nil, interp.Raise(interp.NewException(Empty))
		}
		wait, err := queueTimeout(timeout)
		if err != nil {
			return nil, err
		}
		t, err := pyarg.CurrentThread(th)
		if err != nil {
			return nil, err
		}
		ok, err := q.sched.WaitUntil(t, &q.getters, wait, func() string { return q.getReason }, func() bool { return q.size() > 0 })
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, interp.Raise(interp.NewException(Empty))
		}
	}
	item, err := q.pop()
	if err != nil {
		return nil, err
	}
	q.itemRemoved(interp.Current(th), item)
	return item, nil
}

// queueTimeout reads the timeout of a blocking put or get, for a call that
// waits: None is forever (-1).
func queueTimeout(v starlark.Value) (time.Duration, error) {
	if v == starlark.None {
		return -1, nil
	}
	f, err := checkQueueTimeout(v)
	if err != nil {
		return 0, err
	}
	return pyarg.Timeout(starlark.Float(f), pyarg.TimeoutSpec{TooLargeMsg: "timeout value is too large"}) // NaN, too large: the rest was checked
}

// checkQueueTimeout makes the checks queue.py makes before it looks at the
// queue: a non-number is the TypeError of its `timeout < 0`, a negative
// number a ValueError. (A NaN or a huge timeout fails only if the call waits.)
func checkQueueTimeout(v starlark.Value) (float64, error) {
	var f float64
	switch x := v.(type) {
	case starlark.Bool: // Python's bool is an int
		if x {
			f = 1
		}
	case starlark.Int, starlark.Float:
		f, _ = starlark.AsFloat(x)
	default:
		return 0, interp.Errorf(interp.TypeError, "'<' not supported between instances of '%s' and 'int'", interp.PyTypeName(v))
	}
	if f < 0 {
		return 0, interp.Errorf(interp.ValueError, "'timeout' must be a non-negative number")
	}
	return f, nil
}

// queueBlockArg reads Python's block flag: any value, by its truth.
func queueBlockArg(v starlark.Value) bool { return bool(v.Truth()) }

func queuePut(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	q := b.Receiver().(*Queue)
	if len(args) == 1 && len(kwargs) == 0 { // the common case: put(item)
		return starlark.None, q.put(th, args[0], true, starlark.None)
	}
	var item, block, timeout starlark.Value = nil, starlark.True, starlark.None
	if err := starlark.UnpackArgs("put", args, kwargs, "item", &item, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	return starlark.None, q.put(th, item, queueBlockArg(block), timeout)
}

func queuePutNowait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var item starlark.Value
	if err := starlark.UnpackArgs("put_nowait", args, kwargs, "item", &item); err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Queue).put(th, item, false, starlark.None)
}

func queueGet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	q := b.Receiver().(*Queue)
	if len(args) == 0 && len(kwargs) == 0 { // the common case: get()
		return q.get(th, true, starlark.None)
	}
	var block, timeout starlark.Value = starlark.True, starlark.None
	if err := starlark.UnpackArgs("get", args, kwargs, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	return q.get(th, queueBlockArg(block), timeout)
}

func queueGetNowait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("get_nowait", args, kwargs, 0); err != nil {
		return nil, err
	}
	return b.Receiver().(*Queue).get(th, false, starlark.None)
}

func queueQsize(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("qsize", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(b.Receiver().(*Queue).size()), nil
}

func queueEmpty(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("empty", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Queue).size() == 0), nil
}

func queueFull(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("full", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Bool(b.Receiver().(*Queue).isFull()), nil
}

// queueTaskDone is task_done(): one fewer unfinished task; the last one wakes
// every join().
func queueTaskDone(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("task_done", args, kwargs, 0); err != nil {
		return nil, err
	}
	q := b.Receiver().(*Queue)
	if q.unfinished <= 0 {
		return nil, interp.Errorf(interp.ValueError, "task_done() called too many times")
	}
	q.unfinished--
	q.record(interp.Current(th), trace.TaskDone, q.size()) // value: qsize(), as for put and get
	if q.unfinished == 0 {
		q.sched.WakeAll(&q.joiners)
	}
	return starlark.None, nil
}

// queueJoin is join(): wait until every item put has been task_done'd.
func queueJoin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("join", args, kwargs, 0); err != nil {
		return nil, err
	}
	q := b.Receiver().(*Queue)
	if q.unfinished == 0 {
		return starlark.None, nil
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	_, err = q.sched.WaitUntil(t, &q.joiners, -1, func() string { return q.joinReason }, func() bool { return q.unfinished == 0 })
	return starlark.None, err
}

// The heap of PriorityQueue is heapq's, step for step (the same comparisons
// in the same order, so equal-priority items come out as in CPython). Items
// are compared with Starlark's <, which can fail (a dict against a dict).
// Unlike heapq, a failed comparison leaves the heap as it was: every move is a
// swap, journaled, and undone on error.
