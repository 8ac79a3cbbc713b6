package page

import (
	"bufio"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/starlab-dev/starlab/interp/trace/chrome"
)

// The page does not embed the trace-event JSON: a 100,000-event trace is
// 12 MB of it, and the browser spends most of a second just reading it.
// It embeds the same timeline in columns instead, about a third the size:
//
//	{"procs": [[pid, name], ...]              (the run's first, then its children's),
//	 "other": {"mode", "seed", "exit", "deadlock"},
//	 "threads": [[tid, name, proc], ...]      (in track order; proc an index into procs),
//	 "strs": [string, ...]                    (names, categories, details),
//	 "ev": [ph, thread, ts, dur, name, cat, id, details, ...]}
//
// eight integers an event: ph 0 span, 1 instant, 2 counter, 3 flow start,
// 4 flow end; thread an index into threads; name, cat and details indexes
// into strs (details -1 for none: the tooltip's "key: value" lines). A
// counter's dur is its value: the page draws a small lane per counted
// object (a queue's length, a semaphore's value) under its process's
// threads.
func writeData(w *bufio.Writer, tl *chrome.Timeline) error {
	strs := map[string]int{}
	var list []string
	intern := func(s string) int {
		i, ok := strs[s]
		if !ok {
			i = len(list)
			strs[s] = i
			list = append(list, s)
		}
		return i
	}
	type key struct {
		pid int
		tid int64
	}
	threadIndex := make(map[key]int, len(tl.Threads))
	for i, th := range tl.Threads {
		threadIndex[key{th.Pid, th.ID}] = i
	}
	procIndex := make(map[int]int, len(tl.Processes))
	procs := make([][2]any, len(tl.Processes))
	for i, p := range tl.Processes {
		procIndex[p.Pid] = i
		procs[i] = [2]any{p.Pid, p.Name}
	}
	var ev []byte
	var details strings.Builder
	for _, e := range tl.Events {
		var ph int
		switch e.Ph {
		case 'X':
			ph = 0
		case 'i':
			ph = 1
		case 'C':
			ph = 2
		case 's':
			ph = 3
		case 'f':
			ph = 4
		default:
			continue
		}
		d, dur := -1, e.Dur
		if e.Ph == 'C' {
			if len(e.Args) == 0 {
				continue
			}
			dur = e.Args[0].Num
		} else if len(e.Args) > 0 {
			details.Reset()
			for i, a := range e.Args {
				if i > 0 {
					details.WriteByte('\n')
				}
				details.WriteString(a.Key + ": ")
				if a.IsNum {
					details.WriteString(strconv.FormatInt(a.Num, 10))
				} else {
					details.WriteString(a.Str)
				}
			}
			d = intern(details.String())
		}
		for _, n := range [...]int64{int64(ph), int64(threadIndex[key{e.Pid, e.Tid}]), e.Ts, dur, int64(intern(e.Name)), int64(intern(e.Cat)), int64(e.ID), int64(d)} {
			ev = strconv.AppendInt(ev, n, 10)
			ev = append(ev, ',')
		}
	}
	if len(ev) > 0 {
		ev = ev[:len(ev)-1]
	}
	threads := make([][3]any, len(tl.Threads))
	for i, th := range tl.Threads {
		threads[i] = [3]any{th.ID, th.Name, procIndex[th.Pid]}
	}
	other := map[string]string{"exit": strconv.Itoa(tl.Opts.Exit), "mode": "real-time"}
	if tl.Opts.Sim {
		other["mode"], other["seed"] = "sim", strconv.FormatInt(tl.Opts.Seed, 10)
	}
	if len(tl.Opts.Deadlock) > 0 {
		var s []string
		for _, d := range tl.Opts.Deadlock {
			line := d.Name + " waits on " + d.Reason
			if d.Line != "" {
				line += " at " + d.Line
			}
			s = append(s, line)
		}
		other["deadlock"] = strings.Join(s, "; ")
	}
	// encoding/json escapes '<', so "</script>" cannot appear.
	head, err := json.Marshal(map[string]any{"procs": procs, "other": other, "threads": threads, "strs": list})
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1])
	w.WriteString(`,"ev":[`)
	w.Write(ev)
	w.WriteString("]}")
	return nil
}
