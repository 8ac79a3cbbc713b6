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
	var suite struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
			} `xml:"failure"`
		} `xml:"testcase"`
	}
	require.NoError(t, xml.Unmarshal(out.Bytes(), &suite))
	assert.Equal(t, 5, suite.Tests)
	assert.GreaterOrEqual(t, suite.Failures, 1)

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
