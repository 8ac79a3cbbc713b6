package gevent_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// pythonWithGevent returns a python3 that can import gevent and greenlet,
// or "" if the machine has none.
func pythonWithGevent() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import gevent, greenlet").Run() == nil {
			return py
		}
	}
	return ""
}

// TestTwins runs each testdata/twins/X.star and its Python twin X.py under
// CPython with the real greenlet and gevent: the outputs must be the same,
// byte for byte, and the same again in sim mode.
func TestTwins(t *testing.T) {
	py := pythonWithGevent()
	if py == "" {
		t.Skip("no python3 with gevent and greenlet here (apt-get install python3-gevent python3-greenlet)")
	}
	files, err := filepath.Glob("testdata/twins/*.star")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".star"), func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command(py, strings.TrimSuffix(file, ".star")+".py").CombinedOutput()
			require.NoError(t, err, "python: %s", out)
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			for _, cfg := range []interp.SchedConfig{{}, {Sim: true, Seed: 7}} {
				code, stdout, stderr := runtest.Outcome(t, file, src, cfg)
				require.Equal(t, 0, code, stderr)
				assert.Equal(t, string(out), stdout, "sim=%v", cfg.Sim)
			}
		})
	}
}

// TestSimDeterminism: in sim mode the same seed gives the same run, byte for
// byte, including the order that racing greenlets print in.
func TestSimDeterminism(t *testing.T) {
	src := []byte(`
gevent.monkey.patch_all()
def worker(n):
    for i in range(3):
        print(n, i, time.monotonic())
        time.sleep(0.001 * ((n * 7 + i * 3) % 5))
def thread_body(k):
    gevent.joinall([gevent.spawn(worker, k * 10 + j) for j in range(3)])
ts = [threading.Thread(target = thread_body, args = (k,)) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
`)
	outs := map[string]bool{}
	for seed := int64(1); seed <= 4; seed++ {
		cfg := interp.SchedConfig{Sim: true, Seed: seed}
		_, first, _ := runtest.Outcome(t, "det.star", src, cfg)
		_, again, _ := runtest.Outcome(t, "det.star", src, cfg)
		require.Equal(t, first, again, "seed %d replays", seed)
		assert.Equal(t, 27, strings.Count(first, "\n"))
		outs[first] = true
	}
	assert.Greater(t, len(outs), 1, "different seeds interleave the threads differently")
}
