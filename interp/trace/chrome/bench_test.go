package chrome_test

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
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
//
// "written" is Build then WriteJSON after the run; "live" is what `starlab
// run --trace out.json` does, building and writing beside the run (Live).
func BenchmarkTrafficLight60s(b *testing.B) { benchTrace(b, "traffic_light.star", 60*time.Second) }

// BenchmarkLock100Threads is the same on the course's lock example: 100
// threads taking turns on a lock, ten times the events per second of run.
func BenchmarkLock100Threads(b *testing.B) { benchTrace(b, "lock.star", 0) }

// BenchmarkQueuePC is the cost on a workload made of operations: the
// bench/ producer/consumer, scaled down to 20,000 items (about 100,000
// trace events), in real time and in sim mode.
func BenchmarkQueuePC(b *testing.B) {
	src, err := os.ReadFile("../../../bench/queue_pc.star")
	if err != nil {
		b.Fatal(err)
	}
	src = bytes.Replace(src, []byte("N_ITEMS = 200000"), []byte("N_ITEMS = 20000"), 1)
	b.Run("real-time", func(b *testing.B) { benchSource(b, "queue_pc.star", src, false, 0) })
	b.Run("sim", func(b *testing.B) { benchSource(b, "queue_pc.star", src, true, 0) })
}

func benchTrace(b *testing.B, file string, maxTime time.Duration) {
	src, err := os.ReadFile("../../../labs/examples/" + file)
	if err != nil {
		b.Fatal(err)
	}
	benchSource(b, file, src, true, maxTime)
}

// benchSource runs src untraced, recorded, and recorded then written.
func benchSource(b *testing.B, file string, src []byte, sim bool, maxTime time.Duration) {
	run := func(b *testing.B, record, write bool) {
		var size, events int
		for i := 0; i < b.N; i++ {
			buf := &chrome.Buffer{}
			cfg := interp.SchedConfig{Sim: sim, Seed: 1, MaxTime: maxTime}
			if record {
				cfg.Recorder = buf
			}
			it := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard, Sched: cfg, Predeclared: builtins.Predeclared})
			if code := it.Run(file, src); code != 0 && maxTime == 0 {
				b.Fatalf("exit %d", code)
			}
			if write {
				var out countingWriter // as a file would take it, without the disk
				if err := chrome.Write(&out, buf.Events(), chrome.Options{Process: file, Sim: sim, Seed: 1}); err != nil {
					b.Fatal(err)
				}
				size, events = int(out), len(buf.Events())
			}
		}
		if write {
			b.ReportMetric(float64(size)/1e6, "MB")
			b.ReportMetric(float64(events), "events")
		}
	}
	b.Run("untraced", func(b *testing.B) { run(b, false, false) })
	// events: the scheduler makes every event and a recorder drops it,
	// the floor of what any tracing costs (in real time, about half of it
	// is reading the clock, some 60 ns a read in a VM).
	b.Run("events", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cfg := interp.SchedConfig{Sim: sim, Seed: 1, MaxTime: maxTime, Recorder: trace.RecorderFunc(func(trace.Event) {})}
			it := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard, Sched: cfg, Predeclared: builtins.Predeclared})
			if code := it.Run(file, src); code != 0 && maxTime == 0 {
				b.Fatalf("exit %d", code)
			}
		}
	})
	b.Run("recorded", func(b *testing.B) { run(b, true, false) })
	b.Run("written", func(b *testing.B) { run(b, true, true) })
	// live is what `starlab run --trace out.json` does: a Live recorder
	// builds and writes while the run goes.
	b.Run("live", func(b *testing.B) {
		var size int
		for i := 0; i < b.N; i++ {
			var out countingWriter
			opts := chrome.Options{Process: file, Sim: sim, Seed: 1}
			live := chrome.NewLive(opts, &out)
			cfg := interp.SchedConfig{Sim: sim, Seed: 1, MaxTime: maxTime, Recorder: live}
			it := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard, Sched: cfg, Predeclared: builtins.Predeclared})
			code := it.Run(file, src)
			if code != 0 && maxTime == 0 {
				b.Fatalf("exit %d", code)
			}
			opts.Exit = code
			tl, err := live.Finish(opts)
			if err == nil {
				err = live.Close(tl)
			}
			if err != nil {
				b.Fatal(err)
			}
			size = int(out)
		}
		b.ReportMetric(float64(size)/1e6, "MB")
	})
}

// countingWriter counts the bytes written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
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

// BenchmarkBuildWrite is the work after a traced run, on the events of
// the scaled-down bench/ producer/consumer: Build, then WriteJSON.
func BenchmarkBuildWrite(b *testing.B) {
	src, err := os.ReadFile("../../../bench/queue_pc.star")
	if err != nil {
		b.Fatal(err)
	}
	src = bytes.Replace(src, []byte("N_ITEMS = 200000"), []byte("N_ITEMS = 20000"), 1)
	buf := &chrome.Buffer{}
	it := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard, Sched: interp.SchedConfig{Sim: true, Seed: 1, Recorder: buf}, Predeclared: builtins.Predeclared})
	it.Run("queue_pc.star", src)
	events := buf.Events()
	opts := chrome.Options{Process: "queue_pc.star", Sim: true, Seed: 1}
	b.Run("build", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			chrome.Build(events, opts)
		}
		b.ReportMetric(float64(len(events)), "events")
	})
	tl := chrome.Build(events, opts)
	b.Run("json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var out countingWriter
			if err := tl.WriteJSON(&out); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(tl.Events)), "trace-events")
	})
}
