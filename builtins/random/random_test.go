package random_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// randomScript draws from random in several threads without seeding it, and
// sleeps for random times, so that both the numbers and the interleaving of
// the output depend on the run's seed.
const randomScript = `
def worker(n):
    for i in range(5):
        time.sleep(random.random() / 100)
        print(n, i, random.randint(1, 1000000), random.choice("abcdefgh"))
ts = [threading.Thread(target = worker, args = (n,)) for n in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
deck = list(range(20))
random.shuffle(deck)
print(deck, random.sample(range(1000), 5), random.uniform(0, 1))
`

// TestRandomSimReplay: in sim mode the generator is seeded from the run's
// seed, so the same seed replays the run byte for byte and another seed
// gives another run.
func TestRandomSimReplay(t *testing.T) {
	t.Parallel()
	run := func(seed int64) string {
		r := runtest.Run(t, "random_replay.star", []byte(randomScript), runtest.Options{Sched: interp.SchedConfig{Sim: true, Seed: seed}})
		require.Equal(t, 0, r.Code, "seed %d: stderr:\n%s", seed, r.Stderr)
		require.Len(t, splitLines(r.Stdout), 21, "seed %d: stdout:\n%s", seed, r.Stdout)
		return r.Stdout
	}
	first := run(3)
	assert.Equal(t, first, run(3), "the same seed must replay the same output")
	other := run(4)
	assert.NotEqual(t, first, other, "another seed must give another run")
	// Not just another interleaving: other numbers, too.
	assert.NotEqual(t, lastLine(first), lastLine(other), "the numbers drawn must depend on the seed")
}

// TestRandomRealModeSeedsFromOS: without random.seed, two real-time runs draw
// different numbers (CPython seeds from os.urandom), and random.seed(n) makes
// a real-time run repeatable.
func TestRandomRealModeSeedsFromOS(t *testing.T) {
	t.Parallel()
	run := func(src string) string {
		r := runtest.Run(t, "random_real.star", []byte(src), runtest.Options{})
		require.Equal(t, 0, r.Code, "stderr:\n%s", r.Stderr)
		return r.Stdout
	}
	unseeded := "print([random.getrandbits(32) for i in range(4)])"
	assert.NotEqual(t, run(unseeded), run(unseeded), "two unseeded runs drew the same 128 bits")
	seeded := "random.seed(11)\n" + unseeded
	assert.Equal(t, run(seeded), run(seeded))
	assert.Equal(t, "[1942955373, 3718334796, 2404204071, 3680198571]\n", run(seeded), "python3: random.seed(11); [random.getrandbits(32) for i in range(4)]")
}

func splitLines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

func lastLine(s string) string {
	lines := splitLines(s)
	return lines[len(lines)-1]
}
