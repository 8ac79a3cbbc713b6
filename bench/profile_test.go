//go:build benchprofile

// Package bench holds starlab's benchmarks: each workload a .star and a .py
// twin, run side by side by run.sh. This file is only a profiling harness: it
// runs one workload in-process, so that `go test -cpuprofile` sees starlab's
// own code. The build tag keeps it out of `go test ./...`: benchmarks are
// never timed tests.
//
//	go test -tags benchprofile ./bench -run TestProfile -count 1 -v \
//	    -cpuprofile /tmp/cpu.out -args -workload lock_counter -runs 3
//	go tool pprof -top -nodecount 40 /tmp/cpu.out
//
// -events counts the scheduler's hand-offs of each run (it slows the run a
// little: leave it off when profiling).
package bench

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
)

var (
	workload = flag.String("workload", "lock_counter", "the workload to run: bench/NAME.star")
	runs     = flag.Int("runs", 1, "how many times to run it (more runs, more samples)")
	events   = flag.Bool("events", false, "count the scheduler's events (run, wait, wake, ...) of each run")
)

// TestProfile runs bench/NAME.star in real-time mode, as `starlab run` does,
// and checks its result line against the Python twin's when python3 exists.
func TestProfile(t *testing.T) {
	path := filepath.Join(".", *workload+".star")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no workload %s: %v", path, err)
	}
	var want string
	if py, err := exec.LookPath("python3"); err == nil {
		out, err := exec.Command(py, strings.TrimSuffix(path, ".star")+".py").Output()
		if err != nil {
			t.Fatalf("python3 twin: %v", err)
		}
		want = resultLine(string(out))
	}
	for i := 0; i < *runs; i++ {
		var stdout, stderr bytes.Buffer
		var cfg interp.SchedConfig
		counts := map[trace.Kind]int{}
		if *events {
			// The recorder runs under the scheduler's mutex: counting is safe.
			cfg.Recorder = trace.RecorderFunc(func(e trace.Event) { counts[e.Kind]++ })
		}
		it := interp.New(interp.Options{
			Stdin:       strings.NewReader(""),
			Stdout:      &stdout,
			Stderr:      &stderr,
			Argv:        []string{path},
			Sched:       cfg,
			Predeclared: builtins.Predeclared,
		})
		start := time.Now()
		code := it.RunFile(path)
		elapsed := time.Since(start)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", path, code, stderr.String())
		}
		got := resultLine(stdout.String())
		if got == "" || (want != "" && got != want) {
			t.Fatalf("%s: result %q, python twin %q", path, got, want)
		}
		t.Logf("run %d: %.3fs %s", i+1, elapsed.Seconds(), got)
		if *events {
			t.Logf("  scheduler events: %d run (baton hand-offs), %d wait, %d wake, %d start, %d end",
				counts[trace.Run], counts[trace.Wait], counts[trace.Wake], counts[trace.Start], counts[trace.End])
		}
	}
}

// resultLine is the last line of out that starts with "result:".
func resultLine(out string) string {
	last := ""
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "result:") {
			last = line
		}
	}
	return last
}
