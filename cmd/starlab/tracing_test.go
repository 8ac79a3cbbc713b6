package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// traceDoc is a trace-event file as Perfetto reads it.
type traceDoc struct {
	TraceEvents []struct {
		Name string         `json:"name"`
		Ph   string         `json:"ph"`
		Ts   int64          `json:"ts"`
		Dur  int64          `json:"dur"`
		Pid  int            `json:"pid"`
		Tid  int64          `json:"tid"`
		ID   int            `json:"id"`
		Args map[string]any `json:"args"`
	} `json:"traceEvents"`
}

// runTrace runs `starlab run --trace out` on a script of testdata/trace
// and returns its stdout and the trace file's path; the script must exit 0
// with nothing on stderr.
func runTrace(t *testing.T, script, ext string) (string, string) {
	t.Helper()
	stdout, stderr, out := runTraceStderr(t, script, ext)
	require.Empty(t, stderr)
	return stdout, out
}

func runTraceStderr(t *testing.T, script, ext string) (string, string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out"+ext)
	stdout, stderr, code := runCLI(t, "", "run", "--trace", out, filepath.Join("testdata", "trace", script))
	require.Equal(t, 0, code, stderr)
	return stdout, stderr, out
}

func readTrace(t *testing.T, path string) traceDoc {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc traceDoc
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

// A child's deadlock (its report on its stderr, exit status 3) is drawn
// on the child's own lanes.
func TestTraceDeadlockedChild(t *testing.T) {
	stdout, stderr, out := runTraceStderr(t, "deadlocked_child.star", ".json")
	assert.Equal(t, "exitcode 3\n", stdout)
	assert.Contains(t, stderr, "deadlock")
	doc := readTrace(t, out)
	pid := 0
	names := map[int64]string{}
	for _, e := range doc.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" && e.Args["name"] == "stuck" {
			pid = e.Pid
		}
	}
	require.NotZero(t, pid)
	for _, e := range doc.TraceEvents {
		if e.Ph == "M" && e.Name == "thread_name" && e.Pid == pid {
			names[e.Tid], _ = e.Args["name"].(string)
		}
	}
	marks := map[string]string{}
	for _, e := range doc.TraceEvents {
		if e.Ph == "i" && strings.HasPrefix(e.Name, "deadlock: ") {
			assert.Equal(t, pid, e.Pid, "a deadlock mark outside the child")
			marks[names[e.Tid]] = e.Name
		}
	}
	assert.Equal(t, map[string]string{
		"MainThread": "deadlock: join first",
		"first":      "deadlock: Lock.acquire (held by second)",
		"second":     "deadlock: Lock.acquire (held by first)",
	}, marks)
}

// A real multiprocessing run's trace has a process track per OS process:
// each child writes its part and the parent merges them, on one clock.
func TestTraceChildren(t *testing.T) {
	stdout, out := runTrace(t, "children.star", ".json")
	assert.Contains(t, stdout, "[0, 1, 4, 9, 16, 25]")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc traceDoc
	require.NoError(t, json.Unmarshal(data, &doc))

	procs := map[int]string{}
	threads := map[int]map[string]bool{}
	first, last := map[int]int64{}, map[int]int64{}
	flows := map[int]int{}
	unfinished := map[int][]string{} // spans still open when the process ended
	for _, e := range doc.TraceEvents {
		switch e.Ph {
		case "M":
			name, _ := e.Args["name"].(string)
			if e.Name == "process_name" {
				procs[e.Pid] = name
			} else if e.Name == "thread_name" {
				if threads[e.Pid] == nil {
					threads[e.Pid] = map[string]bool{}
				}
				threads[e.Pid][name] = true
			}
			continue
		case "X":
			require.GreaterOrEqual(t, e.Dur, int64(0))
			if e.Args["unfinished"] != nil {
				unfinished[e.Pid] = append(unfinished[e.Pid], e.Name)
			}
		case "s":
			flows[e.ID]++
		case "f":
			flows[e.ID]--
		}
		if l, ok := e.Args["line"].(string); ok {
			// The script as the learner named it, in the children too
			// (which are given its absolute path).
			assert.Regexp(t, `^children\.star:\d+$`, l, "%s's line", procs[e.Pid])
		}
		if f, ok := first[e.Pid]; !ok || e.Ts < f {
			first[e.Pid] = e.Ts
		}
		if e.Ts+e.Dur > last[e.Pid] {
			last[e.Pid] = e.Ts + e.Dur
		}
	}
	for id, n := range flows {
		assert.Zero(t, n, "flow %d unpaired", id)
	}
	var parent int
	names := map[string]int{}
	for pid, name := range procs {
		names[name] = pid
		if name == "children.star" {
			parent = pid
		}
	}
	require.NotZero(t, parent, "no track for the parent: %v", procs)
	for _, name := range []string{"Process-1", "Process-2", "SpawnPoolWorker-1", "SpawnPoolWorker-2"} {
		pid, ok := names[name]
		require.True(t, ok, "no process track %s: %v", name, procs)
		assert.NotEqual(t, parent, pid)
		assert.True(t, threads[pid]["MainThread"], "%s has no MainThread", name)
		// Every child's thread ended within its part (the parent's
		// result-handler thread is a daemon, stopped as the run ends).
		assert.Empty(t, unfinished[pid], "%s's spans left open", name)
		// The children ran while the parent did: their clocks are the
		// parent's (a generous margin for a loaded machine).
		assert.GreaterOrEqual(t, first[pid], first[parent]-1000, "%s starts before its parent", name)
		assert.LessOrEqual(t, last[pid], last[parent]+1000, "%s ends after its parent", name)
	}
	for _, name := range []string{"Process-1", "Process-2"} {
		assert.True(t, threads[names[name]]["helper-0"] && threads[names[name]]["helper-1"], "%s's threads are named as in the script: %v", name, threads[names[name]])
	}
}

// A child that its parent terminates writes its part as SIGTERM arrives,
// and still dies of it (exit code -15, as in CPython).
func TestTraceTerminatedChild(t *testing.T) {
	stdout, out := runTrace(t, "terminated.star", ".json")
	assert.Equal(t, "exitcode -15\n", stdout)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc traceDoc
	require.NoError(t, json.Unmarshal(data, &doc))
	pid := 0
	for _, e := range doc.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" && e.Args["name"] == "sleeper" {
			pid = e.Pid
		}
	}
	require.NotZero(t, pid, "no track for the terminated child")
	sleeps := 0
	for _, e := range doc.TraceEvents {
		if e.Pid == pid && e.Ph == "X" && e.Name == "sleep" {
			sleeps++
		}
	}
	assert.Greater(t, sleeps, 3, "the child's sleeps before SIGTERM")
}

// A sim run's trace has a process track per simulated process, named and
// numbered as os.getpid() and Process.pid say in that run (the main
// process 1000, the children 1001, ... in start order), each with its own
// threads named as in the script; every span closes, none overlaps the
// next on its thread, and the same seed writes the same bytes.
func TestTraceSimChildren(t *testing.T) {
	run := func() (string, []byte) {
		out := filepath.Join(t.TempDir(), "out.json")
		stdout, stderr, code := runCLI(t, "", "run", "--sim", "--seed", "1", "--trace", out, filepath.Join("testdata", "trace", "children.star"))
		require.Equal(t, 0, code, stderr)
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		return stdout, data
	}
	stdout, data := run()
	assert.Contains(t, stdout, "[0, 1, 4, 9, 16, 25]")
	var doc traceDoc
	require.NoError(t, json.Unmarshal(data, &doc))
	procs := map[int]string{}
	threads := map[string][]string{}
	for _, e := range doc.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" {
			procs[e.Pid], _ = e.Args["name"].(string)
		}
	}
	type track struct {
		pid int
		tid int64
	}
	end := map[track]int64{}
	for _, e := range doc.TraceEvents {
		switch e.Ph {
		case "M":
			if e.Name == "thread_name" {
				name, _ := e.Args["name"].(string)
				threads[procs[e.Pid]] = append(threads[procs[e.Pid]], name)
			}
		case "X":
			// Spans are written as they close, in order per thread.
			k := track{e.Pid, e.Tid}
			assert.GreaterOrEqual(t, e.Dur, int64(0))
			assert.GreaterOrEqual(t, e.Ts, end[k], "%s: a span before the last one ended: %+v", procs[e.Pid], e)
			end[k] = e.Ts + e.Dur
			assert.Nil(t, e.Args["unfinished"], "%s: a span left open: %+v", procs[e.Pid], e)
		}
	}
	assert.Equal(t, map[int]string{1000: "children.star", 1001: "Process-1", 1002: "Process-2", 1003: "SpawnPoolWorker-1", 1004: "SpawnPoolWorker-2"}, procs)
	assert.ElementsMatch(t, []string{"MainThread", "Thread-1 (_handle_results)"}, threads["children.star"])
	for _, p := range []string{"Process-1", "Process-2"} {
		assert.ElementsMatch(t, []string{"MainThread", "helper-0", "helper-1"}, threads[p], p)
	}
	for _, p := range []string{"SpawnPoolWorker-1", "SpawnPoolWorker-2"} {
		assert.Equal(t, []string{"MainThread"}, threads[p], p)
	}
	_, again := run()
	assert.True(t, bytes.Equal(data, again), "the same seed wrote another trace")
}

// The page groups the lanes by process: a header and lanes for each, for
// a real run's OS processes and for a sim run's simulated ones.
func TestTraceChildrenPage(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no " + chromium + " (.ci/run installs it)")
	}
	for _, mode := range []struct {
		name string
		args []string
	}{{"real", nil}, {"sim", []string{"--sim", "--seed", "1"}}} {
		t.Run(mode.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.html")
			args := append(append([]string{"run"}, mode.args...), "--trace", out, filepath.Join("testdata", "trace", "children.star"))
			_, stderr, code := runCLI(t, "", args...)
			require.Equal(t, 0, code, stderr)
			checkChildrenPage(t, chromium, out)
		})
	}
}

// checkChildrenPage opens children.star's page in chromium: 5 process
// groups and their 10 lanes.
func checkChildrenPage(t *testing.T, chromium, out string) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+out)
	var dom, log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &dom, &log
	require.NoError(t, cmd.Run(), log.String())
	m := regexp.MustCompile(`<div id="status"[^>]*data-lanes="(\d+)"[^>]*data-processes="(\d+)"[^>]*>(\w+)</div>`).FindStringSubmatch(dom.String())
	require.NotNil(t, m, "no #status: %s", dom.String())
	assert.Equal(t, "ok", m[3])
	assert.Equal(t, "5", m[2], "a group per process")
	assert.Equal(t, "10", m[1], "parent: main and the result handler; Processes: main and 2 helpers; workers: main")
}

// TestProcessorsFor: `run --trace` keeps a second processor for the
// timeline's builder; other single-interpreter commands use one.
func TestProcessorsFor(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"run", "x.star"}, 1},
		{[]string{"run", "--trace", "out.json", "x.star"}, 2},
		{[]string{"run", "--sim", "--trace=out.html", "x.star"}, 2},
		{[]string{"run", "-trace", "t.json", "x.star"}, 2},
		{[]string{"repl"}, 1},
		{[]string{"run", "--traced", "x.star"}, 1},
		{nil, 1},
	} {
		assert.Equal(t, c.want, processorsFor(c.args), "%q", c.args)
	}
}
