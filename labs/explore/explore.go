// Package explore runs one script under many sim-mode seeds and groups the
// runs by how they ended: the learner's "does my fix really work?". A
// script with a race prints different things under different schedules;
// its fixed version prints one thing under all of them. Each distinct
// outcome comes with the number of seeds that gave it and the first seed
// that replays it (`starlab run --sim --seed S FILE`).
//
// The script is compiled once; every seed runs on its own Interp (a
// Compiled holds no values, so runs share it across goroutines), on J
// workers. Seeds are numbered 1..N and outcomes are listed by their first
// seed, so a report does not depend on which worker finished first.
package explore

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

// Config says what to explore and how.
type Config struct {
	File string // the script's name, as the replay command shows it
	Src  []byte
	Argv []string // sys.argv[1:]
	// Seeds is how many seeds to run (1..Seeds); Jobs how many at once
	// (0: the number of CPUs).
	Seeds, Jobs int
	// UntilFail stops at the first failing seed (in seed order): a
	// non-zero exit status, a deadlock among them.
	UntilFail bool
	// MaxTime and MaxSteps bound each run (a script that never ends);
	// zero means 10 virtual minutes and 100 million steps.
	MaxTime  time.Duration
	MaxSteps uint64
	// CPUs is the virtual machine's cores for simulated processes (0: 2).
	CPUs int
	// Predeclared are the run's globals (builtins.Predeclared).
	Predeclared func(*interp.Interp) starlark.StringDict
	// Progress, if set, is called after each run with the number done.
	Progress func(done, total int)
	// GroupBy says which runs are the same outcome (ByOutput if zero).
	GroupBy GroupBy
}

// GroupBy is what makes two runs the same outcome.
type GroupBy int

// The groupings. Every one keeps a deadlock, an exception and a stopped
// run apart from a clean exit, since their exit statuses differ.
const (
	// ByOutput: the same stdout, exit status, exception and budget.
	ByOutput GroupBy = iota
	// ByLastLine: the same last line of stdout (and exit status,
	// exception, budget), for a script whose threads print interleaved
	// progress lines before a final result.
	ByLastLine
	// ByExit: the same exit status alone.
	ByExit
)

var groupByNames = [...]string{ByOutput: "output", ByLastLine: "last-line", ByExit: "exit"}

// String returns the grouping's name on the command line.
func (g GroupBy) String() string {
	if g >= 0 && int(g) < len(groupByNames) {
		return groupByNames[g]
	}
	return fmt.Sprintf("GroupBy(%d)", int(g))
}

// ParseGroupBy reads --group-by's value: output, last-line or exit.
func ParseGroupBy(s string) (GroupBy, error) {
	for i, n := range groupByNames {
		if s == n {
			return GroupBy(i), nil
		}
	}
	return 0, fmt.Errorf("--group-by must be output, last-line or exit, not %q", s)
}

// Outcome is one way the runs ended, and the seeds that ended that way.
// Grouped by last line or exit status, its Stdout, Exception and Stopped
// are those of its first seed.
type Outcome struct {
	Exit      int
	Stdout    string
	LastLine  string // the last line of Stdout, without its newline
	Exception string // the last line of an uncaught exception's traceback
	Deadlock  bool
	Stopped   string // why a budget stopped the runs
	Seeds     []int64
}

// Failed reports whether the outcome is a failure: a non-zero exit.
func (o *Outcome) Failed() bool { return o.Exit != 0 }

// Seed is the first seed that gives the outcome: the one to replay.
func (o *Outcome) Seed() int64 { return o.Seeds[0] }

// Report is what an exploration found.
type Report struct {
	Outcomes []*Outcome // by first seed
	Runs     int        // seeds run (fewer than asked after UntilFail)
	// CompileError is the formatted syntax error if the script did not
	// compile (nothing ran).
	CompileError string
	// Compiled is the script, to replay a seed with RunSeed (a timeline).
	Compiled *interp.Compiled
}

// FirstFailure returns the outcome of the first failing seed, or nil.
func (r *Report) FirstFailure() *Outcome {
	var first *Outcome
	for _, o := range r.Outcomes {
		if o.Failed() && (first == nil || o.Seed() < first.Seed()) {
			first = o
		}
	}
	return first
}

type result struct {
	done bool
	out  Outcome
}

// Run explores the script.
func Run(ctx context.Context, cfg Config) *Report {
	if cfg.Jobs <= 0 {
		cfg.Jobs = runtime.NumCPU()
	}
	if cfg.MaxTime == 0 {
		cfg.MaxTime = 10 * time.Minute
	}
	if cfg.MaxSteps == 0 {
		cfg.MaxSteps = 100_000_000
	}
	compiler := interp.New(interp.Options{Predeclared: cfg.Predeclared, Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	compiled, err := compiler.Compile(cfg.File, cfg.Src)
	if err != nil {
		return &Report{CompileError: compiler.CompileErrorText(err)}
	}
	results := make([]result, cfg.Seeds)
	var (
		mu       sync.Mutex
		next     int  // the next seed index to hand out
		failAt   = -1 // the lowest failing index seen, with UntilFail
		finished int  // runs done
		wg       sync.WaitGroup
	)
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		if next >= cfg.Seeds || ctx.Err() != nil || (failAt >= 0 && next > failAt) {
			return -1
		}
		next++
		return next - 1
	}
	for j := 0; j < cfg.Jobs; j++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := take(); i >= 0; i = take() {
				out := RunSeed(compiled, cfg, int64(i+1), nil)
				mu.Lock()
				results[i] = result{done: true, out: out}
				finished++
				if cfg.UntilFail && out.Failed() && (failAt < 0 || i < failAt) {
					failAt = i
				}
				n := finished
				mu.Unlock()
				if cfg.Progress != nil {
					cfg.Progress(n, cfg.Seeds)
				}
			}
		}()
	}
	wg.Wait()
	rep := group(results, failAt, cfg.GroupBy)
	rep.Compiled = compiled
	return rep
}

// group merges the results in seed order, up to the first failure if one
// stopped the exploration.
func group(results []result, failAt int, by GroupBy) *Report {
	rep := &Report{}
	byKey := map[string]*Outcome{}
	for i, r := range results {
		if !r.done || (failAt >= 0 && i > failAt) {
			continue
		}
		rep.Runs++
		var key string
		switch by {
		case ByExit:
			key = fmt.Sprint(r.out.Exit)
		case ByLastLine:
			key = fmt.Sprintf("%d\x00%s\x00%s\x00%s", r.out.Exit, r.out.LastLine, r.out.Exception, r.out.Stopped)
		default:
			key = fmt.Sprintf("%d\x00%s\x00%s\x00%s", r.out.Exit, r.out.Stdout, r.out.Exception, r.out.Stopped)
		}
		o := byKey[key]
		if o == nil {
			o = &Outcome{Exit: r.out.Exit, Stdout: r.out.Stdout, LastLine: r.out.LastLine, Exception: r.out.Exception, Deadlock: r.out.Deadlock, Stopped: r.out.Stopped}
			byKey[key] = o
			rep.Outcomes = append(rep.Outcomes, o)
		}
		o.Seeds = append(o.Seeds, int64(i+1))
	}
	return rep
}

// RunSeed runs the compiled script once under seed, recording its events
// to rec if not nil (a timeline of the outcome), and says how it ended.
func RunSeed(c *interp.Compiled, cfg Config, seed int64, rec trace.Recorder) Outcome {
	var stdout, stderr bytes.Buffer
	it := interp.New(interp.Options{
		Stdin:       strings.NewReader(""),
		Stdout:      &syncWriter{b: &stdout},
		Stderr:      &syncWriter{b: &stderr},
		Argv:        append([]string{cfg.File}, cfg.Argv...),
		Predeclared: cfg.Predeclared,
		Sched: interp.SchedConfig{
			Sim: true, Seed: seed, Recorder: rec,
			MaxTime: cfg.MaxTime, MaxSteps: cfg.MaxSteps, CPUs: cfg.CPUs,
		},
	})
	code := it.RunCompiled(c)
	out := Outcome{Exit: code, Stdout: stdout.String(), Deadlock: code == interp.ExitDeadlock, Stopped: it.Sched().Stopped()}
	if s := strings.TrimSuffix(out.Stdout, "\n"); s != "" {
		out.LastLine = s[strings.LastIndexByte(s, '\n')+1:]
	}
	if code == 1 { // an uncaught exception (or a syntax error in a load)
		out.Exception = lastLine(stderr.String())
	}
	return out
}

// lastLine is the last non-empty line of s: an uncaught exception's
// "ValueError: ..." line.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// syncWriter lets the run's threads and its scheduler write at once.
type syncWriter struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
