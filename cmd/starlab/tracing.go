package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
	"github.com/starlab-dev/starlab/interp/trace/chrome/page"
)

// writeTrace writes the events of a finished run to path: an HTML page
// (labels in lang) if path ends in .html, else Chrome trace-event JSON for
// Perfetto or chrome://tracing.
func writeTrace(path, lang, script string, buf *chrome.Buffer, it *interp.Interp, code int, stderr io.Writer) {
	opts := chrome.Options{Process: filepath.Base(script), Sim: it.Sched().Sim(), Seed: it.Sched().Seed(), Exit: code}
	if !opts.Sim {
		opts.Pid = os.Getpid()
	}
	opts.Deadlock = deadlockOf(it)
	f, err := os.Create(path)
	if err == nil {
		err = writeTimeline(f, path, lang, buf, opts)
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
func writeTimeline(w io.Writer, path, lang string, buf *chrome.Buffer, opts chrome.Options) error {
	if strings.EqualFold(filepath.Ext(path), ".html") {
		return page.Write(w, chrome.Build(buf.Events(), opts), lang)
	}
	return chrome.Write(w, buf.Events(), opts)
}
