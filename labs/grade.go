package labs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// Check statuses.
const (
	StatusPass  = "pass"
	StatusFail  = "fail"
	StatusError = "error"
)

// CheckResult is the verdict of one check.
type CheckResult struct {
	Name    string
	Status  string // pass, fail or error
	Message string // what went wrong, in the learner's terms
	// NameZh and MessageZh are the grader's Chinese for Name and Message
	// (grade.check's and grade.fail's zh=), shown by `check --lang zh`.
	NameZh, MessageZh string
	Replay            string // for a sim-mode failure: the command that replays it
	Output            string // the learner's output of the failing run, trimmed
	// Deadlock is the failing run's deadlock report, whole; Output leaves
	// it out, so that a report shows it once (see fullOutput).
	Deadlock string
	Elapsed  time.Duration
}

// Report is the verdict on one submission.
type Report struct {
	Lab     string
	File    string
	Status  string // pass when every check passed; error when the file does not even compile
	Message string // for status error
	Checks  []CheckResult
	Elapsed time.Duration
	Lang    string // "zh" for Chinese headings and budget messages in the text report
}

// Passed reports whether every check passed.
func (r *Report) Passed() bool { return r.Status == StatusPass }

// Grade runs the lab's grader on a submission: filename is how the learner
// names the file (for tracebacks and replay commands), src its text.
func Grade(l *Lab, filename string, src []byte) *Report {
	return GradeWith(l, filename, src, GradeOptions{})
}

// GradeWith is Grade with options (see class.go): how many runs of a sweep
// go in parallel, for a class graded many submissions at once.
func GradeWith(l *Lab, filename string, src []byte, opts GradeOptions) *Report {
	start := time.Now()
	rep := &Report{Lab: l.ID, File: filename}
	defer func() { rep.Elapsed = time.Since(start) }()

	probe := interp.New(interp.Options{Predeclared: builtins.Predeclared})
	compiled, err := probe.Compile(filename, src)
	if err != nil {
		rep.Status = StatusError
		rep.Message = "your script does not compile:\n" + probe.CompileErrorText(err)
		return rep
	}
	graderSrc, err := l.File("grader.star")
	if err != nil {
		rep.Status = StatusError
		rep.Message = "this lab has no grader: " + err.Error()
		return rep
	}
	g := &grader{lab: l, filename: filename, src: src, compiled: compiled, opts: opts, memory: l.Meta.Limits.memoryBudget()}
	defer g.folders.close()
	var out bytes.Buffer
	it := interp.New(interp.Options{
		Stdout: &out, Stderr: &out,
		ModuleName: "grader",
		Predeclared: func(it *interp.Interp) starlark.StringDict {
			d := builtins.Predeclared(it)
			d["grade"] = g.module()
			return d
		},
	})
	graderProg, err := it.Compile(l.ID+"/grader.star", graderSrc)
	if err != nil {
		rep.Status = StatusError
		rep.Message = "the lab's grader does not compile (a bug in the lab):\n" + it.CompileErrorText(err)
		return rep
	}
	// The grader's module registers its checks; then, on the same main
	// thread of the grader's run, each check is called in turn.
	code := it.RunCompiledThen(graderProg, func(st *starlark.Thread) error {
		for _, c := range g.checks {
			rep.Checks = append(rep.Checks, g.runCheck(it, st, c))
		}
		return nil
	})
	if code != 0 {
		rep.Status = StatusError
		rep.Message = "the lab's grader failed (a bug in the lab, not in your script):\n" + out.String()
		return rep
	}
	rep.Status = StatusPass
	for _, c := range rep.Checks {
		if c.Status != StatusPass {
			rep.Status = StatusFail
		}
	}
	return rep
}

// grader is the state behind the `grade` module of one grading.
type grader struct {
	lab      *Lab
	filename string
	src      []byte // the submission, for the children of multiprocessing
	compiled *interp.Compiled
	checks   []registeredCheck
	opts     GradeOptions

	folders runFolders // the runs' own folders (limits.go)
	memory  int64      // each run's memory budget, read once (limits.go)
	cache   runCache   // sim runs already made, by their options (runcache.go)

	eventsHint atomic.Int64 // how many events the last run recorded
}

type registeredCheck struct {
	name, zhName string
	fn           starlark.Callable
}

// checkFailed is the Python exception grade.fail raises; it carries the seed
// of a failing sim run so the report can name the replay command.
var checkFailed = interp.NewModuleExceptionClass("grade", "CheckFailed", interp.AssertionError)

func (g *grader) module() *starlarkstruct.Module {
	return &starlarkstruct.Module{
		Name: "grade",
		Members: starlark.StringDict{
			"check":       starlark.NewBuiltin("check", g.check),
			"run":         starlark.NewBuiltin("run", g.run),
			"sweep":       starlark.NewBuiltin("sweep", g.sweep),
			"fail":        starlark.NewBuiltin("fail", g.fail),
			"expect":      starlark.NewBuiltin("expect", g.expect),
			"max_holders": starlark.NewBuiltin("max_holders", maxHolders),
			"serve":       starlark.NewBuiltin("serve", g.serve),
			"free_port":   starlark.NewBuiltin("free_port", freePort),
			"CheckFailed": checkFailed,
		},
	}
}

// check(name, fn, zh="") registers a check; fn() passes unless it raises.
// zh is the check's name in Chinese.
func (g *grader) check(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, zhName string
	var fn starlark.Callable
	if err := starlark.UnpackArgs("check", args, kwargs, "name", &name, "fn", &fn, "zh?", &zhName); err != nil {
		return nil, err
	}
	g.checks = append(g.checks, registeredCheck{name: name, zhName: zhName, fn: fn})
	return starlark.None, nil
}

// runOptions are the keyword arguments of grade.run and grade.sweep.
type runOptions struct {
	sim       bool
	seed      int64
	cpus      int // sim mode's virtual cores, which simulated processes share
	stdin     string
	argv      []string // sys.argv[1:]
	timeLimit time.Duration
	maxTime   time.Duration
	maxSteps  uint64
	// summary: keep a bounded copy of the globals, not the run's own values
	// (a sweep; see boundedGlobals).
	summary bool
}

func (g *grader) defaults() runOptions {
	o := runOptions{seed: 1, cpus: 2, timeLimit: 10 * time.Second, maxTime: time.Hour, maxSteps: 200_000_000}
	if m := g.lab.Meta; m.TimeLimit > 0 {
		o.timeLimit = time.Duration(m.TimeLimit * float64(time.Second))
	}
	if m := g.lab.Meta; m.VirtualLimit > 0 {
		o.maxTime = time.Duration(m.VirtualLimit * float64(time.Second))
	}
	if m := g.lab.Meta; m.MaxSteps > 0 {
		o.maxSteps = m.MaxSteps
	}
	return o
}

func unpackRunOptions(fn string, o *runOptions, args starlark.Tuple, kwargs []starlark.Tuple, extra ...any) error {
	var timeLimit, maxTime starlark.Value = starlark.None, starlark.None
	var maxSteps int
	var argv starlark.Value = starlark.None
	pairs := append([]any{"sim?", &o.sim, "seed?", &o.seed, "cpus?", &o.cpus, "stdin?", &o.stdin, "argv?", &argv, "time_limit?", &timeLimit, "max_time?", &maxTime, "max_steps?", &maxSteps}, extra...)
	if err := starlark.UnpackArgs(fn, args, kwargs, pairs...); err != nil {
		return err
	}
	if o.cpus < 1 || o.cpus > 1024 {
		return interp.Errorf(interp.ValueError, "%s: cpus must be between 1 and 1024", fn)
	}
	if argv != starlark.None {
		seq, ok := argv.(starlark.Indexable)
		if !ok {
			return interp.Errorf(interp.TypeError, "%s: argv must be a list of strings", fn)
		}
		for i := 0; i < seq.Len(); i++ {
			o.argv = append(o.argv, interp.PyStr(seq.Index(i)))
		}
	}
	if f, ok := starlark.AsFloat(timeLimit); ok && f > 0 {
		o.timeLimit = time.Duration(f * float64(time.Second))
	}
	if f, ok := starlark.AsFloat(maxTime); ok && f > 0 {
		o.maxTime = time.Duration(f * float64(time.Second))
	}
	if maxSteps > 0 {
		o.maxSteps = uint64(maxSteps)
	}
	return nil
}

// run(sim=False, seed=1, cpus=2, stdin="", time_limit=None, max_time=None, max_steps=None)
// runs the submission once and returns what happened (see runResult).
// cpus sizes sim mode's virtual machine, whose cores simulated processes
// share (as `starlab run --sim --cpus N`).
func (g *grader) run(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	o := g.defaults()
	if err := unpackRunOptions("run", &o, args, kwargs); err != nil {
		return nil, err
	}
	return g.execute(o), nil
}

// sweep(seeds=200, first_seed=1, stdin="", ..., stop_when=None) runs the
// submission in sim mode once per seed, spread over the cores, and returns
// the runs in seed order. With stop_when, a function of a run, the sweep
// stops at the first run (in seed order) for which it is true and returns
// the runs up to that one: a broken submission costs a few runs, not 200.
func (g *grader) sweep(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	o := g.defaults()
	seeds, first := 200, 1
	var stopWhen starlark.Value = starlark.None
	if err := unpackRunOptions("sweep", &o, args, kwargs, "seeds?", &seeds, "first_seed?", &first, "stop_when?", &stopWhen); err != nil {
		return nil, err
	}
	if seeds < 1 || seeds > 100000 {
		return nil, interp.Errorf(interp.ValueError, "sweep: seeds must be between 1 and 100000")
	}
	if _, ok := stopWhen.(starlark.Callable); stopWhen != starlark.None && !ok {
		return nil, interp.Errorf(interp.TypeError, "sweep: stop_when must be a function of a run")
	}
	o.sim = true
	o.summary = true
	if stopWhen == starlark.None {
		return g.lazySweep(o, first, seeds), nil
	}
	// Workers take seeds in order and hand each run back on its own
	// channel; this thread reads them in seed order, so stop_when (Starlark
	// code) runs only here, on the grader's thread.
	slots := make([]chan starlark.Value, seeds)
	for i := range slots {
		slots[i] = make(chan starlark.Value, 1)
	}
	stop := make(chan struct{})
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range slots {
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < g.opts.parallel(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				oi := o
				oi.seed = int64(first + i)
				slots[i] <- g.execute(oi)
			}
		}()
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()
	var runs []starlark.Value
	for i := range slots {
		run := <-slots[i]
		runs = append(runs, run)
		if stopWhen == starlark.None {
			continue
		}
		hit, err := starlark.Call(th, stopWhen, starlark.Tuple{run}, nil)
		if err != nil {
			return nil, err
		}
		if hit.Truth() {
			break
		}
	}
	return starlark.NewList(runs), nil
}

// execute runs the submission once, in its own interpreter, and describes
// the run as a struct: exit, stdout, stderr, globals, events, time (on the
// run's clock, virtual in sim mode), deadlock (the report or None), stopped
// (why a budget stopped it, or None), sim, seed, cpus, replay (the command).
func (g *grader) execute(o runOptions) starlark.Value {
	return g.cache.get(o, func() starlark.Value { // a sim run made once (runcache.go)
		if o.sim { // CPU-bound: one of the class's CPU slots (class.go)
			defer g.opts.acquireCPU()()
		}
		return g.start(o).finish(o.timeLimit)
	})
}

// submissionRun is one run of the submission, running or ended.
type submissionRun struct {
	g      *grader
	o      runOptions
	it     *interp.Interp
	done   chan struct{}
	code   int
	mu     sync.Mutex // guards the buffers and events, written by the run
	stdout bytes.Buffer
	stderr bytes.Buffer
	events []event
	lastAt time.Duration
	limit  limiter // the lab's caps on threads and output (limits.go)
	dir    string  // the run's own folder, removed when it ends
	// What the scheduler says of the run's threads, for serve's idle():
	// which are alive, which of them wait (blocked, or in a system call),
	// and how many wake-ups there were.
	alive   map[int64]bool
	waiting map[int64]bool
	wakes   uint64
}

// quiet reports whether every thread of the run waits now (none runs or
// could run), with the count of wake-ups so far: two looks with the same
// count, both quiet, mean nothing ran in between.
func (r *submissionRun) quiet() (bool, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id := range r.alive {
		if !r.waiting[id] {
			return false, r.wakes
		}
	}
	return len(r.alive) > 0, r.wakes
}

// start begins a run of the submission in the background.
func (g *grader) start(o runOptions) *submissionRun {
	r := &submissionRun{g: g, o: o, done: make(chan struct{}), alive: map[int64]bool{}, waiting: map[int64]bool{}}
	r.events = make([]event, 0, g.eventsHint.Load()) // as many as the last run's (events.go)
	r.limit = limiter{limits: g.lab.Meta.Limits, stop: func(reason string) { r.it.Sched().Stop(reason) }}
	record := func(e trace.Event) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.lastAt = e.At
		switch e.Kind { // what quiet() reads: who lives, who waits, wakes
		case trace.Start:
			r.alive[e.Thread] = true
		case trace.Wait:
			r.waiting[e.Thread] = true
		case trace.End:
			delete(r.alive, e.Thread)
			delete(r.waiting, e.Thread)
		case trace.Wake, trace.Run:
			if r.waiting[e.Thread] {
				r.wakes++
			}
			delete(r.waiting, e.Thread)
		}
		if ev, ok := eventOf(e); ok { // events.go
			r.events = append(r.events, ev)
		}
	}
	r.it = interp.New(interp.Options{
		Stdin:       strings.NewReader(o.stdin),
		Stdout:      cappedWriter{r, &r.stdout},
		Stderr:      cappedWriter{r, &r.stderr},
		Argv:        append([]string{g.filename}, o.argv...),
		Predeclared: builtins.Predeclared,
		Confine:     r.confine(), // a fresh folder, loopback only (limits.go)
		Sched: interp.SchedConfig{
			Sim: o.sim, Seed: o.seed, CPUs: o.cpus, Recorder: trace.RecorderFunc(record),
			MaxSteps: o.maxSteps, MaxTime: o.maxTime,
			MaxMemory: g.memory,
		},
	})
	r.placeScript()
	go func() {
		r.code = r.it.RunCompiled(g.compiled)
		r.cleanup()
		close(r.done)
	}()
	return r
}

// placeScript writes the submission into the run's folder under its own
// name when it uses multiprocessing: a child process loads the script from
// its file, resolved against the run's working directory (that folder).
func (r *submissionRun) placeScript() {
	if r.dir == "" || filepath.IsAbs(r.g.filename) || !bytes.Contains(r.g.src, []byte("multiprocessing")) {
		return
	}
	path := filepath.Join(r.dir, r.g.filename)
	if rel, err := filepath.Rel(r.dir, path); err != nil || strings.HasPrefix(rel, "..") {
		return // a name that leaves the folder: the child reports the missing file
	}
	if os.MkdirAll(filepath.Dir(path), 0o700) == nil { // makes the run's folder too (it is made lazily)
		os.WriteFile(path, r.g.src, 0o644)
	}
}

// output returns what the run printed so far.
func (r *submissionRun) output() (stdout, stderr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stdout.String(), r.stderr.String()
}

// stop ends the run now, as a time budget would; a run that already ended
// by itself (a crash, or a clean exit) is reported as it ended.
func (r *submissionRun) stop(reason string) starlark.Value {
	select {
	case <-r.done:
	default:
		r.it.Sched().Stop(reason)
	}
	return r.finish(5 * time.Second)
}

// finish waits for the run to end, stopping it after limit, and describes it.
func (r *submissionRun) finish(limit time.Duration) starlark.Value {
	select {
	case <-r.done:
	case <-time.After(limit):
		r.it.Sched().Stop(fmt.Sprintf("it ran longer than %v", limit))
		select {
		case <-r.done:
		case <-time.After(5 * time.Second):
			// A thread stuck in Go code: give up on it.
			return r.describe(interp.ExitStopped)
		}
	}
	return r.describe(r.code)
}

func (r *submissionRun) describe(code int) starlark.Value {
	o, g := r.o, r.g
	stdout, stderr := r.output()
	var deadlock, stopped starlark.Value = starlark.None, starlark.None
	if code == 3 {
		deadlock = starlark.String(deadlockReport(stderr))
	}
	if reason := r.it.Sched().Stopped(); reason != "" {
		stopped = starlark.String(reason)
		if !strings.Contains(stderr, reason) { // the verdict, where the report shows output
			stderr += "stopped: " + reason + "\n"
		}
	}
	var globals *starlark.Dict
	if o.summary {
		globals = boundedGlobals(r.it.Globals(), sweepGlobalsBudget)
	} else {
		globals = starlark.NewDict(16)
		for k, v := range r.it.Globals() {
			globals.SetKey(starlark.String(k), v)
		}
	}
	replay := "starlab run " + g.filename
	if o.sim {
		replay = fmt.Sprintf("starlab run --sim --seed %d %s", o.seed, g.filename)
		if o.cpus != 2 { // 2 is run's default too
			replay = fmt.Sprintf("starlab run --sim --seed %d --cpus %d %s", o.seed, o.cpus, g.filename)
		}
	}
	for _, a := range o.argv {
		replay += " " + shellQuote(a)
	}
	if o.stdin != "" {
		replay = "printf " + shellQuote(o.stdin) + " | " + replay
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return starlarkstruct.FromStringDict(starlark.String("run"), starlark.StringDict{
		"exit":     starlark.MakeInt(code),
		"stdout":   starlark.String(stdout),
		"stderr":   starlark.String(stderr),
		"globals":  globals,
		"events":   eventList(r.takeEvents()),
		"time":     starlark.Float(r.lastAt.Seconds()),
		"steps":    starlark.MakeUint64(r.it.Sched().Steps()),
		"deadlock": deadlock,
		"stopped":  stopped,
		"sim":      starlark.Bool(o.sim),
		"seed":     starlark.MakeInt64(o.seed),
		"cpus":     starlark.MakeInt(o.cpus),
		"replay":   starlark.String(replay),
	})
}

// takeEvents hands the run's events over to its description (r.mu held);
// the next run of the grading starts with room for as many.
func (r *submissionRun) takeEvents() []event {
	evs := r.events
	r.events = nil
	r.g.eventsHint.Store(int64(len(evs)))
	return evs
}

// shellQuote quotes s for a POSIX shell, as a printf format: single quotes,
// with printf's own escapes for %, backslash and newline.
func shellQuote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, "%", "%%", "\n", `\n`).Replace(s)
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// fail(message, run=None, zh="") fails the current check; with the run
// that showed the problem, the report adds its output and, for a sim run,
// the command that replays it. zh is the message in Chinese.
func (g *grader) fail(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var msg, zhMsg string
	var run starlark.Value = starlark.None
	if err := starlark.UnpackArgs("fail", args, kwargs, "message", &msg, "run?", &run, "zh?", &zhMsg); err != nil {
		return nil, err
	}
	return nil, failure(msg, zhMsg, run)
}

// expect(cond, message, run=None, zh="") is fail(message, run, zh) unless
// cond holds.
func (g *grader) expect(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cond starlark.Value
	var msg, zhMsg string
	var run starlark.Value = starlark.None
	if err := starlark.UnpackArgs("expect", args, kwargs, "cond", &cond, "message", &msg, "run?", &run, "zh?", &zhMsg); err != nil {
		return nil, err
	}
	if cond.Truth() {
		return starlark.None, nil
	}
	return nil, failure(msg, zhMsg, run)
}

func failure(msg, zhMsg string, run starlark.Value) error {
	exc := interp.NewException(checkFailed, starlark.String(msg))
	exc.SetAttr("run", run)
	exc.SetAttr("zh", starlark.String(zhMsg))
	return interp.Raise(exc)
}

// runCheck calls one check on the grader's main thread and turns what it
// raised into a verdict.
func (g *grader) runCheck(it *interp.Interp, st *starlark.Thread, c registeredCheck) (res CheckResult) {
	start := time.Now()
	defer func() { res.Elapsed = time.Since(start) }()
	res = CheckResult{Name: c.name, NameZh: c.zhName, Status: StatusPass}
	_, err := starlark.Call(st, c.fn, nil, nil)
	if err == nil {
		return res
	}
	if t := interp.Current(st); t != nil {
		it.Sched().ClearInterrupt(t) // the next check starts clean
	}
	exc := interp.ExceptionFromError(err)
	if exc == nil {
		res.Status, res.Message = StatusError, "the check was stopped: "+err.Error()
		return res
	}
	if !exc.Class().IsSubclassOf(checkFailed) {
		var b strings.Builder
		b.WriteString("the check itself failed (a bug in the lab's grader):\n")
		it.PrintException(&b, exc)
		res.Status, res.Message = StatusError, b.String()
		return res
	}
	res.Status, res.Message = StatusFail, exc.Message()
	if z, _ := exc.Attr("zh"); z != nil {
		res.MessageZh, _ = starlark.AsString(z)
	}
	if run, _ := exc.Attr("run"); run != nil && run != starlark.None {
		if st, ok := run.(*starlarkstruct.Struct); ok {
			// A replay command helps for a sim run (the seed) or a run fed
			// from stdin (the input); a plain run is just `starlab run`.
			sim, _ := st.Attr("sim")
			r, _ := st.Attr("replay")
			if rs, ok := r.(starlark.String); ok && (sim == starlark.True || strings.HasPrefix(string(rs), "printf ")) {
				res.Replay = string(rs)
			}
			res.Output, res.Deadlock = runOutput(st)
		}
	}
	return res
}

// runOutput is the end of a failing run's output for the report: the last
// lines of its stdout and of its stderr, without its deadlock report, which
// comes apart, whole.
func runOutput(run *starlarkstruct.Struct) (output, deadlock string) {
	text := func(k string) string {
		v, _ := run.Attr(k)
		s, _ := v.(starlark.String)
		return string(s)
	}
	stdout, stderr := text("stdout"), text("stderr")
	deadlock = text("deadlock")
	if deadlock != "" {
		if i := strings.LastIndex(stderr, deadlock); i >= 0 {
			stderr = stderr[:i] + stderr[i+len(deadlock):]
		}
	}
	var o strings.Builder
	for _, s := range []string{stdout, stderr} {
		if strings.TrimSpace(s) != "" {
			o.WriteString(lastLines(s, 6) + "\n")
		}
	}
	return strings.TrimRight(o.String(), "\n"), deadlock
}

// deadlockReport is the scheduler's report at the end of a deadlocked run's
// stderr: from its first line ("starlab: deadlock: ...") to the end.
func deadlockReport(stderr string) string {
	const head = "starlab: deadlock:"
	i := strings.LastIndex(stderr, head)
	if i < 0 {
		return lastLines(stderr, 20)
	}
	return strings.TrimRight(stderr[i:], "\n")
}

// maxHolders(events, object_prefix) is the most threads that held objects
// whose name starts with object_prefix at once, from their acquire and
// release events: "at most N holders" checks of a semaphore.
func maxHolders(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var events *starlark.List
	var prefix string
	if err := starlark.UnpackArgs("max_holders", args, kwargs, "events", &events, "object", &prefix); err != nil {
		return nil, err
	}
	holders, most := 0, 0
	for i := 0; i < events.Len(); i++ {
		e, ok := events.Index(i).(*event)
		if !ok {
			return nil, errors.New("max_holders: events must be the events of a run")
		}
		if !strings.HasPrefix(e.object, prefix) {
			continue
		}
		switch e.op {
		case trace.Acquire.String():
			holders++
			most = max(most, holders)
		case trace.Release.String():
			holders--
		}
	}
	return starlark.MakeInt(most), nil
}
