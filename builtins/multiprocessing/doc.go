// Package multiprocessing is Python's multiprocessing for starlab: real OS
// processes, the objects they share, and pools of them.
//
// # Processes are started as CPython's spawn method starts them
//
// Process.start runs the starlab binary again (os.Executable) with the
// variable STARLAB_MP_WORKER set; the command's main sees it first and calls
// WorkerMain. The parent sends the child one message over a socket pair
// (file descriptor 3): the script's path, sys.argv, the process's name, the
// target's top-level name and the encoded arguments. The child loads the
// script with __name__ == "__mp_main__", so the code under
// `if __name__ == "__main__":` runs only in the parent, finds the target in
// its globals, calls it and exits: 0, 1 after an exception (printed under
// "Process Process-1:" as CPython does), n for sys.exit(n). A child that
// starts a process while still loading the script (no guard) gets CPython's
// bootstrapping RuntimeError, so a missing guard is an error, never a fork
// bomb. Children write to pipes that the parent copies line by line into its
// own stdout and stderr, so lines are never torn. Each child has Linux's
// parent-death signal (SIGKILL): no child outlives its parent, even one
// killed with SIGKILL. At the end of the run, non-daemon children are
// joined and daemon ones terminated.
//
// Since a child is a new run of the script, nothing is shared: a child's
// li.append(i) changes the child's li, never the parent's. That is the
// course's point, and why the target and its arguments must be able to
// cross: a lambda or a nested function can't (pickle's PicklingError and
// AttributeError), nor can a threading.Lock (TypeError).
//
// # The wire format (wire.go)
//
// Values cross as frames: "SLMP", a version byte, a length, and a tagged
// encoding of None, bool, int, float, str, bytes, list, tuple, dict and set,
// plus two references: a top-level function by name, and a shared object
// by kind and id. The decoder checks every length and bounds nesting; a
// malformed message is an error (FuzzDecode checks it never panics).
//
// # Shared objects live in the parent (shared.go, data.go, server.go)
//
// Value, Array, Lock, RLock, Semaphore, BoundedSemaphore, Event, Queue, Pipe
// and a Manager's dict, list and Namespace are Go objects in the process
// that made them, served on a Unix socket started with the first one. A
// child's proxy sends (id, method, args) and gets the result; the parent's
// proxy calls the object directly. Each call runs under the object's mutex,
// so it is atomic, as a proxy call in Python: v.value += 1 is two calls (a
// read, then a write) and loses updates without a Lock, as in Python.
// Blocking calls (acquire, get, wait, recv) wait outside the baton
// (Scheduler.External), so other threads run and Ctrl-C ends the wait.
//
// # Pools (pool.go, asyncresult.go)
//
// Pool(n) starts n workers with its first task: children that load the
// script and then loop, running one task (a top-level function and its
// arguments) at a time. A goroutine per worker feeds it; a worker that dies
// fails its task and is replaced. Outcomes go to a daemon thread of the
// script, "Thread-N (_handle_results)", which runs the callbacks and
// error_callbacks in the parent, as CPython's result handler does.
//
// # Sim mode
//
// Real processes don't fit a seeded virtual clock, so under --sim a child
// is a simulated process (sim.go, interp/proc.go): a fresh interpreter of
// the script, as __mp_main__ with its own globals and its own module, in
// the same run. Its arguments cross encoded, as to a real child; the
// shared objects are the run's own, called directly, and they block their
// callers through the scheduler (cond.waitLocked), on the virtual clock.
// Pool workers are simulated processes running the task loop (poolsim.go).
// Each process has its own virtual clock, on a machine of --cpus cores:
// 2 threads of CPU work take twice as long as 2 processes, exactly. pids
// are virtual (1000, 1001, ...): a run replays byte for byte from its
// seed, and a deadlock across processes is reported as any other.
package multiprocessing
