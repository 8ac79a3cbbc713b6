package chrome_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
)

// tee records each event into every recorder.
type tee []trace.Recorder

func (t tee) Record(e trace.Event) {
	for _, r := range t {
		r.Record(e)
	}
}

// queueItems is the bench/ producer/consumer with n items.
func queueItems(t *testing.T, n string) []byte {
	src, err := os.ReadFile("../../../bench/queue_pc.star")
	require.NoError(t, err)
	return bytes.Replace(src, []byte("N_ITEMS = 200000"), []byte("N_ITEMS = "+n), 1)
}

// TestLiveSameAsBuild: what Live writes beside the run is byte for byte
// what Build then WriteJSON make of the same events, and so is the
// timeline it keeps without a writer; runs long enough to be written in
// many pieces (a 6,000-item queue run is about 50,000 trace events).
func TestLiveSameAsBuild(t *testing.T) {
	cases := []struct {
		name string
		file string
		src  []byte
		cfg  interp.SchedConfig
	}{
		{"lock", "lock.star", example(t, "lock.star"), interp.SchedConfig{Sim: true, Seed: 4}},
		{"producer_consumer", "producer_consumer.star", example(t, "producer_consumer.star"), interp.SchedConfig{Sim: true, Seed: 2}},
		{"deadlock", "deadlock.star", example(t, "deadlock.star"), interp.SchedConfig{Sim: true, Seed: 1}},
		{"queue 6000 items", "queue_pc.star", queueItems(t, "6000"), interp.SchedConfig{Sim: true, Seed: 7}},
		{"queue, real time", "queue_pc.star", queueItems(t, "6000"), interp.SchedConfig{}},
		{"processes", "lock_counter.star", example(t, "processes/lock_counter.star"), interp.SchedConfig{Sim: true, Seed: 3, CPUs: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := chrome.Options{Process: c.file, Pid: interp.SimMainPID, Sim: c.cfg.Sim, Seed: c.cfg.Seed}
			var streamed bytes.Buffer
			live, kept, buf := chrome.NewLive(opts, &streamed), chrome.NewLive(opts, nil), &chrome.Buffer{}
			cfg := c.cfg
			cfg.Recorder = tee{live, kept, buf}
			r := runtest.Run(t, c.file, c.src, runtest.Options{Sched: cfg})
			opts.Exit = r.Code
			if rep := r.Interp.Sched().Deadlock(); rep != nil {
				for _, th := range rep.Threads {
					opts.Deadlock = append(opts.Deadlock, chrome.Blocked{Thread: th.ID, Name: th.Name, Reason: th.Reason})
				}
			}

			var built bytes.Buffer
			require.NoError(t, chrome.Write(&built, buf.Events(), opts))
			tl, err := live.Finish(opts)
			require.NoError(t, err)
			require.NoError(t, live.Close(tl))
			whole, err := kept.Finish(opts)
			require.NoError(t, err)
			var fromKept bytes.Buffer
			require.NoError(t, whole.WriteJSON(&fromKept))

			require.True(t, json.Valid(streamed.Bytes()), "not JSON")
			assert.Equal(t, built.String(), streamed.String(), "streamed JSON differs from Build's")
			assert.Equal(t, built.String(), fromKept.String(), "the kept timeline differs from Build's")
			n := bytes.Count(built.Bytes(), []byte("\n"))
			if len(buf.Events()) > 20000 {
				// Written as it went: what was left for Close is a
				// small part of the trace.
				assert.Less(t, len(tl.Events), n/2, "Live kept %d of %d events until the end", len(tl.Events), n)
			}
			t.Logf("%d events, %d trace lines, %d left for Close", len(buf.Events()), n, len(tl.Events))
		})
	}
}

// TestLiveAfterFinish: a late event is dropped, a second Finish is an
// error, Close needs a writer.
func TestLiveAfterFinish(t *testing.T) {
	live := chrome.NewLive(chrome.Options{Process: "x.star"}, nil)
	live.Record(trace.Event{Kind: trace.Start, Thread: 1, Name: "MainThread"})
	tl, err := live.Finish(chrome.Options{Process: "x.star"})
	require.NoError(t, err)
	require.Len(t, tl.Threads, 1)
	// More than a chunk's worth: a full chunk handed to a builder that is
	// gone would panic or be lost silently, not dropped.
	for i := range 3000 {
		live.Record(trace.Event{Kind: trace.Start, Thread: int64(2 + i), Name: "late"})
	}
	assert.Len(t, tl.Threads, 1, "an event recorded after Finish")
	_, err = live.Finish(chrome.Options{})
	assert.Error(t, err)
	assert.Error(t, live.Close(tl))
}
