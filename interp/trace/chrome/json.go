package chrome

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"
)

// WriteJSON writes the timeline as a trace-event JSON object, one event a
// line: the events, then the metadata (process and thread names, track
// order), then "otherData" with the run's seed, exit status and deadlock.
// The metadata comes last because Live writes the events while the run
// goes, when a thread's last name is not known yet (the importers of
// Perfetto and chrome://tracing read metadata wherever it is).
func (tl *Timeline) WriteJSON(w io.Writer) error {
	js := newJSONStream(w)
	js.events(tl.Events)
	return js.finish(tl)
}

// jsonStream writes a trace-event JSON document in pieces: its head, the
// events as they come, and its tail (finish).
type jsonStream struct {
	bw *bufio.Writer
	jw *jsonWriter
}

func newJSONStream(w io.Writer) *jsonStream {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")
	return &jsonStream{bw: bw, jw: &jsonWriter{w: bw}}
}

// events writes evs. They are formatted into one batch and the batch
// written when large: a trace has hundreds of thousands of events, and a
// write per event (or per field) was most of the time spent writing.
func (js *jsonStream) events(evs []Ev) {
	jw := js.jw
	for i := range evs {
		jw.event(&evs[i])
		if len(jw.line) >= 32<<10 {
			js.bw.Write(jw.line)
			jw.line = jw.line[:0]
		}
	}
	js.bw.Write(jw.line)
	jw.line = jw.line[:0]
}

// finish writes the tracks of tl and "otherData", and flushes: the first
// error of any write is returned.
func (js *jsonStream) finish(tl *Timeline) error {
	bw, jw := js.bw, js.jw
	for i, p := range tl.Processes {
		jw.meta("process_name", p.Pid, 0, p.Name)
		jw.sortIndex("process_sort_index", p.Pid, 0, i)
	}
	for i, th := range tl.Threads {
		jw.meta("thread_name", th.Pid, th.ID, th.Name)
		jw.sortIndex("thread_sort_index", th.Pid, th.ID, i)
	}
	bw.WriteString("\n],\"otherData\":{")
	bw.WriteString(`"tool":"starlab","mode":`)
	if tl.Opts.Sim {
		bw.WriteString(`"sim","seed":"` + strconv.FormatInt(tl.Opts.Seed, 10) + `"`)
	} else {
		bw.WriteString(`"real-time"`)
	}
	bw.WriteString(`,"exit":"` + strconv.Itoa(tl.Opts.Exit) + `"`)
	if len(tl.Opts.Deadlock) > 0 {
		bw.WriteString(`,"deadlock":`)
		var s string
		for i, d := range tl.Opts.Deadlock {
			if i > 0 {
				s += "; "
			}
			s += d.Name + " waits on " + d.Reason
			if d.Line != "" {
				s += " at " + d.Line
			}
		}
		jw.str(s)
	}
	bw.WriteString("}}\n")
	return bw.Flush()
}

type jsonWriter struct {
	w     *bufio.Writer
	first bool
	buf   []byte
	line  []byte // the batch of events being formatted
}

func (j *jsonWriter) sep() {
	if j.first {
		j.w.WriteString(",\n")
	}
	j.first = true
}

// str writes s as a JSON string (see appendStr).
func (j *jsonWriter) str(s string) {
	j.buf = appendStr(j.buf[:0], s)
	j.w.Write(j.buf)
}

// appendStr appends s as a JSON string. Most names need no escaping and
// are appended as they are, valid UTF-8 included; the others go through
// encoding/json (which also escapes '<', '>' and '&', so the JSON can be
// embedded in a <script> element).
func appendStr(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !jsonPlain[s[i]] {
			if s[i] >= utf8.RuneSelf && utf8.ValidString(s) && plainAbove(s, i) {
				break // UTF-8 is written as it is ("→" in the flows' names)
			}
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainAbove reports whether s, valid UTF-8, needs no escaping from i on
// but for its multi-byte characters, which JSON takes as they are.
func plainAbove(s string, i int) bool {
	for ; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf && !jsonPlain[c] {
			return false
		}
	}
	return true
}

// jsonPlain says which bytes a JSON string takes as they are: printable
// ASCII but for '"', '\\' and the three HTML-special characters. It is
// never changed after it is made.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range []byte{'"', '\\', '<', '>', '&'} {
		t[c] = false
	}
	return t
}()

func (j *jsonWriter) int(n int64) {
	j.buf = strconv.AppendInt(j.buf[:0], n, 10)
	j.w.Write(j.buf)
}

func (j *jsonWriter) meta(name string, pid int, tid int64, value string) {
	j.sep()
	j.w.WriteString(`{"name":"` + name + `","ph":"M","pid":` + strconv.Itoa(pid) + `,"tid":` + strconv.FormatInt(tid, 10) + `,"args":{"name":`)
	j.str(value)
	j.w.WriteString("}}")
}

// sortIndex orders the tracks as the run met them: Perfetto otherwise
// sorts processes and threads by id.
func (j *jsonWriter) sortIndex(name string, pid int, tid int64, i int) {
	j.sep()
	j.w.WriteString(`{"name":"` + name + `","ph":"M","pid":` + strconv.Itoa(pid) + `,"tid":` + strconv.FormatInt(tid, 10) + `,"args":{"sort_index":` + strconv.Itoa(i) + `}}`)
}

// event appends one event to the batch (see jsonStream.events).
func (j *jsonWriter) event(e *Ev) {
	b := j.line
	if j.first {
		b = append(b, ",\n"...)
	}
	j.first = true
	b = append(b, `{"name":`...)
	b = appendStr(b, e.Name)
	b = append(b, `,"cat":"`...)
	b = append(b, e.Cat...)
	b = append(b, `","ph":"`...)
	b = append(b, e.Ph)
	b = append(b, `","ts":`...)
	b = strconv.AppendInt(b, e.Ts, 10)
	switch e.Ph {
	case 'X':
		b = append(b, `,"dur":`...)
		b = strconv.AppendInt(b, e.Dur, 10)
	case 'i':
		b = append(b, `,"s":"t"`...)
	case 's':
		b = append(b, `,"id":`...)
		b = strconv.AppendInt(b, int64(e.ID), 10)
	case 'f':
		b = append(b, `,"id":`...)
		b = strconv.AppendInt(b, int64(e.ID), 10)
		b = append(b, `,"bp":"e"`...)
	}
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(e.Pid), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendInt(b, e.Tid, 10)
	if len(e.Args) > 0 {
		b = append(b, `,"args":{`...)
		for i, a := range e.Args {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendStr(b, a.Key)
			b = append(b, ':')
			if a.IsNum {
				b = strconv.AppendInt(b, a.Num, 10)
			} else {
				b = appendStr(b, a.Str)
			}
		}
		b = append(b, '}')
	}
	b = append(b, '}')
	j.line = b
}
