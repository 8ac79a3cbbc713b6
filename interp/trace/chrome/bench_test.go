package chrome_test

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
)

// BenchmarkTrafficLight60s measures what tracing costs: a 60-virtual-second
// sim of the course's traffic light (an endless script, stopped by
// MaxTime), without a recorder, with one, and with one plus writing the
// JSON. It reports the trace's size (the bar: under 5 MB) and the
// number of events. Compare the ns/op of the sub-benchmarks for the
// overhead (the bar: traced under 2× untraced):
//
//	go test ./interp/trace/chrome -run '^$' -bench TrafficLight -benchtime 5x
func BenchmarkTrafficLight60s(b *testing.B) { benchTrace(b, "traffic_light.star", 60*time.Second) }

// BenchmarkLock100Threads is the same on the course's lock example: 100
// threads taking turns on a lock, ten times the events per second of run.
func BenchmarkLock100Threads(b *testing.B) { benchTrace(b, "lock.star", 0) }

func benchTrace(b *testing.B, file string, maxTime time.Duration) {
	src, err := os.ReadFile("../../../labs/examples/" + file)
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, record, write bool) {
		var size, events int
		for i := 0; i < b.N; i++ {
			buf := &chrome.Buffer{}
			cfg := interp.SchedConfig{Sim: true, Seed: 1, MaxTime: maxTime}
			if record {
				cfg.Recorder = buf
			}
			it := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard, Sched: cfg, Predeclared: builtins.Predeclared})
			it.Run(file, src)
			if write {
				var out bytes.Buffer
				if err := chrome.Write(&out, buf.Events(), chrome.Options{Process: file, Sim: true, Seed: 1}); err != nil {
					b.Fatal(err)
				}
				size, events = out.Len(), len(buf.Events())
			}
		}
		if write {
			b.ReportMetric(float64(size)/1e6, "MB")
			b.ReportMetric(float64(events), "events")
		}
	}
	b.Run("untraced", func(b *testing.B) { run(b, false, false) })
	b.Run("recorded", func(b *testing.B) { run(b, true, false) })
	b.Run("written", func(b *testing.B) { run(b, true, true) })
}

// BenchmarkWrite is Write alone, on the events of the lock example.
func BenchmarkWrite(b *testing.B) {
	src, err := os.ReadFile("../../../labs/examples/lock.star")
	if err != nil {
		b.Fatal(err)
	}
	buf := &chrome.Buffer{}
	it := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard, Sched: interp.SchedConfig{Sim: true, Seed: 1, Recorder: buf}, Predeclared: builtins.Predeclared})
	it.Run("lock.star", src)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := chrome.Write(io.Discard, buf.Events(), chrome.Options{Process: "lock.star", Sim: true, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(buf.Events())), "events")
}
