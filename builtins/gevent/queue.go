package gevent

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// gevent.queue: Queue and JoinableQueue for greenlets, raising the queue
// module's Empty and Full as gevent does. get() on an empty queue and put()
// on a full one give the hub to the other greenlets until an item or a
// free slot comes.

func (m *module) queueModule() *starlarkstruct.Module {
	return &starlarkstruct.Module{
		Name: "gevent.queue",
		Members: starlark.StringDict{
			"Queue":         starlark.NewBuiltin("Queue", m.newQueue),
			"JoinableQueue": starlark.NewBuiltin("JoinableQueue", m.newQueue),
			"Empty":         m.empty,
			"Full":          m.full,
		},
	}
}

// Queue is gevent.queue.Queue (FIFO), and JoinableQueue.
type Queue struct {
	m          *module
	name       string
	items      []starlark.Value
	maxsize    int // 0: unbounded
	joinable   bool
	unfinished int
	getters    []*greenlet.G
	putters    []*greenlet.G
	joiners    []*greenlet.G
}

// newQueue is Queue(maxsize=None, items=()).
func (m *module) newQueue(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var maxsize, items starlark.Value = starlark.None, starlark.Tuple{}
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "maxsize?", &maxsize, "items?", &items); err != nil {
		return nil, err
	}
	q := &Queue{m: m, name: m.it.Sched().ObjectName(b.Name()), joinable: b.Name() == "JoinableQueue"}
	if maxsize != starlark.None {
		n, err := starlark.AsInt32(maxsize)
		if err != nil {
			return nil, interp.Errorf(interp.TypeError, "%s: maxsize must be an int or None, not %s", b.Name(), interp.PyTypeName(maxsize))
		}
		if n < 0 {
			return nil, interp.Errorf(interp.ValueError, "'maxsize' must be None or non-negative, got %d", n)
		}
		q.maxsize = n
	}
	iter, ok := items.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "%s: items must be iterable", b.Name())
	}
	it := iter.Iterate()
	defer it.Done()
	var x starlark.Value
	for it.Next(&x) {
		q.items = append(q.items, x)
	}
	q.unfinished = len(q.items)
	return q, nil
}

var queueMethods = map[string]*starlark.Builtin{
	"put":        starlark.NewBuiltin("put", qPut),
	"put_nowait": starlark.NewBuiltin("put_nowait", qPut),
	"get":        starlark.NewBuiltin("get", qGet),
	"get_nowait": starlark.NewBuiltin("get_nowait", qGet),
	"peek":       starlark.NewBuiltin("peek", qGet),
	"qsize":      starlark.NewBuiltin("qsize", qSize),
	"empty":      starlark.NewBuiltin("empty", qSize),
	"full":       starlark.NewBuiltin("full", qSize),
}

var joinableMethods = map[string]*starlark.Builtin{
	"task_done": starlark.NewBuiltin("task_done", qTaskDone),
	"join":      starlark.NewBuiltin("join", qJoin),
}

func (q *Queue) String() string {
	return "<" + q.Type() + " queue=" + interp.PyRepr(starlark.NewList(append([]starlark.Value(nil), q.items...))) + ">"
}
func (q *Queue) Type() string {
	if q.joinable {
		return "gevent.queue.JoinableQueue"
	}
	return "gevent.queue.Queue"
}
func (q *Queue) Freeze()               {}
func (q *Queue) Truth() starlark.Bool  { return true }
func (q *Queue) Hash() (uint32, error) { return interp.IdentityHash(q), nil }
func (q *Queue) Len() int              { return len(q.items) }

func (q *Queue) Attr(name string) (starlark.Value, error) {
	switch name {
	case "maxsize":
		if q.maxsize == 0 {
			return starlark.None, nil
		}
		return starlark.MakeInt(q.maxsize), nil
	case "unfinished_tasks":
		if q.joinable {
			return starlark.MakeInt(q.unfinished), nil
		}
	}
	if b, ok := queueMethods[name]; ok {
		return b.BindReceiver(q), nil
	}
	if b, ok := joinableMethods[name]; ok && q.joinable {
		return b.BindReceiver(q), nil
	}
	return nil, nil
}

func (q *Queue) AttrNames() []string {
	names := append(interp.SortedAttrNames(queueMethods), "maxsize")
	if q.joinable {
		names = append(names, "join", "task_done", "unfinished_tasks")
	}
	return names
}

func (q *Queue) full() bool { return q.maxsize > 0 && len(q.items) >= q.maxsize }

func (q *Queue) record(th *starlark.Thread, op trace.Operation) {
	if s := q.m.it.Sched(); s.Recording() {
		s.RecordOp(interp.Current(th), q.name, op, len(q.items))
	}
}

// qPut is put(item, block=True, timeout=None) and put_nowait(item).
func qPut(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var item, timeout starlark.Value = nil, starlark.None
	block := true
	if b.Name() == "put_nowait" {
		if err := starlark.UnpackPositionalArgs("put_nowait", args, kwargs, 1, &item); err != nil {
			return nil, err
		}
		block = false
	} else if err := starlark.UnpackArgs("put", args, kwargs, "item", &item, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds(b.Name(), timeout)
	if err != nil {
		return nil, err
	}
	if !block {
		d = 0
	}
	q := b.Receiver().(*Queue)
	if q.full() {
		cur, err := q.m.current(th)
		if err != nil {
			return nil, err
		}
		deadline := q.m.deadline(d)
		for q.full() {
			left := q.m.remaining(deadline)
			if left == 0 {
				return nil, interp.Raise(interp.NewException(q.m.full))
			}
			q.putters = append(q.putters, cur)
			_, err := cur.Hub().Block(cur, "Queue.put", left)
			q.putters = removeG(q.putters, cur)
			if err != nil {
				return nil, err
			}
		}
	}
	q.items = append(q.items, item)
	q.unfinished++
	q.record(th, trace.Put)
	wakeOne(q.getters, interp.Current(th))
	return starlark.None, nil
}

// qGet is get(block=True, timeout=None), get_nowait() and peek(block=True,
// timeout=None), which leaves the item in the queue.
func qGet(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	block := true
	if b.Name() == "get_nowait" {
		if err := starlark.UnpackPositionalArgs("get_nowait", args, kwargs, 0); err != nil {
			return nil, err
		}
		block = false
	} else if err := starlark.UnpackArgs(b.Name(), args, kwargs, "block?", &block, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds(b.Name(), timeout)
	if err != nil {
		return nil, err
	}
	if !block {
		d = 0
	}
	q := b.Receiver().(*Queue)
	if len(q.items) == 0 {
		cur, err := q.m.current(th)
		if err != nil {
			return nil, err
		}
		deadline := q.m.deadline(d)
		for len(q.items) == 0 {
			left := q.m.remaining(deadline)
			if left == 0 {
				return nil, interp.Raise(interp.NewException(q.m.empty))
			}
			q.getters = append(q.getters, cur)
			_, err := cur.Hub().Block(cur, "Queue.get", left)
			q.getters = removeG(q.getters, cur)
			if err != nil {
				return nil, err
			}
		}
	}
	item := q.items[0]
	if b.Name() == "peek" {
		return item, nil
	}
	q.items[0] = nil
	q.items = q.items[1:]
	q.record(th, trace.Get)
	wakeOne(q.putters, interp.Current(th))
	return item, nil
}

// qSize is qsize(), empty() and full().
func qSize(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	q := b.Receiver().(*Queue)
	switch b.Name() {
	case "empty":
		return starlark.Bool(len(q.items) == 0), nil
	case "full":
		return starlark.Bool(q.full()), nil
	}
	return starlark.MakeInt(len(q.items)), nil
}

func qTaskDone(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("task_done", args, kwargs, 0); err != nil {
		return nil, err
	}
	q := b.Receiver().(*Queue)
	if q.unfinished <= 0 {
		return nil, interp.Errorf(interp.ValueError, "task_done() called too many times")
	}
	q.unfinished--
	q.record(th, trace.TaskDone)
	if q.unfinished == 0 {
		wakeAll(q.joiners, interp.Current(th))
		q.joiners = nil
	}
	return starlark.None, nil
}

// qJoin is join(timeout=None): wait until every item put was task_done();
// True, or False on timeout.
func qJoin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	if err := starlark.UnpackArgs("join", args, kwargs, "timeout?", &timeout); err != nil {
		return nil, err
	}
	d, err := seconds("join", timeout)
	if err != nil {
		return nil, err
	}
	q := b.Receiver().(*Queue)
	if q.unfinished == 0 {
		return starlark.True, nil
	}
	cur, err := q.m.current(th)
	if err != nil {
		return nil, err
	}
	q.joiners = append(q.joiners, cur)
	_, err = cur.Hub().Block(cur, "JoinableQueue.join", d)
	q.joiners = removeG(q.joiners, cur)
	if err != nil {
		return nil, err
	}
	return starlark.Bool(q.unfinished == 0), nil
}

// Iterate makes len(q) work and lists the items without taking them.
func (q *Queue) Iterate() starlark.Iterator {
	return starlark.Tuple(append([]starlark.Value(nil), q.items...)).Iterate()
}
