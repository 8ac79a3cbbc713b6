package labs

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newCLI(t *testing.T) (*CLI, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &CLI{Stdout: &out, Stderr: &errb, Lang: "en", StatePath: filepath.Join(t.TempDir(), "progress.json")}, &out, &errb
}

func inDir(t *testing.T) string {
	dir := t.TempDir()
	old, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(dir))
	t.Cleanup(func() { os.Chdir(old) })
	return dir
}

func TestCLIListShowStart(t *testing.T) {
	dir := inDir(t)
	c, out, errb := newCLI(t)
	require.Equal(t, 0, c.Run("labs", nil))
	assert.Contains(t, out.String(), "03-lost-update")
	assert.Contains(t, out.String(), "0/")
	assert.NotContains(t, out.String(), "\033[", "no colour unless asked")

	for _, name := range []string{"03-lost-update", "lost-update", "03", "3"} {
		out.Reset()
		require.Equal(t, 0, c.Run("lab", []string{name}), name)
		assert.Contains(t, out.String(), "# Lab 03")
	}
	out.Reset()
	require.Equal(t, 0, c.Run("lab", []string{"3", "--lang", "zh"}))
	assert.Contains(t, out.String(), "实验 03")
	assert.Equal(t, 2, c.Run("lab", []string{"nope"}))
	assert.Contains(t, errb.String(), "the labs are:")

	require.Equal(t, 0, c.Run("start", []string{"lost-update"}))
	starter, err := os.ReadFile(filepath.Join(dir, "lost_update.star"))
	require.NoError(t, err)
	assert.Contains(t, string(starter), "TODO")
	os.WriteFile("lost_update.star", []byte("# my work\n"), 0o644)
	assert.Equal(t, 1, c.Run("start", []string{"lost-update"}), "never overwrite without --force")
	mine, _ := os.ReadFile("lost_update.star")
	assert.Equal(t, "# my work\n", string(mine))
	assert.Equal(t, 0, c.Run("start", []string{"lost-update", "--force"}))
	require.Equal(t, 0, c.Run("start", []string{"lost-update", "sub/dir"}))
	assert.FileExists(t, filepath.Join(dir, "sub", "dir", "lost_update.star"))
}

func TestCLICheckHintSolution(t *testing.T) {
	inDir(t)
	c, out, errb := newCLI(t)
	assert.Equal(t, 1, c.Run("check", []string{"lost-update"}))
	assert.Contains(t, errb.String(), "starlab start lost-update")

	// The starter fails, with the seed that replays the lost update.
	require.Equal(t, 0, c.Run("start", []string{"lost-update"}))
	out.Reset()
	assert.Equal(t, 1, c.Run("check", []string{"lost-update"}))
	assert.Contains(t, out.String(), "✗ no lost update in 200 sim-mode runs")
	assert.Regexp(t, `replay it: starlab run --sim --seed \d+ lost_update.star`, out.String())
	assert.Regexp(t, `see it: +starlab run --trace seed-(\d+).html --sim --seed \d+ lost_update.star`, out.String())
	assert.Equal(t, 1, c.Run("solution", []string{"lost-update"}), "no solution before the lab is done")

	// Hints come one at a time.
	out.Reset()
	require.Equal(t, 0, c.Run("hint", []string{"lost-update"}))
	assert.Contains(t, out.String(), "Hint 1 of 3")
	assert.NotContains(t, out.String(), "Hint 2 of 3")
	out.Reset()
	require.Equal(t, 0, c.Run("hint", []string{"lost-update"}))
	assert.Contains(t, out.String(), "Hint 2 of 3")

	// The reference solution passes, the lab is marked done, the solution opens.
	l, err := Find("lost-update")
	require.NoError(t, err)
	sol, _ := l.File("solution.star")
	require.NoError(t, os.WriteFile("mine.star", sol, 0o644))
	out.Reset()
	require.Equal(t, 0, c.Run("check", []string{"lost-update", "mine.star"}), out.String())
	assert.Contains(t, out.String(), "5 of 5 checks passed")
	out.Reset()
	require.Equal(t, 0, c.Run("labs", nil))
	assert.Contains(t, out.String(), "✓ 03-lost-update")
	out.Reset()
	require.Equal(t, 0, c.Run("solution", []string{"3"}))
	assert.Equal(t, string(sol), out.String())
}

func TestCLIFormats(t *testing.T) {
	inDir(t)
	c, out, _ := newCLI(t)
	require.NoError(t, os.WriteFile("bad.star", []byte("x = (\n"), 0o644))
	require.NoError(t, os.WriteFile("starter.star", mustFile(t, "lost-update", "starter.star"), 0o644))

	// A syntax error is status "error" with the message, not a crash.
	require.Equal(t, 1, c.Run("check", []string{"3", "bad.star", "--format", "json"}))
	var res struct {
		Status  string `json:"status"`
		Message string `json:"message"`
		Tests   []struct {
			Name, Status, Message string
		} `json:"tests"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	assert.Equal(t, "error", res.Status)
	assert.Contains(t, res.Message, "SyntaxError")

	out.Reset()
	require.Equal(t, 1, c.Run("check", []string{"3", "starter.star", "--format", "json"}))
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	assert.Equal(t, "fail", res.Status)
	require.Len(t, res.Tests, 5)
	assert.Equal(t, "fail", res.Tests[1].Status)
	assert.Contains(t, res.Tests[1].Message, "replay it: starlab run --sim --seed")

	out.Reset()
	require.Equal(t, 1, c.Run("check", []string{"3", "starter.star", "--format", "gradescope"}))
	var gs struct {
		Score float64 `json:"score"`
		Tests []struct {
			Name     string  `json:"name"`
			Score    float64 `json:"score"`
			MaxScore float64 `json:"max_score"`
			Status   string  `json:"status"`
		} `json:"tests"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &gs))
	require.Len(t, gs.Tests, 5)
	assert.Equal(t, 1.0, gs.Tests[0].MaxScore)
	assert.Less(t, gs.Score, 5.0)

	out.Reset()
	require.Equal(t, 1, c.Run("check", []string{"3", "starter.star", "--format", "junit"}))
	var suites struct {
		XMLName xml.Name `xml:"testsuites"`
		Tests   int      `xml:"tests,attr"`
		Time    float64  `xml:"time,attr"`
		Suites  []struct {
			Tests    int     `xml:"tests,attr"`
			Failures int     `xml:"failures,attr"`
			Time     float64 `xml:"time,attr"`
			Cases    []struct {
				Name    string  `xml:"name,attr"`
				Time    float64 `xml:"time,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(out.Bytes(), &suites), out.String())
	require.Len(t, suites.Suites, 1)
	suite := suites.Suites[0]
	assert.Equal(t, 5, suites.Tests)
	assert.Equal(t, 5, suite.Tests)
	assert.GreaterOrEqual(t, suite.Failures, 1)
	assert.Regexp(t, `<testcase name="[^"]+" classname="03-lost-update" time="\d+\.\d{3}"`, out.String())
	// Measured, not made up: the checks' seconds add up to at most the suite's.
	sum := 0.0
	for _, c := range suite.Cases {
		sum += c.Time
	}
	assert.Greater(t, sum, 0.0, "the sweep of 200 runs takes some time")
	assert.LessOrEqual(t, sum, suite.Time+0.01)
	assert.Equal(t, suite.Time, suites.Time)

	assert.Equal(t, 2, c.Run("check", []string{"3", "starter.star", "--format", "yaml"}))
}

func mustFile(t *testing.T, lab, name string) []byte {
	l, err := Find(lab)
	require.NoError(t, err)
	b, err := l.File(name)
	require.NoError(t, err)
	return b
}

func TestCLIWatch(t *testing.T) {
	inDir(t)
	out := &runtest.SyncBuffer{}
	stop := make(chan struct{})
	c := &CLI{Stdout: out, Stderr: out, Lang: "en", StatePath: filepath.Join(t.TempDir(), "p.json"), Stop: stop, PollInterval: 20 * time.Millisecond}
	done := make(chan int)
	go func() { done <- c.Run("watch", []string{"lost-update"}) }()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "waiting for lost_update.star") }, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, os.WriteFile("lost_update.star", []byte("x = (\n"), 0o644))
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "does not compile") }, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, os.WriteFile("lost_update.star", mustFile(t, "lost-update", "solution.star"), 0o644))
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "5 of 5 checks passed") }, 30*time.Second, 20*time.Millisecond)
	close(stop)
	assert.Equal(t, 0, <-done)
}

// check --lang zh: Chinese headings and budget messages.
func TestCLICheckZh(t *testing.T) {
	inDir(t)
	c, out, _ := newCLI(t)
	require.NoError(t, os.WriteFile("spin.star", mustFile(t, "rlock", "mutants/plain_lock_busy_wait.star"), 0o644))
	require.Equal(t, 1, c.Run("check", []string{"rlock", "spin.star", "--lang", "zh"}))
	assert.Contains(t, out.String(), "正在按实验 04-rlock 检查 spin.star")
	assert.Contains(t, out.String(), "步的步数预算")
	assert.Contains(t, out.String(), "重现它: starlab run --sim --seed 1 spin.star")
	assert.Contains(t, out.String(), "项检查通过")
}

// reset puts the starter back, keeps the learner's version as .bak and
// makes the lab current again.
func TestCLIReset(t *testing.T) {
	inDir(t)
	c, out, _ := newCLI(t)
	starter := mustFile(t, "lost-update", "starter.star")
	require.Equal(t, 0, c.Run("reset", []string{"3"}), "no file yet: reset writes the starter")
	got, err := os.ReadFile("lost_update.star")
	require.NoError(t, err)
	assert.Equal(t, starter, got)
	assert.NoFileExists(t, "lost_update.star.bak")

	out.Reset()
	require.Equal(t, 0, c.Run("reset", []string{"3"}))
	assert.Contains(t, out.String(), "nothing to reset")

	require.NoError(t, os.WriteFile("lost_update.star", mustFile(t, "lost-update", "solution.star"), 0o644))
	require.NoError(t, os.WriteFile("mine.star", []byte("# my work\n"), 0o644))
	// Lab 03 passes: it is done, and the current lab stays the first not done.
	p, _ := LoadProgress(c.StatePath)
	assert.False(t, p.IsDone("03-lost-update"))
	require.Equal(t, 0, c.Run("check", []string{"3"}))
	p, _ = LoadProgress(c.StatePath)
	assert.True(t, p.IsDone("03-lost-update"))

	out.Reset()
	require.Equal(t, 0, c.Run("reset", []string{"lost-update"}))
	assert.Contains(t, out.String(), "your version is in lost_update.star.bak")
	got, _ = os.ReadFile("lost_update.star")
	assert.Equal(t, starter, got)
	bak, _ := os.ReadFile("lost_update.star.bak")
	assert.Equal(t, mustFile(t, "lost-update", "solution.star"), bak)
	p, _ = LoadProgress(c.StatePath)
	assert.False(t, p.IsDone("03-lost-update"), "a reset lab is pending again")

	require.Equal(t, 0, c.Run("reset", []string{"3", "mine.star"}))
	bak, _ = os.ReadFile("mine.star.bak")
	assert.Equal(t, "# my work\n", string(bak))
}

// check without a name grades the first lab not passed yet.
func TestCLICheckCurrent(t *testing.T) {
	inDir(t)
	c, out, errb := newCLI(t)
	p, err := LoadProgress(c.StatePath)
	require.NoError(t, err)
	all, err := All()
	require.NoError(t, err)
	for _, l := range all {
		if l.Num < 3 {
			p.MarkDone(l.ID)
		}
	}
	require.NoError(t, p.Save())
	assert.Equal(t, 1, c.Run("check", nil))
	assert.Contains(t, errb.String(), "starlab start lost-update", "the current lab is 03")
	require.NoError(t, os.WriteFile("lost_update.star", mustFile(t, "lost-update", "solution.star"), 0o644))
	out.Reset()
	require.Equal(t, 0, c.Run("check", nil), out.String())
	assert.Contains(t, out.String(), "against lab 03-lost-update")

	for _, l := range all {
		p.MarkDone(l.ID)
	}
	require.NoError(t, p.Save())
	out.Reset()
	assert.Equal(t, 0, c.Run("check", nil))
	assert.Contains(t, out.String(), "Every lab is done")
}

// watch moves on to the next lab not passed yet when the current one passes.
func TestCLIWatchMovesOn(t *testing.T) {
	inDir(t)
	out := &runtest.SyncBuffer{}
	stop := make(chan struct{})
	c := &CLI{Stdout: out, Stderr: out, Lang: "en", StatePath: filepath.Join(t.TempDir(), "p.json"), Stop: stop, PollInterval: 20 * time.Millisecond}
	p, _ := LoadProgress(c.StatePath)
	p.MarkDone("03-lost-update")
	require.NoError(t, p.Save())
	done := make(chan int)
	go func() { done <- c.Run("watch", []string{"exceptions"}) }()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "waiting for") }, 5*time.Second, 10*time.Millisecond)
	l, err := Find("exceptions")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(l.Meta.File, mustFile(t, "exceptions", "solution.star"), 0o644))
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "Next: lab 02-thread-basics") }, 30*time.Second, 20*time.Millisecond, out.String())
	l2, _ := Find("2")
	require.NoError(t, os.WriteFile(l2.Meta.File, mustFile(t, "2", "solution.star"), 0o644))
	// 03 is done already: the next one is 04.
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "Next: lab 04-rlock") }, 30*time.Second, 20*time.Millisecond, out.String())
	assert.Contains(t, out.String(), "Watching "+l2.Meta.File+" (lab 02-thread-basics)")
	assert.Contains(t, out.String(), "Watching rlock.star (lab 04-rlock)")
	close(stop)
	assert.Equal(t, 0, <-done)
}

// check --runner exercism writes results.json and exits 0 whatever the verdict.
func TestCLIExercismRunner(t *testing.T) {
	dir := inDir(t)
	c, _, errb := newCLI(t)
	in := filepath.Join(dir, "in", "sub")
	require.NoError(t, os.MkdirAll(in, 0o755))
	read := func(outDir string) map[string]any {
		data, err := os.ReadFile(filepath.Join(outDir, "results.json"))
		require.NoError(t, err)
		var res map[string]any
		require.NoError(t, json.Unmarshal(data, &res), string(data))
		return res
	}

	require.NoError(t, os.WriteFile(filepath.Join(in, "lost_update.star"), mustFile(t, "lost-update", "starter.star"), 0o644))
	require.Equal(t, 0, c.Run("check", []string{"--runner", "exercism", "lost-update", "in/", "out1/"}), errb.String())
	res := read("out1")
	assert.Equal(t, 2.0, res["version"])
	assert.Equal(t, "fail", res["status"])
	tests := res["tests"].([]any)
	require.Len(t, tests, 5)
	failed := tests[1].(map[string]any)
	assert.Equal(t, "fail", failed["status"])
	assert.Regexp(t, `^starlab run --sim --seed \d+ lost_update.star$`, failed["test_code"])
	for _, tc := range tests {
		output, _ := tc.(map[string]any)["output"].(string)
		assert.LessOrEqual(t, len([]rune(output)), 500)
	}

	require.NoError(t, os.WriteFile(filepath.Join(in, "lost_update.star"), []byte("x = (\n"), 0o644))
	require.Equal(t, 0, c.Run("check", []string{"--runner", "exercism", "3", "in", "out2"}))
	res = read("out2")
	assert.Equal(t, "error", res["status"])
	assert.Contains(t, res["message"], "SyntaxError")

	require.NoError(t, os.WriteFile(filepath.Join(in, "lost_update.star"), mustFile(t, "lost-update", "solution.star"), 0o644))
	require.Equal(t, 0, c.Run("check", []string{"--runner", "exercism", "3", "in", "out3"}))
	assert.Equal(t, "pass", read("out3")["status"])

	require.NoError(t, os.MkdirAll("empty", 0o755))
	require.Equal(t, 0, c.Run("check", []string{"--runner", "exercism", "3", "empty", "out4"}))
	assert.Equal(t, "error", read("out4")["status"])

	// The runner's own failures: not a verdict, a non-zero exit.
	assert.Equal(t, 2, c.Run("check", []string{"--runner", "exercism", "nope", "in", "out5"}))
	assert.Equal(t, 2, c.Run("check", []string{"--runner", "exercism", "3", "in"}))
	require.NoError(t, os.WriteFile("afile", nil, 0o644))
	assert.Equal(t, 1, c.Run("check", []string{"--runner", "exercism", "3", "in", "afile/out"}))
}

func TestTruncateOutput(t *testing.T) {
	assert.Equal(t, "short", truncateOutput("short", 500))
	long := strings.Repeat("字", 600) + "END"
	got := truncateOutput(long, 500)
	assert.Equal(t, 500, len([]rune(got)))
	assert.True(t, strings.HasSuffix(got, "END"))
}

// A deadlock report is printed once by check, however many checks failed on
// the deadlocked run and whether or not a check's message quotes it.
func TestCheckPrintsDeadlockOnce(t *testing.T) {
	inDir(t)
	for _, tc := range []struct{ lab, file string }{
		{"semaphore", "mutants/release_forgotten.star"}, // 4 checks fail on one deadlocked run
		{"rlock", "mutants/plain_lock.star"},
		{"deadlock", "starter.star"},                // the message quotes the report
		{"deadlock", "mutants/waiter_of_five.star"}, // two checks quote the same report
	} {
		c, out, _ := newCLI(t)
		require.NoError(t, os.WriteFile("x.star", mustFile(t, tc.lab, tc.file), 0o644))
		require.Equal(t, 1, c.Run("check", []string{tc.lab, "x.star"}))
		assert.Equal(t, 1, strings.Count(out.String(), "starlab: deadlock:"), "%s %s:\n%s", tc.lab, tc.file, out.String())
		c, out, _ = newCLI(t)
		require.Equal(t, 1, c.Run("check", []string{tc.lab, "x.star", "--format", "json"}))
		assert.Contains(t, out.String(), "starlab: deadlock:", "each test of a JSON report stands alone")
	}
}

// A grader's zh= names and messages are what `check --lang zh` shows; the
// English stays for the other formats and languages.
func TestTextReportChineseFromGrader(t *testing.T) {
	rep := &Report{Lab: "03-lost-update", File: "x.star", Status: StatusFail, Checks: []CheckResult{
		{Name: "runs", NameZh: "能运行", Status: StatusPass},
		{Name: "no lost update", NameZh: "没有丢失的更新", Status: StatusFail,
			Message: "an update was lost (step budget of 10 steps used up (an endless loop?))", MessageZh: "丢失了一次更新（step budget of 10 steps used up (an endless loop?)）"},
		{Name: "joins", Status: StatusFail, Message: "no join"},
	}}
	var b bytes.Buffer
	rep.Lang = "zh"
	writeText(&b, rep, false)
	assert.Contains(t, b.String(), "✓ 能运行\n✗ 没有丢失的更新\n    丢失了一次更新（用完了 10 步的步数预算")
	assert.Contains(t, b.String(), "✗ joins\n    no join\n", "without zh= the English is shown")
	b.Reset()
	rep.Lang = "en"
	writeText(&b, rep, false)
	assert.Contains(t, b.String(), "✓ runs\n✗ no lost update\n    an update was lost")
}
