// Package queue is Python's queue module for starlab scripts: Queue,
// LifoQueue, PriorityQueue and SimpleQueue, with Empty and Full, and
// CPython 3.11's semantics and messages (Lib/queue.py and
// Modules/_queuemodule.c): put/get with block and timeout, put_nowait,
// get_nowait, qsize, empty, full, task_done and join.
//
// Where does Queue.get block? In Queue.get (queue.go), which calls
// interp.Scheduler.WaitUntil on the queue's getters wait queue: that one
// loop parks the thread, times it out on the run's clock (virtual in sim
// mode), and names the wait ("Queue.get") in deadlock reports. A queue is
// three such wait queues (getters, putters, joiners) and a slice; it is
// touched only by the baton holder, so it needs no lock of its own. Every
// put, get and task_done is recorded (trace.Put, trace.Get,
// trace.TaskDone) with qsize() after it, for graders and timelines.
//
// Departures from Python: none in behaviour; PriorityQueue compares items
// with Starlark's ordering (tuples compare element by element, as Python's).
package queue
