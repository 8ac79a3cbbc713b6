package chrome

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
)

// WriteJSON writes the timeline as a trace-event JSON object, one event a
// line: metadata (process and thread names, track order) first, then the
// events, then "otherData" with the run's seed, exit status and deadlock.
func (tl *Timeline) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	jw := &jsonWriter{w: bw, pid: strconv.Itoa(tl.Opts.Pid)}
	bw.WriteString("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")
	jw.meta("process_name", 0, tl.Opts.Process)
	for i, th := range tl.Threads {
		jw.meta("thread_name", th.ID, th.Name)
		jw.sep()
		bw.WriteString(`{"name":"thread_sort_index","ph":"M","pid":` + jw.pid + `,"tid":` + strconv.FormatInt(th.ID, 10) + `,"args":{"sort_index":` + strconv.Itoa(i) + `}}`)
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
	pid   string
	first bool
	buf   []byte
}

func (j *jsonWriter) sep() {
	if j.first {
		j.w.WriteString(",\n")
	}
	j.first = true
}

func (j *jsonWriter) str(s string) {
	j.buf, _ = json.Marshal(s) // a string always marshals
	j.w.Write(j.buf)
}

func (j *jsonWriter) meta(name string, tid int64, value string) {
	j.sep()
	j.w.WriteString(`{"name":"` + name + `","ph":"M","pid":` + j.pid + `,"tid":` + strconv.FormatInt(tid, 10) + `,"args":{"name":`)
	j.str(value)
	j.w.WriteString("}}")
}

func (j *jsonWriter) event(e *Ev) {
	j.sep()
	w := j.w
	w.WriteString(`{"name":`)
	j.str(e.Name)
	w.WriteString(`,"cat":"` + e.Cat + `","ph":"`)
	w.WriteByte(e.Ph)
	w.WriteString(`","ts":` + strconv.FormatInt(e.Ts, 10))
	switch e.Ph {
	case 'X':
		w.WriteString(`,"dur":` + strconv.FormatInt(e.Dur, 10))
	case 'i':
		w.WriteString(`,"s":"t"`)
	case 's':
		w.WriteString(`,"id":` + strconv.Itoa(e.ID))
	case 'f':
		w.WriteString(`,"id":` + strconv.Itoa(e.ID) + `,"bp":"e"`)
	}
	w.WriteString(`,"pid":` + j.pid + `,"tid":` + strconv.FormatInt(e.Tid, 10))
	if len(e.Args) > 0 {
		w.WriteString(`,"args":{`)
		for i, a := range e.Args {
			if i > 0 {
				w.WriteByte(',')
			}
			j.str(a.Key)
			w.WriteByte(':')
			if a.IsNum {
				w.WriteString(strconv.FormatInt(a.Num, 10))
			} else {
				j.str(a.Str)
			}
		}
		w.WriteByte('}')
	}
	w.WriteByte('}')
}
