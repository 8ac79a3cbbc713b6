// Package threading is Python's threading module for starlab scripts:
// Thread, Lock, RLock, Condition, Semaphore, BoundedSemaphore, Event,
// Barrier, Timer, local, and current_thread, main_thread, active_count,
// enumerate, get_ident, with CPython 3.11's names, arguments, errors and
// edge cases (start twice, release an unlocked lock, join with a timeout).
//
// A Thread is an interp.Thread: a goroutine that runs Starlark only while it
// holds the scheduler's baton, starlab's GIL. Each primitive is a little
// state and one or more interp.WaitQueues; every blocking call is one
// interp.Scheduler.WaitUntil, which parks the thread with a reason
// ("Lock.acquire") that deadlock reports and traces show, on the run's clock
// (virtual in sim mode). Because only the baton holder runs Go code here,
// the primitives need no mutex of their own: the baton is the lock that
// CPython's versions take internally. Each primitive records its operations
// (trace.Acquire, trace.Put, ...) under the name ObjectName gave it
// ("Lock-1"), for graders and timelines.
//
// One file per primitive: thread.go, lock.go, rlock.go, condition.go,
// semaphore.go, event.go, barrier.go, timer.go, local.go.
//
// Departures from Python: Starlark has no classes, so a Thread subclass's
// run() is passed as Thread(run=fn), fn receiving the thread; there is no
// `with lock:`, so acquire() and release() are called by hand. The Python 2
// spellings the course uses (isSet, setDaemon, getName, setName, isAlive,
// currentThread, activeCount) are aliases.
package threading
