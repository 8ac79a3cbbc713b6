package chrome

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"go.starlark.net/syntax"

	"github.com/starlab-dev/starlab/interp/trace"
)

// Parts: a traced run's multiprocessing children are other OS processes,
// each with its own scheduler and clock. Each one records its events into
// a part file in a folder the parent names (PartWriter), and the parent,
// once its run is over, reads the parts (ReadParts) and merges them into
// its own timeline: a process track per OS process.
//
// A part is JSON lines: a header (the child's pid, name and the wall-clock
// time its run started, which places its events on the parent's clock),
// then one event a line, and last, if the child's run ended in a deadlock,
// its report ({"deadlock": [...]}). Lines are appended as the child goes (Flush), not
// written once at its end, because a child may end by a signal: a pool
// worker killed by Pool.terminate keeps what it flushed while idle. A
// part cut in the middle of a line is read up to that line.

// PartHeader is the first line of a part.
type PartHeader struct {
	Pid     int    `json:"pid"`
	Process string `json:"process"` // "Process-1", "SpawnPoolWorker-2"
	// Start is when the child's run started, in Unix nanoseconds: its
	// events' At are durations since then.
	Start int64 `json:"start"`
}

// partEvent is a trace.Event on one line of a part.
type partEvent struct {
	At     int64  `json:"t"`
	Kind   uint8  `json:"k"`
	Thread int64  `json:"th"`
	Name   string `json:"n,omitempty"`
	Reason string `json:"r,omitempty"`
	File   string `json:"f,omitempty"`
	Line   int32  `json:"l,omitempty"`
	Col    int32  `json:"c,omitempty"`
	Op     uint8  `json:"op,omitempty"`
	Object string `json:"o,omitempty"`
	Value  int    `json:"v,omitempty"`
}

// partTrailer is the last line of a part whose run ended in a deadlock.
type partTrailer struct {
	Deadlock []Blocked `json:"deadlock"`
}

// PartWriter is the recorder of a traced multiprocessing child: it keeps
// the events as a Buffer does and appends them to its part file on Flush.
// Its zero value records; Open gives it its file.
type PartWriter struct {
	buf Buffer

	mu      sync.Mutex // serialises Flush and Close
	f       *os.File
	w       *bufio.Writer
	flushed int // events already in the file
}

// Open creates the part of the process hdr describes in dir and writes
// its header. The writer records from the start (the run's recorder is set
// before its clock starts, and the header needs that clock's start); what
// it recorded before Open is written by the first Flush.
func (p *PartWriter) Open(dir string, hdr PartHeader) error {
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", hdr.Pid)))
	if err != nil {
		return err
	}
	line, err := json.Marshal(hdr)
	if err != nil {
		f.Close()
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.f, p.w = f, bufio.NewWriterSize(f, 64<<10)
	p.w.Write(append(line, '\n'))
	return p.w.Flush()
}

// Record keeps e for the next Flush; it is called with the scheduler's
// mutex held, so it only appends.
func (p *PartWriter) Record(e trace.Event) { p.buf.Record(e) }

// Flush appends the events recorded since the last Flush to the file.
func (p *PartWriter) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f == nil {
		return nil
	}
	var err error
	p.flushed = p.buf.From(p.flushed, func(e *trace.Event) {
		pe := partEvent{At: int64(e.At), Kind: uint8(e.Kind), Thread: e.Thread, Name: e.Name, Reason: e.Reason,
			Op: uint8(e.Op), Object: e.Object, Value: e.Value}
		if e.Pos.Line > 0 {
			pe.File, pe.Line, pe.Col = e.Pos.Filename(), e.Pos.Line, e.Pos.Col
		}
		line, merr := json.Marshal(pe)
		if merr != nil {
			err = merr
			return
		}
		p.w.Write(line)
		p.w.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return p.w.Flush()
}

// Close flushes and closes the file, after writing the run's deadlock
// report if it ended in one (nil if not); later Flushes do nothing.
func (p *PartWriter) Close(deadlock []Blocked) error {
	err := p.Flush()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f != nil && len(deadlock) > 0 && err == nil {
		var line []byte
		if line, err = json.Marshal(partTrailer{Deadlock: deadlock}); err == nil {
			p.w.Write(append(line, '\n'))
			err = p.w.Flush()
		}
	}
	if p.f != nil {
		if cerr := p.f.Close(); err == nil {
			err = cerr
		}
		p.f = nil
	}
	return err
}

// Part is a child's part of a trace, read back.
type Part struct {
	PartHeader
	Events   []trace.Event
	Deadlock []Blocked // the child's deadlock report, if its run ended in one
}

// ReadPart reads one part: its header, its events up to the first line
// that does not parse (a child killed while it wrote), and its deadlock
// report.
func ReadPart(r io.Reader) (*Part, error) {
	var hdr PartHeader
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty part")
	}
	if err := json.Unmarshal(sc.Bytes(), &hdr); err != nil {
		return nil, fmt.Errorf("bad part header: %v", err)
	}
	part := &Part{PartHeader: hdr}
	// One string per file name, as the scheduler's positions share theirs.
	files := map[string]*string{}
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte(`{"deadlock":`)) {
			var tr partTrailer
			if json.Unmarshal(line, &tr) == nil {
				part.Deadlock = tr.Deadlock
			}
			break
		}
		var pe partEvent
		if json.Unmarshal(line, &pe) != nil {
			break
		}
		e := trace.Event{At: time.Duration(pe.At), Kind: trace.Kind(pe.Kind), Thread: pe.Thread, Name: pe.Name,
			Reason: pe.Reason, Op: trace.Operation(pe.Op), Object: pe.Object, Value: pe.Value}
		if pe.Line > 0 {
			f := files[pe.File]
			if f == nil {
				f = &pe.File
				files[pe.File] = f
			}
			e.Pos = syntax.MakePosition(f, pe.Line, pe.Col)
		}
		part.Events = append(part.Events, e)
	}
	return part, nil
}

// MergeParts reads every part in dir and merges it into tl, whose run
// started at start (wall clock): each child's events are shifted by the
// time between the two starts, so one axis holds every process. Parts are
// merged in the order their processes started. A part that cannot be read
// is skipped and reported in the error; the others are merged.
func MergeParts(tl *Timeline, start time.Time, dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "part-*.jsonl"))
	if err != nil {
		return err
	}
	var parts []*Part
	var bad []string
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		p, err := ReadPart(f)
		f.Close()
		if err != nil {
			bad = append(bad, filepath.Base(name)+": "+err.Error())
			continue
		}
		parts = append(parts, p)
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].Start < parts[j].Start })
	for _, p := range parts {
		// A child's deadlock is drawn on its own lanes; the page's box and
		// otherData keep the run's (the parent's) report.
		child := Build(p.Events, Options{Process: p.Process, Pid: p.Pid, Deadlock: p.Deadlock})
		offset := time.Unix(0, p.Start).Sub(start).Microseconds()
		tl.Merge(child, offset)
	}
	if len(bad) > 0 {
		return fmt.Errorf("some children's traces are missing: %s", strings.Join(bad, "; "))
	}
	return nil
}
