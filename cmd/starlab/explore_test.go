package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExploreCommand(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{name: "race", args: []string{"explore", "--seeds", "50", "../../labs/examples/race.star"}, code: 0,
			contains: []string{"50 seeds, ", "replay: starlab run --sim --seed 1 ../../labs/examples/race.star", "| final num:"}},
		{name: "deadlock until fail", args: []string{"explore", "--until-fail", "--seeds", "200", "../../labs/examples/deadlock.star"}, code: 1,
			contains: []string{"exit 3 (deadlock)", "first failing seed: 1"}},
		{name: "group by last line", args: []string{"explore", "--seeds", "30", "--group-by", "last-line", "../../labs/explore/testdata/progress.star"}, code: 0,
			contains: []string{"30 seeds, 1 distinct outcome(s) by last line of output", "outcome 1: 30 run(s), exit 0", "  last line: total: 12\n"}},
		{name: "group by exit", args: []string{"explore", "--seeds", "30", "--group-by", "exit", "../../labs/explore/testdata/progress.star"}, code: 0,
			contains: []string{"30 seeds, 1 distinct outcome(s) by exit status", "output of seed 1:", "| total: 12"}},
		{name: "group by nonsense", args: []string{"explore", "--group-by", "stdout", "../../labs/examples/race.star"}, code: 2},
		{name: "no file", args: []string{"explore"}, code: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			for _, s := range tc.contains {
				assert.Contains(t, stdout, s)
			}
			assert.NotContains(t, stderr, "[#", "no progress bar off a terminal")
		})
	}
}

// explore --trace DIR writes one timeline per outcome; run --trace one.
func TestTraceFiles(t *testing.T) {
	dir := t.TempDir()
	_, stderr, _ := runCLI(t, "", "explore", "--seeds", "20", "--trace", dir, "../../labs/examples/race.star")
	require.Empty(t, stderr)
	files, err := filepath.Glob(filepath.Join(dir, "outcome-*-seed-*.json"))
	require.NoError(t, err)
	assert.Greater(t, len(files), 1)
	pages, err := filepath.Glob(filepath.Join(dir, "outcome-*-seed-*.html"))
	require.NoError(t, err)
	assert.Len(t, pages, len(files), "a page for each timeline")

	out := filepath.Join(dir, "run.json")
	_, stderr, code := runCLI(t, "", "run", "--sim", "--seed", "2", "--trace", out, "../../labs/examples/lock.star")
	require.Equal(t, 0, code, stderr)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc struct {
		TraceEvents []map[string]any  `json:"traceEvents"`
		OtherData   map[string]string `json:"otherData"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	assert.Equal(t, "2", doc.OtherData["seed"])
	assert.NotEmpty(t, doc.TraceEvents)
}
