package chrome

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"
)

// WriteJSON writes the timeline as a trace-event JSON object, one event a
// line: metadata (process and thread names, track order) first, then the
// events, then "otherData" with the run's seed, exit status and deadlock.
func (tl *Timeline) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	jw := &jsonWriter{w: bw}
	bw.WriteString("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")
	for i, p := range tl.Processes {
		jw.meta("process_name", p.Pid, 0, p.Name)
		jw.sortIndex("process_sort_index", p.Pid, 0, i)
	}
	for i, th := range tl.Threads {
		jw.meta("thread_name", th.Pid, th.ID, th.Name)
		jw.sortIndex("thread_sort_index", th.Pid, th.ID, i)
	}
	for i := range tl.Events {
		jw.event(&tl.Events[i])
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
}

func (j *jsonWriter) sep() {
	if j.first {
		j.w.WriteString(",\n")
	}
	j.first = true
}

// str writes s as a JSON string. Most names need no escaping and are
// written as they are, valid UTF-8 included; the others go through
// encoding/json (which also escapes '<', '>' and '&', so the JSON can be
// embedded in a <script> element).
func (j *jsonWriter) str(s string) {
	checked := false // UTF-8 is written as it is ("→" in the flows' names), once known valid
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 && !checked {
			if utf8.ValidString(s) {
				checked = true
				continue
			}
		} else if c >= 0x80 || c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			continue
		}
		j.buf, _ = json.Marshal(s) // a string always marshals
		j.w.Write(j.buf)
		return
	}
	j.w.WriteByte('"')
	j.w.WriteString(s)
	j.w.WriteByte('"')
}

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

func (j *jsonWriter) event(e *Ev) {
	j.sep()
	w := j.w
	w.WriteString(`{"name":`)
	j.str(e.Name)
	w.WriteString(`,"cat":"`)
	w.WriteString(e.Cat)
	w.WriteString(`","ph":"`)
	w.WriteByte(e.Ph)
	w.WriteString(`","ts":`)
	j.int(e.Ts)
	switch e.Ph {
	case 'X':
		w.WriteString(`,"dur":`)
		j.int(e.Dur)
	case 'i':
		w.WriteString(`,"s":"t"`)
	case 's':
		w.WriteString(`,"id":`)
		j.int(int64(e.ID))
	case 'f':
		w.WriteString(`,"id":`)
		j.int(int64(e.ID))
		w.WriteString(`,"bp":"e"`)
	}
	w.WriteString(`,"pid":`)
	j.int(int64(e.Pid))
	w.WriteString(`,"tid":`)
	j.int(e.Tid)
	if len(e.Args) > 0 {
		w.WriteString(`,"args":{`)
		for i, a := range e.Args {
			if i > 0 {
				w.WriteByte(',')
			}
			j.str(a.Key)
			w.WriteByte(':')
			if a.IsNum {
				j.int(a.Num)
			} else {
				j.str(a.Str)
			}
		}
		w.WriteByte('}')
	}
	w.WriteByte('}')
}
