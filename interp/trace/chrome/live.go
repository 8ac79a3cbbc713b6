package chrome

import (
	"fmt"
	"io"
	"sync"

	"github.com/starlab-dev/starlab/interp/trace"
)

// Live is the recorder of `starlab run --trace`: it builds the timeline
// while the run goes, on a goroutine of its own, and given a writer it
// writes the JSON as it goes too. A run holds one core at a time (the
// GIL); the building and writing that Build and WriteJSON would do after
// it takes the other core instead, so what tracing adds to a run is little
// more than the recording: on a queue-heavy run, Build then WriteJSON
// after the run tripled its time.
//
// Record hands the events over in chunks, which come back to it once
// built, so a long run records into the same few chunks and the garbage
// collector has little to scan. The builder's output is written up to the
// oldest wait span an operation may still rename (see builder.op) and
// dropped, so a streamed trace's memory stays bounded whatever its length.
//
// A sim trace is a function of the events alone, so a streamed trace is
// the same bytes as Build then WriteJSON on the same events.
type Live struct {
	mu     sync.Mutex
	cur    []trace.Event   // the chunk being filled
	full   [][]trace.Event // filled, for the builder
	free   [][]trace.Event // built, to be filled again
	closed bool            // Finish was called: Record drops events
	ready  chan struct{}   // a chunk is full (closed by Finish)
	done   chan struct{}   // the builder is done

	// The builder's, until done.
	b   *builder
	js  *jsonStream // nil: keep every event for Finish
	err error       // a write failed or the builder panicked
}

// flushAt is how many built events wait before Live writes the settled
// ones: writing checks every thread (see settled), so not too often.
const flushAt = 16 << 10

// NewLive starts building a timeline of a run with these options (the
// process's name and pid; the rest is given to Finish). With w nil it keeps
// the whole timeline for Finish (for the HTML page); else it writes the
// JSON to w as it goes, and Close writes its end.
func NewLive(opts Options, w io.Writer) *Live {
	l := &Live{ready: make(chan struct{}, 1), done: make(chan struct{}), b: newBuilder(opts, 0)}
	if w != nil {
		l.js = newJSONStream(w)
	}
	go l.build()
	return l
}

// Record appends e to the chunk being filled, and hands a full chunk to
// the builder. The scheduler calls it with its mutex held: no waiting here.
func (l *Live) Record(e trace.Event) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	if l.cur == nil {
		if n := len(l.free); n > 0 {
			l.cur, l.free = l.free[n-1], l.free[:n-1]
		} else {
			l.cur = make([]trace.Event, 0, chunkSize)
		}
	}
	l.cur = append(l.cur, e)
	if len(l.cur) == cap(l.cur) {
		l.full = append(l.full, l.cur)
		l.cur = nil
		select {
		case l.ready <- struct{}{}:
		default: // the builder has been told already
		}
	}
	l.mu.Unlock()
}

// build is the builder's goroutine: it builds each full chunk, gives it
// back, and writes what is settled.
func (l *Live) build() {
	defer close(l.done)
	for range l.ready {
		l.drain()
	}
	l.drain() // what Finish handed over
}

// drain builds the chunks handed over so far.
func (l *Live) drain() {
	defer func() {
		// A bug in the builder costs the trace, not the run.
		if r := recover(); r != nil && l.err == nil {
			l.err = fmt.Errorf("building the trace: %v", r)
		}
	}()
	for {
		l.mu.Lock()
		chunks := l.full
		l.full = nil
		l.mu.Unlock()
		if len(chunks) == 0 {
			return
		}
		for _, c := range chunks {
			if l.err == nil {
				for i := range c {
					l.b.add(&c[i])
				}
			}
			clear(c) // the chunk keeps no names alive while it waits
			l.mu.Lock()
			l.free = append(l.free, c[:0])
			l.mu.Unlock()
			if l.js != nil && l.err == nil && len(l.b.tl.Events) >= flushAt {
				l.flush()
			}
		}
	}
}

// flush writes the settled events and drops them.
func (l *Live) flush() {
	n := l.b.settled()
	l.js.events(l.b.tl.Events[:n])
	l.b.drop(n)
}

// Finish ends the recording, waits for the builder and returns the
// timeline, opts being the run's as it ended (its exit status, deadlock,
// seed; Process and Pid as given to NewLive). With a writer, the
// timeline's Events are the ones not written yet: add the children's parts
// to it (MergeParts), then Close.
func (l *Live) Finish(opts Options) (*Timeline, error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, fmt.Errorf("trace finished twice")
	}
	l.closed = true
	if len(l.cur) > 0 {
		l.full = append(l.full, l.cur)
	}
	l.cur = nil
	l.mu.Unlock()
	close(l.ready)
	<-l.done
	if l.err != nil {
		return nil, l.err
	}
	opts.Pid = l.b.tl.Opts.Pid
	l.b.tl.Opts = opts
	l.b.finish()
	return l.b.tl, nil
}

// Close writes the events of tl (the ones Finish left, and any merged
// since) and the trace's end, and reports the first error of any write.
func (l *Live) Close(tl *Timeline) error {
	if l.js == nil {
		return fmt.Errorf("trace: Close without a writer")
	}
	l.js.events(tl.Events)
	return l.js.finish(tl)
}
