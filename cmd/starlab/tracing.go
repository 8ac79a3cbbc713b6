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

// tracer is `starlab run --trace`: the run's recorder, and in real-time
// mode the folder where its multiprocessing children write their parts of
// the trace (see builtins/multiprocessing/tracepart.go).
type tracer struct {
	buf   *chrome.Buffer
	parts string // "" in sim mode: no real processes there
}

// newTracer makes the recorder, and the parts' folder unless sim.
func newTracer(sim bool) (*tracer, error) {
	tr := &tracer{buf: &chrome.Buffer{}}
	if !sim {
		dir, err := os.MkdirTemp("", "starlab-trace-")
		if err != nil {
			return nil, err
		}
		tr.parts = dir
	}
	return tr, nil
}

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

// write writes the events of a finished run, with its children's parts,
// to path: an HTML page (labels in lang) if path ends in .html, else
// Chrome trace-event JSON for Perfetto or chrome://tracing.
func (tr *tracer) write(path, lang, script string, it *interp.Interp, code int, stderr io.Writer) {
	opts := chrome.Options{Process: filepath.Base(script), Sim: it.Sched().Sim(), Seed: it.Sched().Seed(), Exit: code}
	if opts.Sim {
		// The virtual pid os.getpid() returns; simulated children's
		// tracks carry theirs (1001, ...).
		opts.Pid = interp.SimMainPID
	} else {
		opts.Pid = os.Getpid()
	}
	opts.Deadlock = deadlockOf(it)
	tl := chrome.Build(tr.buf.Events(), opts)
	if tr.parts != "" {
		// The run's children have been joined or killed by now (the
		// module's exit handler), so their parts are complete.
		start := time.Now().Add(-it.Sched().Now())
		if err := chrome.MergeParts(tl, start, tr.parts); err != nil {
			fmt.Fprintf(stderr, "starlab: --trace: %v\n", err)
		}
	}
	f, err := os.Create(path)
	if err == nil {
		err = writeTimeline(f, path, lang, tl)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
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
		if t.Pos.Line > 0 {
			b.Line = fmt.Sprintf("%s:%d", t.Pos.Filename(), t.Pos.Line)
		}
		out = append(out, b)
	}
	return out
}

// writeTimeline writes the page or the JSON, as path's extension says.
func writeTimeline(w io.Writer, path, lang string, tl *chrome.Timeline) error {
	if strings.EqualFold(filepath.Ext(path), ".html") {
		return page.Write(w, tl, lang)
	}
	return tl.WriteJSON(w)
}
