package labs

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildStarlab builds the command for the bundles' tests.
func buildStarlab(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build starlab")
	}
	bin := filepath.Join(t.TempDir(), "starlab")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/starlab").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// Gradescope's documented results.json fields
// (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
var (
	gradescopeTop  = map[string]bool{"score": true, "execution_time": true, "output": true, "output_format": true, "test_output_format": true, "test_name_format": true, "visibility": true, "stdout_visibility": true, "extra_data": true, "tests": true, "leaderboard": true}
	gradescopeTest = map[string]bool{"score": true, "max_score": true, "status": true, "name": true, "name_format": true, "number": true, "output": true, "output_format": true, "tags": true, "visibility": true, "extra_data": true}
)

func validateGradescope(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var res map[string]any
	require.NoError(t, json.Unmarshal(data, &res), "%s", data)
	for k := range res {
		assert.True(t, gradescopeTop[k], "unknown top-level field %q", k)
	}
	_, hasScore := res["score"].(float64)
	tests, _ := res["tests"].([]any)
	assert.True(t, hasScore || len(tests) > 0, "score, or tests that sum to it")
	for _, x := range tests {
		tc, ok := x.(map[string]any)
		require.True(t, ok)
		for k := range tc {
			assert.True(t, gradescopeTest[k], "unknown test field %q", k)
		}
		assert.IsType(t, "", tc["name"])
		assert.IsType(t, float64(0), tc["score"])
		assert.IsType(t, float64(0), tc["max_score"])
		assert.Contains(t, []any{"passed", "failed"}, tc["status"])
		if o, ok := tc["output"]; ok {
			assert.IsType(t, "", o)
		}
	}
	return res
}

// The Gradescope bundle, installed and run as Gradescope would, in a
// temporary root in place of /autograder.
func TestGradescopeBundle(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	l, err := Find("02")
	require.NoError(t, err)
	bin := buildStarlab(t)
	root := t.TempDir()
	source := filepath.Join(root, "source")
	require.NoError(t, GradescopeBundle(l, source, bin))
	for _, f := range []string{"setup.sh", "run_autograder", "starlab", "autograder.zip"} {
		_, err := os.Stat(filepath.Join(source, f))
		require.NoError(t, err, f)
	}
	env := append(os.Environ(), "STARLAB_AUTOGRADER_ROOT="+root)
	setup := exec.Command("bash", filepath.Join(source, "setup.sh"))
	setup.Env = env
	out, err := setup.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "starlab")

	run := func(files map[string]string) map[string]any {
		sub := filepath.Join(root, "submission")
		os.RemoveAll(sub)
		os.RemoveAll(filepath.Join(root, "results"))
		for name, text := range files {
			require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(sub, name)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(sub, name), []byte(text), 0o644))
		}
		require.NoError(t, os.MkdirAll(sub, 0o755))
		cmd := exec.Command("bash", filepath.Join(source, "run_autograder"))
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		data, err := os.ReadFile(filepath.Join(root, "results", "results.json"))
		require.NoError(t, err)
		return validateGradescope(t, data)
	}
	sol, _ := l.File("solution.star")
	starter, _ := l.File("starter.star")
	n := float64(len(checkNames(l)))

	res := run(map[string]string{l.Meta.File: string(sol)})
	assert.Equal(t, n, res["score"])
	assert.Len(t, res["tests"], int(n))

	res = run(map[string]string{"nested/" + l.Meta.File: string(starter)})
	assert.Less(t, res["score"], n)

	res = run(map[string]string{"README.md": "nothing here"})
	assert.Equal(t, float64(0), res["score"])
	assert.Contains(t, res["output"], "No "+l.Meta.File)
}

func TestClassroomBundle(t *testing.T) {
	l, err := Find("03")
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, ClassroomBundle(l, dir, ""))
	wf, err := os.ReadFile(filepath.Join(dir, ".github", "workflows", "classroom.yml"))
	require.NoError(t, err)
	assert.Contains(t, string(wf), "command: starlab check 03-lost-update lost_update.star")
	assert.Contains(t, string(wf), fmt.Sprintf("max-score: %d", len(checkNames(l))))
	var aj struct {
		Tests []map[string]any `json:"tests"`
	}
	data, err := os.ReadFile(filepath.Join(dir, ".github", "classroom", "autograding.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &aj))
	require.Len(t, aj.Tests, 1)
	for _, k := range []string{"name", "setup", "run", "input", "output", "comparison", "timeout", "points"} {
		assert.Contains(t, aj.Tests[0], k)
	}
	_, err = os.Stat(filepath.Join(dir, "lost_update.star"))
	assert.NoError(t, err, "the starter")
}
