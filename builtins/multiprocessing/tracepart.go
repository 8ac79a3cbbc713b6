package multiprocessing

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
)

// Tracing a run with children (`starlab run --trace out.json` of a script
// that starts Processes or a Pool): the parent names a folder, every child
// it spawns finds it in its environment (traceEnv), records its own events
// into a part file there (chrome.PartWriter), and the parent merges the
// parts into its timeline once its run is over (chrome.MergeParts). A
// child's children inherit the variable, so grandchildren are traced too.

const traceEnv = "STARLAB_TRACE_PARTS"

// TraceChildren makes the children of the run whose globals these are
// write their parts of the trace into dir. The command calls it from its
// Predeclared when --trace is given; globals without multiprocessing are
// left alone.
func TraceChildren(globals starlark.StringDict, dir string) {
	if m := stateOf(globals["multiprocessing"]); m != nil {
		m.traceDir = dir
	}
}

// traceEnvOf is what spawn adds to a child's environment: the parts'
// folder when this run is traced, else nothing.
func (m *Module) traceEnvOf() []string {
	if m.traceDir == "" {
		return nil
	}
	return []string{traceEnv + "=" + m.traceDir}
}

// childPart is the part of a traced child: nil (every method a no-op) when
// the child is not traced.
type childPart struct {
	dir string
	w   *chrome.PartWriter
}

// openChildPart returns the child's part if its parent traces, before the
// child's run is made (its recorder goes into the run's config).
func openChildPart() *childPart {
	dir := os.Getenv(traceEnv)
	if dir == "" {
		return nil
	}
	return &childPart{dir: dir}
}

// sched is the run's scheduler config: recording into the part if traced.
func (p *childPart) sched() interp.SchedConfig {
	if p == nil {
		return interp.SchedConfig{}
	}
	// The file is created by start, once the run's clock exists; the
	// writer keeps what is recorded until then.
	p.w = &chrome.PartWriter{}
	return interp.SchedConfig{Recorder: p.w}
}

// start writes the part's header, with the time the run's clock started,
// and flushes the part when a SIGTERM ends the child (Process.terminate(),
// a daemon child at its parent's exit) before letting the signal kill it
// as it would have, so the exit code stays -15.
func (p *childPart) start(it *interp.Interp, name string) (stop func()) {
	if p == nil {
		return func() {}
	}
	began := time.Now().Add(-it.Sched().Now())
	if err := p.w.Open(p.dir, chrome.PartHeader{Pid: os.Getpid(), Process: name, Start: began.UnixNano()}); err != nil {
		fmt.Fprintf(os.Stderr, "starlab: multiprocessing child: --trace: %v\n", err)
		return func() {}
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			p.w.Close(nil)
			signal.Reset(syscall.SIGTERM)
			syscall.Kill(os.Getpid(), syscall.SIGTERM)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// flush writes what was recorded so far: a pool worker does it each time
// it waits for a task, since Pool.terminate kills it without warning.
func (p *childPart) flush() {
	if p != nil && p.w != nil {
		p.w.Flush()
	}
}

// close writes the rest of the part as the child ends, with the run's
// deadlock report if it ended in one.
func (p *childPart) close(it *interp.Interp) {
	if p == nil || p.w == nil {
		return
	}
	var blocked []chrome.Blocked
	if rep := it.Sched().Deadlock(); rep != nil {
		for _, t := range rep.Threads {
			b := chrome.Blocked{Thread: t.ID, Name: t.Name, Reason: t.Reason}
			b.Line = chrome.LineOf(t.Pos)
			blocked = append(blocked, b)
		}
	}
	p.w.Close(blocked)
}
