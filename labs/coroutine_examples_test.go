package labs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// TestCoroutineExamples runs labs/examples/coroutines/*.star, the course's
// greenlet and gevent examples, and checks what each is about.
func TestCoroutineExamples(t *testing.T) {
	dir := "examples/coroutines"
	srv := runtest.SlowHTTPServer(t, 200*time.Millisecond, 4096)
	checks := map[string]struct {
		sim   bool     // run in sim mode (seeds 1-3), else once in real time
		args  []string // sys.argv after the file
		check func(t *testing.T, out string)
	}{
		"greenlet_switch.star": {sim: true, check: func(t *testing.T, out string) {
			assert.Equal(t, "12\n56\n34\n78\n", out)
		}},
		"gevent_switch.star": {sim: true, check: func(t *testing.T, out string) {
			assert.Equal(t, "Running in foo\nExplicit context to bar\nExplicit context switch to foo again\nImplicit context switch back to bar\n", out)
		}},
		"gevent_patch.star": {sim: true, check: func(t *testing.T, out string) {
			unpatched, patched, ok := strings.Cut(out, "unpatched: 3 seconds\n")
			require.True(t, ok, out)
			assert.Equal(t, "task 0 sleeps\ntask 0 wakes\ntask 1 sleeps\ntask 1 wakes\ntask 2 sleeps\ntask 2 wakes\n", unpatched)
			assert.True(t, strings.HasPrefix(patched, "task 0 sleeps\ntask 1 sleeps\ntask 2 sleeps\n"), patched)
			assert.True(t, strings.HasSuffix(patched, "patched: 1 seconds\n"), patched)
		}},
		"gevent_download.star": {args: []string{srv.URL}, check: func(t *testing.T, out string) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 6, out)
			for i, l := range lines {
				if i < 3 {
					assert.True(t, strings.HasPrefix(l, "GET: "+srv.URL), l)
				} else {
					assert.True(t, strings.HasPrefix(l, "4096 bytes received from "+srv.URL), l)
				}
			}
		}},
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.star"))
	require.NoError(t, err)
	require.Len(t, files, len(checks))
	for _, file := range files {
		name := filepath.Base(file)
		c, ok := checks[name]
		require.True(t, ok, "%s has no check", name)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			cfgs := []interp.SchedConfig{{}}
			if c.sim {
				cfgs = []interp.SchedConfig{{Sim: true, Seed: 1}, {Sim: true, Seed: 2}, {Sim: true, Seed: 3}}
			}
			for _, cfg := range cfgs {
				code, out, stderr := runtest.Outcome(t, file, src, cfg, c.args...)
				require.Equal(t, 0, code, stderr)
				c.check(t, out)
			}
		})
	}
}
