package queue

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the queue module, beside its code.

var Docs = pydoc.Table{
	"queue": {
		Summary: "Thread-safe queues for passing items between threads: Queue (FIFO), LifoQueue, PriorityQueue, SimpleQueue.",
	},
	"queue.Queue": {
		Sig:     "(maxsize=0)",
		Summary: "A first-in, first-out queue; put() waits while it holds maxsize items (maxsize <= 0: no limit).",
		Type:    "Queue",
	},
	"queue.Queue.put":              {Sig: "(item, block=True, timeout=None)", Summary: "Add item, waiting while the queue is full (at most timeout seconds, then queue.Full)."},
	"queue.Queue.put_nowait":       {Sig: "(item)", Summary: "Add item if there is room, else raise queue.Full."},
	"queue.Queue.get":              {Sig: "(block=True, timeout=None)", Summary: "Remove and return the next item, waiting while the queue is empty (at most timeout seconds, then queue.Empty)."},
	"queue.Queue.get_nowait":       {Sig: "()", Summary: "Remove and return the next item if there is one, else raise queue.Empty."},
	"queue.Queue.qsize":            {Sig: "()", Summary: "How many items the queue holds now."},
	"queue.Queue.empty":            {Sig: "()", Summary: "Whether the queue holds no item now."},
	"queue.Queue.full":             {Sig: "()", Summary: "Whether the queue holds maxsize items now."},
	"queue.Queue.task_done":        {Sig: "()", Summary: "Tell the queue that an item taken with get() has been processed (see join)."},
	"queue.Queue.join":             {Sig: "()", Summary: "Wait until every item put has been got and marked task_done()."},
	"queue.Queue.maxsize":          {Summary: "The capacity given to the constructor (0: unbounded)."},
	"queue.Queue.unfinished_tasks": {Summary: "How many items were put and not yet marked task_done()."},
	"queue.LifoQueue": {
		Sig:     "(maxsize=0)",
		Summary: "A last-in, first-out queue (a stack): get() returns the item put last.",
		Type:    "LifoQueue",
		Base:    "queue.Queue",
	},
	"queue.PriorityQueue": {
		Sig:     "(maxsize=0)",
		Summary: "A queue that returns the smallest item first: put (priority, data) tuples.",
		Type:    "PriorityQueue",
		Base:    "queue.Queue",
	},
	"queue.SimpleQueue": {
		Sig:     "()",
		Summary: "An unbounded first-in, first-out queue without task tracking (no task_done, join or full).",
		Type:    "SimpleQueue",
	},
	"queue.SimpleQueue.put":        {Sig: "(item, block=True, timeout=None)", Summary: "Add item; never waits (block and timeout are accepted and ignored, as in Python)."},
	"queue.SimpleQueue.put_nowait": {Sig: "(item)", Summary: "Add item."},
	"queue.SimpleQueue.get":        {Alias: "queue.Queue.get"},
	"queue.SimpleQueue.get_nowait": {Alias: "queue.Queue.get_nowait"},
	"queue.SimpleQueue.qsize":      {Alias: "queue.Queue.qsize"},
	"queue.SimpleQueue.empty":      {Alias: "queue.Queue.empty"},
	"queue.Empty":                  {Sig: "(*args)", Summary: "Raised by get(block=False), get_nowait() or a get() whose timeout passed, when the queue is empty."},
	"queue.Full":                   {Sig: "(*args)", Summary: "Raised by put(block=False), put_nowait() or a put() whose timeout passed, when the queue is full."},
}
