package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/multiprocessing"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
	"github.com/starlab-dev/starlab/interp/trace/chrome/page"
)

// tracer is `starlab run --trace`: the run's recorder, which builds the
// timeline beside the run (chrome.Live) and for a .json file writes it as
// it goes; and in real-time mode the folder where the run's
// multiprocessing children write their parts of the trace (see
// builtins/multiprocessing/tracepart.go).
type tracer struct {
	path, lang string
	opts       chrome.Options // as the run starts
	f          *os.File
	live       *chrome.Live
	parts      string // "" in sim mode: no real processes there
}

// newTracer creates the trace's file (before the run, so that a path that
// cannot be written is said at once) and the recorder, and the parts'
// folder unless sim.
func newTracer(path, lang, script string, sim bool, seed int64) (*tracer, error) {
	opts := chrome.Options{Process: filepath.Base(script), Sim: sim}
	if sim {
		// The virtual pid os.getpid() returns; simulated children's
		// tracks carry theirs (1001, ...).
		opts.Pid, opts.Seed = interp.SimMainPID, seed
	} else {
		opts.Pid = os.Getpid()
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	tr := &tracer{path: path, lang: lang, opts: opts, f: f}
	if !sim {
		dir, err := os.MkdirTemp("", "starlab-trace-")
		if err != nil {
			f.Close()
			return nil, err
		}
		tr.parts = dir
	}
	var stream io.Writer = f // JSON: written as the run goes
	if isPage(path) {
		stream = nil // the page is written at the end, from the whole timeline
	}
	tr.live = chrome.NewLive(opts, stream)
	return tr, nil
}

// isPage reports whether path asks for the HTML page rather than JSON.
func isPage(path string) bool { return strings.EqualFold(filepath.Ext(path), ".html") }

// predeclared wraps the run's globals so that its children trace too.
func (tr *tracer) predeclared(base func(*interp.Interp) starlark.StringDict) func(*interp.Interp) starlark.StringDict {
	if tr == nil || tr.parts == "" {
		return base
	}
	return func(it *interp.Interp) starlark.StringDict {
		d := base(it)
		multiprocessing.TraceChildren(d, tr.parts)
		return d
	}
}

// cleanup removes the parts' folder.
func (tr *tracer) cleanup() {
	if tr != nil && tr.parts != "" {
		os.RemoveAll(tr.parts)
	}
}

// write finishes the trace of a finished run, with its children's parts:
// an HTML page (labels in lang) if its path ends in .html, else Chrome
// trace-event JSON for Perfetto or chrome://tracing.
func (tr *tracer) write(it *interp.Interp, code int, stderr io.Writer) {
	opts := tr.opts
	opts.Exit = code
	opts.Deadlock = deadlockOf(it)
	tl, err := tr.live.Finish(opts)
	if err == nil && tr.parts != "" {
		// The run's children have been joined or killed by now (the
		// module's exit handler), so their parts are complete.
		start := time.Now().Add(-it.Sched().Now())
		if err := chrome.MergeParts(tl, start, tr.parts); err != nil {
			fmt.Fprintf(stderr, "starlab: --trace: %v\n", err)
		}
	}
	if err == nil {
		if isPage(tr.path) {
			err = page.Write(tr.f, tl, tr.lang)
		} else {
			err = tr.live.Close(tl)
		}
	}
	if cerr := tr.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "starlab: --trace: %v\n", err)
	}
}

// deadlockOf converts the run's deadlock report, if any, for the timeline.
func deadlockOf(it *interp.Interp) []chrome.Blocked {
	rep := it.Sched().Deadlock()
	if rep == nil {
		return nil
	}
	out := make([]chrome.Blocked, 0, len(rep.Threads))
	for _, t := range rep.Threads {
		b := chrome.Blocked{Thread: t.ID, Name: t.Name, Reason: t.Reason}
		b.Line = chrome.LineOf(t.Pos)
		out = append(out, b)
	}
	return out
}

// writeTimeline writes a whole timeline as the page or the JSON, as path's
// extension says.
func writeTimeline(w io.Writer, path, lang string, tl *chrome.Timeline) error {
	if isPage(path) {
		return page.Write(w, tl, lang)
	}
	return tl.WriteJSON(w)
}
