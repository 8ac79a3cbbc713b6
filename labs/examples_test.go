package labs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// exampleRun is the outcome of one sim-mode run of a course example.
type exampleRun struct {
	seed           int64
	code           int
	stdout, stderr string
	wall           time.Duration
}

// exampleChecks holds, for every script in labs/examples, the stdin it reads
// and the property each sim-mode run of it must have. A new example without
// an entry here fails TestCourseExamples.
var exampleChecks = map[string]struct {
	stdin string
	check func(t *testing.T, r exampleRun)
}{
	"deadlock.star": {check: func(t *testing.T, r exampleRun) {
		assert.Equal(t, 3, r.code, "a deadlock exits 3")
		assert.Contains(t, r.stderr, "starlab: deadlock")
		assert.Regexp(t, `first\s+waits for Lock.acquire \(held by second\)`, r.stderr)
		assert.Regexp(t, `second\s+waits for Lock.acquire \(held by first\)`, r.stderr)
	}},
	"exceptions.star": {stdin: "5\n3\njack\n1\n1\n2\n", check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		assert.Contains(t, r.stdout, "num1:num2:8\n")
		assert.Contains(t, r.stdout, "IndexError: range object index out of range")
		assert.Contains(t, r.stdout, "ValueError: invalid literal for int() with base 10: 'jack'")
		assert.Contains(t, r.stdout, "caught another exception: <class 'AssertionError'> num1 must be greater than num2", "type(e) prints as Python's class")
		assert.Contains(t, r.stdout, "bye")
		assert.Equal(t, 4, strings.Count(r.stdout, "finally: always runs"))
	}},
	"lock.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		assert.Contains(t, r.stdout, "final num: 0\n")
		assert.Equal(t, 100, strings.Count(r.stdout, "--get num:"))
	}},
	"lost_update.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		assert.Regexp(t, `final num: \d+\n`, r.stdout) // 0 or more: the point of the example
	}},
	"race.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		assert.Regexp(t, `final num: \d+ \(0 when no update was lost\)`, r.stdout)
	}},
	"threads.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		for _, want := range []string{"running on number:1", "running on number:2", "running on number:3", "Thread-1 (sayhi)\n", "Thread-2 (sayhi)\n"} {
			assert.Contains(t, r.stdout, want)
		}
	}},
	"producer_consumer.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		// Every bun made once and eaten once.
		for n := 1; n <= 20; n++ {
			assert.Equal(t, 1, strings.Count(r.stdout, fmt.Sprintf("生产了包子%d\n", n)), "bun %d made once", n)
			assert.Equal(t, 1, strings.Count(r.stdout, fmt.Sprintf("取到[包子%d]", n)), "bun %d eaten once", n)
		}
		assert.Contains(t, r.stdout, "total: 20\n")
	}},
	"traffic_light.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		// 60 s of the light: three cycles of 10 (then 9) green, 3 yellow and
		// 7 red seconds, one silent second at each wrap.
		assert.Equal(t, 28, strings.Count(r.stdout, "绿灯"), "green seconds")
		assert.Equal(t, 9, strings.Count(r.stdout, "黄灯"), "yellow seconds")
		assert.Equal(t, 21, strings.Count(r.stdout, "红灯"), "red seconds")
		for car := 0; car < 3; car++ {
			assert.Regexp(t, fmt.Sprintf(`car %d is (running|waiting for the red light)`, car), r.stdout)
		}
		assert.Less(t, r.wall, time.Second, "a minute of virtual time must pass in well under a second")
	}},
	"semaphore.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		for n := 0; n < 20; n++ {
			assert.Contains(t, r.stdout, fmt.Sprintf("run the thread: %d\n", n))
		}
		assert.Contains(t, r.stdout, "----all threads done---\n0\n")
		// Two at a time, 1 s each: 10 virtual seconds (one at a time would
		// be 20, no limit 1).
		assert.Contains(t, r.stdout, "took about 10 seconds")
	}},
	"rlock.star": {check: func(t *testing.T, r exampleRun) {
		requireExit0(t, r)
		assert.True(t, strings.HasSuffix(r.stdout, "----all threads done---\n10 10\n"), "stdout ends with:\n%s", tail(r.stdout, 200))
		assert.Equal(t, 10, strings.Count(r.stdout, "--------between run1 and run2-----"))
		// Each run3 prints the counters it saw while it held the lock: 1 1 ... 10 10.
		for n := 1; n <= 10; n++ {
			assert.Regexp(t, regexp.MustCompile(fmt.Sprintf(`(?m)^%d %d$`, n, n)), r.stdout)
		}
	}},
}

func requireExit0(t *testing.T, r exampleRun) {
	t.Helper()
	require.Equal(t, 0, r.code, "seed %d: exit status\nstdout:\n%s\nstderr:\n%s", r.seed, tail(r.stdout, 2000), r.stderr)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// TestCourseExamples runs every labs/examples/*.star in sim mode with a few
// seeds and checks the property that example is about.
func TestCourseExamples(t *testing.T) {
	files, err := filepath.Glob("examples/*.star")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".star"), func(t *testing.T) {
			t.Parallel()
			c, ok := exampleChecks[name]
			require.True(t, ok, "labs/examples/%s has no check in exampleChecks", name)
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			for seed := int64(1); seed <= 3; seed++ {
				start := time.Now()
				r := runtest.Run(t, file, src, runtest.Options{Sched: interp.SchedConfig{Sim: true, Seed: seed}, Stdin: c.stdin})
				c.check(t, exampleRun{seed: seed, code: r.Code, stdout: r.Stdout, stderr: r.Stderr, wall: time.Since(start)})
			}
		})
	}
}
