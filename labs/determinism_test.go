package labs

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// simLabs are the labs graded in sim mode only: their verdicts, messages
// and replay commands must be the same at every grading.
var simLabs = map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 14: true, 17: true, 18: true, 19: true}

// verdict is what must not change from one grading of a file to the next:
// each check's status, and for a sim-mode lab its message and replay
// command too (a socket lab's messages name its random ports).
func verdict(rep *Report, full bool) string {
	var b strings.Builder
	b.WriteString(rep.Status + "\n")
	if full {
		b.WriteString(rep.Message + "\n")
	}
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "%s: %s", c.Name, c.Status)
		if full {
			fmt.Fprintf(&b, " | %s | %s | %s", c.Message, c.Replay, c.Deadlock)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// socketDefault are the real-time labs whose solution is graded again by
// default (the ones whose idle and leaving-client checks are newest);
// STARLAB_DETERMINISM=full grades every solution and mutant of them all.
var socketDefault = map[int]bool{11: true, 13: true}

// TestVerdictsDeterministic grades each lab's solution and mutants again and
// again and proves the verdicts never change.
//
// With STARLAB_DETERMINISM=full: every file 20 times for the sim-mode labs
// (01-09, 14, 17-19), 5 times for the real-time socket labs (10-13, 15, 16), whose
// graders talk to the server with real clients on loopback. A socket-lab
// mutant's verdict is the check it exists to fail (its other checks may
// time out differently on a loaded machine: a broken server is broken in
// more than one way); a solution's is every check.
//
// By default, to keep the suite short: a sim-mode file 20 times when one
// grading takes under 10 ms, else as many times as fit in 200 ms (at least
// 2, so at least one comparison); the solutions of socketDefault 5 times.
// Under the race detector, only labs 02 and 14 (every file, up to 3 times).
func TestVerdictsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("grades every lab many times")
	}
	full := os.Getenv("STARLAB_DETERMINISM") == "full" && !raceDetector
	simRepeats, socketRepeats := 20, 5
	if raceDetector {
		simRepeats = 3
	}
	all, err := All()
	require.NoError(t, err)
	var mu sync.Mutex
	took := map[string]string{}
	t.Cleanup(func() {
		var ids []string
		for id := range took {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			t.Logf("%s: %s", id, took[id])
		}
	})
	for _, l := range all {
		sim := simLabs[l.Num]
		if raceDetector && l.Num != 2 && l.Num != 14 {
			continue
		}
		files, err := l.Mutants()
		require.NoError(t, err)
		files["solution.star"], err = l.File("solution.star")
		require.NoError(t, err)
		var names []string
		for name := range files {
			if sim || full || (socketDefault[l.Num] && name == "solution.star") {
				names = append(names, name)
			}
		}
		if len(names) == 0 {
			continue
		}
		sort.Strings(names)
		t.Run(l.ID, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			gradings, fewer := 0, []string{}
			defer func() {
				mu.Lock()
				defer mu.Unlock()
				took[l.ID] = fmt.Sprintf("%d files, %d gradings in %v", len(names), gradings, time.Since(start).Round(time.Millisecond))
				if len(fewer) > 0 {
					took[l.ID] += "; fewer repeats: " + strings.Join(fewer, ", ")
				}
			}()
			for _, name := range names {
				judge := func(rep *Report) string { return verdict(rep, sim) }
				if check := expectedFailure(files[name]); !sim && check != "" {
					judge = func(rep *Report) string { return check + ": " + statusOf(rep, check) }
				}
				first := time.Now()
				want := judge(Grade(l, l.Meta.File, files[name]))
				gradings++
				repeats := socketRepeats
				if sim {
					repeats = simRepeats
					if one := time.Since(first); !full && one > 10*time.Millisecond {
						repeats = max(2, min(simRepeats, int(200*time.Millisecond/one)))
						fewer = append(fewer, fmt.Sprintf("%s ×%d", name, repeats))
					}
				}
				for i := 1; i < repeats; i++ {
					got := judge(Grade(l, l.Meta.File, files[name]))
					gradings++
					if !assert.Equal(t, want, got, "%s: grading %d differs from the first", name, i+1) {
						break
					}
				}
			}
		})
	}
}

// statusOf is the status of the check called name in rep ("missing" when
// the report has no such check).
func statusOf(rep *Report, name string) string {
	for _, c := range rep.Checks {
		if c.Name == name {
			return c.Status
		}
	}
	return "missing"
}
