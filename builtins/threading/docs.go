package threading

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the threading module, beside its code.

var Docs = pydoc.Table{
	"threading": {
		Summary: "Threads and the primitives that coordinate them: Lock, RLock, Condition, Semaphore, Event, Barrier, Timer.",
		More:    "Threads take turns holding one baton (the GIL), as in CPython; a deadlock is reported, never a silent hang.",
	},

	"threading.Thread": {
		Sig:     "(group=None, target=None, name=None, args=(), kwargs=None, daemon=None, run=None)",
		Summary: "A thread of control: start() runs target(*args, **kwargs) (or run(self)) in a new thread.",
		Python:  "threading.Thread(target=, args=, kwargs=, name=, daemon=); run=fn stands in for subclassing Thread and overriding run(self)",
		Type:    "Thread",
		Make:    "threading.Thread(target=print)",
	},
	"threading.Thread.start":     {Sig: "()", Summary: "Start the thread; it runs until its target returns. At most once per thread."},
	"threading.Thread.run":       {Sig: "()", Summary: "What the thread runs: run(self) if given, else target(*args, **kwargs); call start() to run it in a new thread."},
	"threading.Thread.join":      {Sig: "(timeout=None)", Summary: "Wait until the thread ends, or at most timeout seconds; returns None either way (ask is_alive())."},
	"threading.Thread.is_alive":  {Sig: "()", Summary: "Whether the thread has started and not yet ended."},
	"threading.Thread.isAlive":   {Alias: "threading.Thread.is_alive"},
	"threading.Thread.getName":   {Sig: "()", Summary: "The thread's name (Python 2 spelling of t.name)."},
	"threading.Thread.setName":   {Sig: "(name)", Summary: "Rename the thread (Python 2 spelling of t.name = name)."},
	"threading.Thread.isDaemon":  {Sig: "()", Summary: "Whether it is a daemon thread (Python 2 spelling of t.daemon)."},
	"threading.Thread.setDaemon": {Sig: "(daemonic)", Summary: "Make it a daemon thread or not, before start() (Python 2 spelling of t.daemon = x)."},
	"threading.Thread.name":      {Summary: "The thread's name (\"Thread-1 (work)\" by default); assignable."},
	"threading.Thread.daemon":    {Summary: "Whether the program may end while this thread still runs; set it before start()."},
	"threading.Thread.ident":     {Summary: "The thread's identifier, an int; None before start()."},
	"threading.Thread.native_id": {Summary: "The thread's identifier, as ident (starlab threads are not OS threads)."},

	"threading.Lock": {
		Sig:     "()",
		Summary: "A lock: one thread at a time holds it; any thread may release it.",
		Python:  "threading.Lock(); instead of with lock: write lock.acquire() ... lock.release()",
		Type:    "lock",
	},
	"threading.Lock.acquire":      {Sig: "(blocking=True, timeout=-1)", Summary: "Take the lock, waiting while another thread holds it; returns True, or False if not blocking or the timeout passed."},
	"threading.Lock.release":      {Sig: "()", Summary: "Free the lock; RuntimeError if it is not locked."},
	"threading.Lock.locked":       {Sig: "()", Summary: "Whether the lock is held."},
	"threading.Lock.acquire_lock": {Alias: "threading.Lock.acquire"},
	"threading.Lock.release_lock": {Alias: "threading.Lock.release"},
	"threading.Lock.locked_lock":  {Alias: "threading.Lock.locked"},

	"threading.RLock": {
		Sig:     "()",
		Summary: "A reentrant lock: its owner may acquire it again, and must release it as often before another thread gets it.",
		Python:  "threading.RLock(); instead of with rlock: write rlock.acquire() ... rlock.release()",
		Type:    "RLock",
	},
	"threading.RLock.acquire":          {Sig: "(blocking=True, timeout=-1)", Summary: "Take the lock, or take it once more if this thread owns it; returns True, or False on timeout."},
	"threading.RLock.release":          {Sig: "()", Summary: "Release one level; the lock is free when every acquire has been released. Only the owner may."},
	"threading.RLock._is_owned":        {Sig: "()", Summary: "Whether the calling thread owns the lock (CPython's private helper)."},
	"threading.RLock._recursion_count": {Sig: "()", Summary: "How many times the owner holds the lock (CPython's private helper)."},

	"threading.Condition": {
		Sig:     "(lock=None)",
		Summary: "A condition variable: threads wait() until another notify()s them, all under one lock (a new RLock unless given).",
		Python:  "threading.Condition(lock=None); instead of with cond: write cond.acquire() ... cond.release()",
		Type:    "Condition",
	},
	"threading.Condition.acquire":    {Sig: "(blocking=True, timeout=-1)", Summary: "Acquire the condition's lock."},
	"threading.Condition.release":    {Sig: "()", Summary: "Release the condition's lock."},
	"threading.Condition.wait":       {Sig: "(timeout=None)", Summary: "Release the lock, wait until notified (or timeout seconds), take the lock again; False on timeout."},
	"threading.Condition.wait_for":   {Sig: "(predicate, timeout=None)", Summary: "wait() until predicate() is true, or the timeout passes; returns the last value of predicate()."},
	"threading.Condition.notify":     {Sig: "(n=1)", Summary: "Wake up to n threads waiting on the condition; the caller must hold the lock."},
	"threading.Condition.notify_all": {Sig: "()", Summary: "Wake every thread waiting on the condition; the caller must hold the lock."},
	"threading.Condition.notifyAll":  {Alias: "threading.Condition.notify_all"},
	"threading.Condition._is_owned":  {Sig: "()", Summary: "Whether the calling thread holds the lock (CPython's private helper)."},

	"threading.Semaphore": {
		Sig:     "(value=1)",
		Summary: "A counter of free slots: acquire() takes one, waiting while there is none; release() gives one back.",
		Python:  "threading.Semaphore(value=1); instead of with sem: write sem.acquire() ... sem.release()",
		Type:    "Semaphore",
	},
	"threading.Semaphore.acquire": {Sig: "(blocking=True, timeout=None)", Summary: "Take a slot, waiting while the counter is 0; True, or False if not blocking or on timeout."},
	"threading.Semaphore.release": {Sig: "(n=1)", Summary: "Give n slots back, waking up to n waiting threads."},
	"threading.Semaphore._value":  {Summary: "The current counter (CPython's private attribute, which the course prints)."},
	"threading.BoundedSemaphore": {
		Sig:     "(value=1)",
		Summary: "A Semaphore whose release() raises ValueError if it would go above its initial value.",
		Python:  "threading.BoundedSemaphore(value=1); instead of with sem: write sem.acquire() ... sem.release()",
		Type:    "BoundedSemaphore",
		Base:    "threading.Semaphore",
	},

	"threading.Event": {
		Sig:     "()",
		Summary: "A flag that threads can wait for: set() raises it and wakes them, clear() lowers it.",
		Type:    "Event",
	},
	"threading.Event.set":    {Sig: "()", Summary: "Raise the flag, waking every waiting thread."},
	"threading.Event.clear":  {Sig: "()", Summary: "Lower the flag."},
	"threading.Event.is_set": {Sig: "()", Summary: "Whether the flag is raised."},
	"threading.Event.isSet":  {Alias: "threading.Event.is_set"},
	"threading.Event.wait":   {Sig: "(timeout=None)", Summary: "Wait until the flag is raised, or at most timeout seconds; returns the flag."},

	"threading.Barrier": {
		Sig:     "(parties, action=None, timeout=None)",
		Summary: "A meeting point: each of parties threads waits in wait() until all have arrived, then all go on.",
		Type:    "Barrier",
		Make:    "threading.Barrier(2)",
	},
	"threading.Barrier.wait":      {Sig: "(timeout=None)", Summary: "Wait for the other parties; returns this thread's arrival index (0 .. parties-1). BrokenBarrierError if broken."},
	"threading.Barrier.reset":     {Sig: "()", Summary: "Return the barrier to its empty state; threads waiting in it get BrokenBarrierError."},
	"threading.Barrier.abort":     {Sig: "()", Summary: "Break the barrier: current and future wait() calls raise BrokenBarrierError until reset()."},
	"threading.Barrier.parties":   {Summary: "How many threads must arrive for the barrier to trip."},
	"threading.Barrier.n_waiting": {Summary: "How many threads wait in it now."},
	"threading.Barrier.broken":    {Summary: "Whether the barrier is broken."},

	"threading.Timer": {
		Sig:     "(interval, function, args=None, kwargs=None)",
		Summary: "A Thread that, once started, calls function(*args, **kwargs) after interval seconds unless cancel()led first.",
		Type:    "Timer",
		Make:    "threading.Timer(1, print)",
		Base:    "threading.Thread",
	},
	"threading.Timer.cancel":   {Sig: "()", Summary: "Stop the timer if it has not fired yet."},
	"threading.Timer.interval": {Summary: "The delay in seconds, read when the timer starts waiting."},
	"threading.Timer.function": {Summary: "The function the timer calls."},
	"threading.Timer.args":     {Summary: "The positional arguments of the call."},
	"threading.Timer.kwargs":   {Summary: "The keyword arguments of the call."},
	"threading.Timer.finished": {Summary: "The Event that cancel() sets, and the timer sets once it has fired."},

	"threading.local": {
		Sig:     "()",
		Summary: "An object whose attributes are per thread: each thread sees only the values it set itself.",
		Type:    "_thread._local",
	},

	"threading.current_thread": {Sig: "()", Summary: "The Thread object of the calling thread."},
	"threading.currentThread":  {Alias: "threading.current_thread"},
	"threading.main_thread":    {Sig: "()", Summary: "The Thread object of the main thread."},
	"threading.active_count":   {Sig: "()", Summary: "How many threads are alive, the main thread included."},
	"threading.activeCount":    {Alias: "threading.active_count"},
	"threading.enumerate":      {Sig: "()", Summary: "A list of the Thread objects alive now."},
	"threading.get_ident":      {Sig: "()", Summary: "The identifier of the calling thread (its ident)."},
	"threading.get_native_id":  {Sig: "()", Summary: "The identifier of the calling thread (as get_ident: starlab threads are not OS threads)."},
	"threading.TIMEOUT_MAX":    {Summary: "The largest timeout, in seconds, that a blocking call accepts."},
	"threading.BrokenBarrierError": {
		Sig:     "(*args)",
		Summary: "Raised by Barrier.wait when the barrier is broken or reset; a RuntimeError.",
	},
	"threading.ThreadError": {
		Sig:     "(*args)",
		Summary: "The same class as RuntimeError, as in Python 3 (releasing an unlocked lock raises it).",
	},
}
