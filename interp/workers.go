package interp

// maxIdleWorkers bounds the goroutines kept for threads to come.
const maxIdleWorkers = 256

// worker is a goroutine that runs one thread after another. A new
// goroutine's stack starts small and grows by copying as the interpreter's
// deep frames run: that was a third of the cost of starting a thread. A
// goroutine whose thread ended waits here for the next one instead.
type worker struct{ next chan func() }

// goRun runs f on an idle worker, or on a new one.
func (s *Scheduler) goRun(f func()) {
	s.mu.Lock()
	var w *worker
	if n := len(s.idle); n > 0 {
		w = s.idle[n-1]
		s.idle = s.idle[:n-1]
	}
	s.mu.Unlock()
	if w == nil {
		w = &worker{next: make(chan func(), 1)}
		go w.loop(s)
	}
	w.next <- f
}

func (w *worker) loop(s *Scheduler) {
	growStack()
	for f := range w.next {
		f()
		s.mu.Lock()
		if s.closed || len(s.idle) >= maxIdleWorkers {
			s.mu.Unlock()
			return
		}
		s.idle = append(s.idle, w)
		s.mu.Unlock()
	}
}

// growStack grows a new worker's stack to what a thread's interpreter
// frames need, in one step while it is nearly empty: grown step by step
// under deep frames, each step copying them, it was 15% of a class's
// grading time (lab 03: 100 threads a run, each on a new goroutine).
//
//go:noinline
func growStack() {
	var pad [workerStack]byte
	keep(pad[:])
}

// workerStack is about the stack a thread of a course example uses.
const workerStack = 12 << 10

//go:noinline
func keep([]byte) {}

// Close ends the idle workers: call it when the run is over, so that no
// goroutine outlives it.
func (s *Scheduler) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.stopMemWatch()
	for _, w := range s.idle {
		close(w.next)
	}
	s.idle = nil
}
