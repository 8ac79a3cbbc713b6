package multiprocessing

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// Pool(n): n worker processes, each the starlab binary running the script
// as __mp_main__ and then a loop: read a task (a top-level function and its
// arguments), run it, write the result. A Go goroutine per worker feeds it
// tasks; results go to a result-handler thread of the parent's script,
// which runs the callbacks, as CPython's Pool does. A worker that dies is
// replaced; its task fails.

type task struct {
	payload []byte       // the encoded (func, args, kwargs)
	result  *asyncResult // where the outcome goes
	index   int          // its place in a map's result list
}

// outcome is what one task gave: a value, or an exception's class and message.
type outcome struct {
	task  *task
	value starlark.Value
	exc   *interp.Exception
}

// Pool is multiprocessing.Pool.
type Pool struct {
	m       *Module
	n       int
	init    []byte // the encoded (initializer, initargs)
	mu      sync.Mutex
	queue   []*task
	wake    chan struct{} // a task was queued, or the pool closed
	state   string        // "RUN", "CLOSE", "TERMINATE"
	procs   map[*exec.Cmd]bool
	results chan outcome
	pending int           // tasks not yet handled
	idle    chan struct{} // closed when pending falls to 0 after close
	idleNow sync.Once
	workers sync.WaitGroup
	count   int // workers started, for SpawnPoolWorker-N
	handler *interp.Thread

	// Sim mode (poolsim.go): the workers' main threads, and the outcomes
	// the result handler has yet to deliver.
	simWorkers []*interp.Thread
	outcomes   []outcome
}

func (m *Module) newPool(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var processes, initializer, maxtasks starlark.Value = starlark.None, starlark.None, starlark.None
	var initargs starlark.Value = starlark.Tuple{}
	if err := starlark.UnpackArgs("Pool", args, kwargs, "processes?", &processes, "initializer?", &initializer, "initargs?", &initargs, "maxtasksperchild?", &maxtasks); err != nil {
		return nil, err
	}
	n := 0
	if processes == starlark.None {
		n = m.cpus()
	} else if v, err := starlark.AsInt32(processes); err == nil {
		n = v
	} else {
		return nil, err
	}
	if n < 1 {
		return nil, interp.Errorf(interp.ValueError, "Number of processes must be at least 1")
	}
	if m.bootstrapping {
		return nil, interp.Errorf(interp.RuntimeError, "%s", bootstrapMsg)
	}
	if initializer != starlark.None {
		if _, err := topLevel(initializer); err != nil {
			return nil, err
		}
	}
	initPayload, err := encodeValue(starlark.Tuple{starlark.Tuple{initializer, initargs}, starlark.NewDict(0)}, m.refOf)
	if err != nil {
		return nil, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	if m.script == "" {
		if stack := th.CallStack(); len(stack) > 0 {
			if abs, err := scriptPath(th, stack[0].Pos.Filename()); err == nil {
				m.script = abs
			}
		}
	}
	p := &Pool{m: m, n: n, init: initPayload, wake: make(chan struct{}, 1), state: "RUN",
		procs: make(map[*exec.Cmd]bool), results: make(chan outcome, 64), idle: make(chan struct{})}
	name := fmt.Sprintf("Thread-%d (_handle_results)", t.Sched().NextThreadNumber())
	if t.Sched().Sim() {
		p.handler = m.it.Go(t, name, true, p.handleResultsSim)
		m.it.AtExit(p.exitSim)
	} else {
		p.handler = m.it.Go(t, name, true, p.handleResults)
		m.it.Track(p.terminate)
	}
	return p, nil
}

// ensureWorkers starts the workers with the first task: a Pool that is
// made and never used (help()'s tests make one) starts no process.
func (p *Pool) ensureWorkers() error {
	p.mu.Lock()
	started := p.count > 0 || p.state != "RUN"
	p.mu.Unlock()
	if started {
		return nil
	}
	for i := 0; i < p.n; i++ {
		if err := p.startWorker(); err != nil {
			p.terminate()
			return err
		}
	}
	return nil
}

// startWorker starts one worker process and its feeding goroutine.
func (p *Pool) startWorker() error {
	p.mu.Lock()
	p.count++
	name := fmt.Sprintf("SpawnPoolWorker-%d", p.count)
	p.mu.Unlock()
	if p.m.it.Sched().Sim() {
		return p.startWorkerSim(name)
	}
	msg, err := p.m.workerMessage(name, p.init)
	if err != nil {
		return err
	}
	cmd, conn, err := p.m.spawn(msg)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.procs[cmd] = true
	p.mu.Unlock()
	p.workers.Add(1)
	go p.feed(cmd, conn)
	return nil
}

// next takes the next task, waiting; nil when the pool is closed and
// drained, or terminated.
func (p *Pool) next() *task {
	for {
		p.mu.Lock()
		if p.state == "TERMINATE" {
			p.mu.Unlock()
			p.signal() // pass the news on to the next worker
			return nil
		}
		if len(p.queue) > 0 {
			t := p.queue[0]
			p.queue = p.queue[1:]
			if len(p.queue) > 0 {
				p.signal()
			}
			p.mu.Unlock()
			return t
		}
		closed := p.state == "CLOSE"
		p.mu.Unlock()
		if closed {
			p.signal() // pass the news on to the next worker
			return nil
		}
		<-p.wake
	}
}

func (p *Pool) signal() {
	if s := p.m.it.Sched(); s.Sim() {
		s.Signal()
		return
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// feed gives one worker its tasks until the pool ends; if the worker dies
// its task fails and a new worker takes its place.
func (p *Pool) feed(cmd *exec.Cmd, conn *os.File) {
	defer p.workers.Done()
	defer func() {
		conn.Close()
		waitExit(cmd)
		p.mu.Lock()
		delete(p.procs, cmd)
		p.mu.Unlock()
	}()
	for {
		t := p.next()
		if t == nil {
			return
		}
		var frame []byte
		err := writeFrame(conn, t.payload)
		if err == nil {
			frame, err = readFrame(conn)
		}
		if err != nil {
			p.mu.Lock()
			running := p.state != "TERMINATE"
			p.mu.Unlock()
			if !running { // killed by terminate(): no outcome, no callback (CPython)
				return
			}
			p.results <- outcome{task: t, exc: interp.NewException(interp.RuntimeError, starlark.String("multiprocessing: a pool worker died while running the task"))}
			p.startWorker()
			return
		}
		p.results <- p.m.decodeOutcome(t, frame)
	}
}

// decodeOutcome reads a worker's reply: ("ok", value) or ("err", class, message).
func (m *Module) decodeOutcome(t *task, frame []byte) outcome {
	v, err := decodeValue(frame, m.resolveLocal)
	rep, ok := v.(starlark.Tuple)
	if err == nil && ok && len(rep) == 2 && rep[0] == starlark.String("ok") {
		return outcome{task: t, value: rep[1]}
	}
	if err == nil && ok && len(rep) == 3 && rep[0] == starlark.String("err") {
		name, _ := starlark.AsString(rep[1])
		msg, _ := starlark.AsString(rep[2])
		return outcome{task: t, exc: m.exceptionFrom(name, msg)}
	}
	return outcome{task: t, exc: interp.NewException(interp.RuntimeError, starlark.String("multiprocessing: bad reply from a pool worker"))}
}

// exceptionFrom makes the exception a child reported by class name.
func (m *Module) exceptionFrom(name, msg string) *interp.Exception {
	cls := interp.BuiltinExceptions()[name]
	switch name {
	case "Empty":
		cls = m.empty
	case "Full":
		cls = m.full
	}
	if cls == nil {
		cls = interp.RuntimeError
		msg = name + ": " + msg
	}
	if msg == "" {
		return interp.NewException(cls)
	}
	return interp.NewException(cls, starlark.String(msg))
}

// handleResults is the result-handler thread: it delivers each outcome to
// its AsyncResult, whose callbacks run here, in the parent.
func (p *Pool) handleResults(t *interp.Thread) error {
	for {
		var o outcome
		err := t.Sched().External(t, "Pool result handler", func(cancel <-chan struct{}) error {
			select {
			case o = <-p.results:
			case <-cancel:
			}
			return nil
		})
		if err != nil {
			return err
		}
		if o.task == nil {
			continue
		}
		o.task.result.deliver(t.S, o)
		p.mu.Lock()
		p.pending--
		if p.pending == 0 && p.state != "RUN" {
			p.idleNow.Do(func() { close(p.idle) })
		}
		p.mu.Unlock()
	}
}

// submit queues the calls of fn, one per argument tuple, into r.
func (p *Pool) submit(fn starlark.Value, calls []starlark.Tuple, kwargs *starlark.Dict, r *asyncResult) error {
	if _, err := topLevel(fn); err != nil {
		return err
	}
	tasks := make([]*task, len(calls))
	for i, args := range calls {
		payload, err := encodeValue(starlark.Tuple{fn, args, kwargs}, p.m.refOf)
		if err != nil {
			return err
		}
		tasks[i] = &task{payload: payload, result: r, index: i}
	}
	if err := p.ensureWorkers(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != "RUN" {
		return interp.Errorf(interp.ValueError, "Pool not running")
	}
	p.queue = append(p.queue, tasks...)
	p.pending += len(tasks)
	p.signal()
	return nil
}

// close is Pool.close(): no more tasks; the workers end once the queue is empty.
func (p *Pool) close() {
	p.mu.Lock()
	if p.state == "RUN" {
		p.state = "CLOSE"
		if p.pending == 0 {
			p.idleNow.Do(func() { close(p.idle) })
		}
	}
	p.mu.Unlock()
	p.signal()
}

// terminate is Pool.terminate(): the workers are killed at once.
func (p *Pool) terminate() {
	p.mu.Lock()
	p.idleNow.Do(func() { close(p.idle) })
	p.state = "TERMINATE"
	for cmd := range p.procs {
		cmd.Process.Kill()
	}
	for _, w := range p.simWorkers {
		p.m.it.Sched().StopProc(w.Proc())
	}
	p.mu.Unlock()
	p.signal()
}

// join is Pool.join(): wait for every task's outcome, then the workers.
func (p *Pool) join(th *starlark.Thread) error {
	p.mu.Lock()
	state := p.state
	p.mu.Unlock()
	if state == "RUN" {
		return interp.Errorf(interp.ValueError, "Pool is still running")
	}
	if state == "CLOSE" {
		if err := waitDone(th, "Pool.join", p.idle, -1); err != nil {
			return err
		}
	}
	if p.m.it.Sched().Sim() {
		return p.joinWorkersSim(th)
	}
	done := make(chan struct{})
	go func() { p.workers.Wait(); close(done) }()
	return waitDone(th, "Pool.join", done, -1)
}

func (p *Pool) String() string {
	return fmt.Sprintf("<multiprocessing.pool.Pool state=%s pool_size=%d>", p.state, p.n)
}
func (p *Pool) Type() string          { return "Pool" }
func (p *Pool) Freeze()               {}
func (p *Pool) Truth() starlark.Bool  { return true }
func (p *Pool) Hash() (uint32, error) { return interp.IdentityHash(p), nil }

var poolMethods = []string{"apply", "apply_async", "close", "imap", "imap_unordered", "join", "map", "map_async", "starmap", "starmap_async", "terminate"}

func (p *Pool) AttrNames() []string { return poolMethods }

func (p *Pool) Attr(name string) (starlark.Value, error) {
	for _, meth := range poolMethods {
		if meth == name {
			return starlark.NewBuiltin(name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				return p.method(th, name, args, kwargs)
			}), nil
		}
	}
	return nil, nil
}

// waitTimeout reads a timeout argument (get, wait, join, next): None is
// no limit (< 0); the one parser and the one message for all of them.
func waitTimeout(v starlark.Value) (time.Duration, error) {
	return pyarg.Timeout(v, pyarg.TimeoutSpec{
		TypeMsg: func(v starlark.Value) string {
			return fmt.Sprintf("'%s' object cannot be interpreted as a timeout", interp.PyTypeName(v))
		},
		TooLargeMsg: "timeout value is too large",
	})
}
