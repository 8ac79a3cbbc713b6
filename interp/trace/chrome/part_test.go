package chrome_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
)

// recorded runs the lock example in sim mode and returns its events.
func recorded(t *testing.T) []trace.Event {
	buf := &chrome.Buffer{}
	r := runtest.Run(t, "lock.star", example(t, "lock.star"), runtest.Options{Sched: interp.SchedConfig{Sim: true, Seed: 3, Recorder: buf}})
	require.Equal(t, 0, r.Code, r.Stderr)
	require.NotEmpty(t, buf.Events())
	return buf.Events()
}

// A part written in two flushes reads back as the events recorded, file
// positions included; a line cut short (a child killed mid-write) ends
// the part there.
func TestPartRoundTrip(t *testing.T) {
	events := recorded(t)
	dir := t.TempDir()
	w := &chrome.PartWriter{}
	half := len(events) / 2
	for _, e := range events[:half] {
		w.Record(e)
	}
	require.NoError(t, w.Open(dir, chrome.PartHeader{Pid: 42, Process: "Process-1", Start: 7}))
	require.NoError(t, w.Flush())
	for _, e := range events[half:] {
		w.Record(e)
	}
	blocked := []chrome.Blocked{{Thread: 2, Name: "first", Reason: "Lock.acquire (held by second)", Line: "x.star:3"}}
	require.NoError(t, w.Close(blocked))
	require.NoError(t, w.Flush(), "a flush after Close does nothing")

	data, err := os.ReadFile(filepath.Join(dir, "part-42.jsonl"))
	require.NoError(t, err)
	part, err := chrome.ReadPart(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, chrome.PartHeader{Pid: 42, Process: "Process-1", Start: 7}, part.PartHeader)
	assert.Equal(t, blocked, part.Deadlock)
	got := part.Events
	require.Len(t, got, len(events))
	for i := range events {
		want := events[i]
		assert.Equal(t, want.Pos.String(), got[i].Pos.String(), "event %d's position", i)
		want.Pos, got[i].Pos = got[i].Pos, want.Pos
		assert.Equal(t, want, got[i], "event %d", i)
	}

	// Cut in the deadlock line, then in the last event's line.
	trailer := bytes.LastIndex(data[:len(data)-1], []byte("\n")) + 1
	part, err = chrome.ReadPart(bytes.NewReader(data[:trailer+5]))
	require.NoError(t, err)
	assert.Len(t, part.Events, len(events))
	assert.Nil(t, part.Deadlock)
	part, err = chrome.ReadPart(bytes.NewReader(data[:trailer-5]))
	require.NoError(t, err)
	assert.Len(t, part.Events, len(events)-1)

	_, err = chrome.ReadPart(bytes.NewReader(nil))
	assert.Error(t, err)
}

// Merging children's parts gives each its process track, shifts its
// events to the parent's clock, and keeps flow ids unique.
func TestMergeParts(t *testing.T) {
	events := recorded(t)
	dir := t.TempDir()
	start := time.Unix(1000, 0)
	for i, pid := range []int{11, 12} {
		w := &chrome.PartWriter{}
		for _, e := range events {
			w.Record(e)
		}
		// The children started 1 s and 2 s after the parent.
		require.NoError(t, w.Open(dir, chrome.PartHeader{Pid: pid, Process: "child", Start: start.Add(time.Duration(i+1) * time.Second).UnixNano()}))
		require.NoError(t, w.Close(nil))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "part-13.jsonl"), []byte("not json\n"), 0o644))

	tl := chrome.Build(events, chrome.Options{Process: "parent", Pid: 10})
	alone := chrome.Build(events, chrome.Options{Process: "child", Pid: 11})
	err := chrome.MergeParts(tl, start, dir)
	assert.ErrorContains(t, err, "part-13.jsonl", "the unreadable part is reported")
	require.Len(t, tl.Processes, 3)
	assert.Equal(t, []int{10, 11, 12}, []int{tl.Processes[0].Pid, tl.Processes[1].Pid, tl.Processes[2].Pid})
	assert.Len(t, tl.Threads, 3*len(alone.Threads))
	assert.Equal(t, 3*alone.Flows, tl.Flows)

	var out bytes.Buffer
	require.NoError(t, tl.WriteJSON(&out))
	var tr jsonTrace
	require.NoError(t, json.Unmarshal(out.Bytes(), &tr))
	checkStructure(t, tr)
	firstTs := map[int]int64{}
	for _, e := range tr.TraceEvents {
		if e.Ph == "X" {
			if f, ok := firstTs[e.Pid]; !ok || e.Ts < f {
				firstTs[e.Pid] = e.Ts
			}
		}
	}
	assert.Equal(t, firstTs[10]+1_000_000, firstTs[11])
	assert.Equal(t, firstTs[10]+2_000_000, firstTs[12])
}

// Events and From see the same events, in order, across chunks, and
// recording after Events goes on where it stopped.
func TestBufferChunks(t *testing.T) {
	var b chrome.Buffer
	assert.Nil(t, b.Events())
	for i := 0; i < 2500; i++ {
		b.Record(trace.Event{Thread: int64(i)})
	}
	var seen []int64
	n := b.From(1000, func(e *trace.Event) { seen = append(seen, e.Thread) })
	assert.Equal(t, 2500, n)
	require.Len(t, seen, 1500)
	assert.Equal(t, int64(1000), seen[0])
	assert.Equal(t, int64(2499), seen[1499])
	all := b.Events()
	require.Len(t, all, 2500)
	for i, e := range all {
		require.Equal(t, int64(i), e.Thread)
	}
	b.Record(trace.Event{Thread: 2500})
	seen = nil
	assert.Equal(t, 2501, b.From(2499, func(e *trace.Event) { seen = append(seen, e.Thread) }))
	assert.Equal(t, []int64{2499, 2500}, seen)
	assert.Len(t, b.Events(), 2501)
}
