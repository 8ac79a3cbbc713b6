package labs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Students whose report names would collide each get their own report:
// names that sanitise alike, names that differ only in case (one file on
// macOS), the same folder name in two class folders, Chinese names (kept
// as they are); a student added later never takes a graded one's report.
func TestGradeClassReportNames(t *testing.T) {
	l, err := Find("01")
	require.NoError(t, err)
	dirA, dirB, out := t.TempDir(), t.TempDir(), t.TempDir()
	add := func(dir, student string) {
		folder := filepath.Join(dir, student)
		require.NoError(t, os.MkdirAll(folder, 0o755))
		// A syntax error: graded at once, and its report names the file.
		require.NoError(t, os.WriteFile(filepath.Join(folder, l.Meta.File), []byte("def broken(:\n"), 0o644))
	}
	for _, s := range []string{"Zhang San", "Zhang_San", "李雷", "韩梅梅", "alice", "Alice", "???"} {
		add(dirA, s)
	}
	add(dirB, "alice")

	grade := func() *ClassSummary {
		subs, err := FindSubmissions(l, []string{dirA, dirB})
		require.NoError(t, err)
		sum, _, err := GradeClass(l, subs, ClassOptions{Out: out, Jobs: 2})
		require.NoError(t, err)
		return sum
	}
	check := func(sum *ClassSummary) map[string]string {
		reports := map[string]string{}
		seen := map[string]string{}
		for _, g := range sum.Graded {
			key := strings.ToLower(g.Report)
			require.NotContains(t, seen, key, "%s and %s share a report", seen[key], g.Student)
			seen[key] = g.Student
			text, err := os.ReadFile(filepath.Join(out, g.Report))
			require.NoError(t, err)
			assert.Contains(t, string(text), g.File, "the report of %s is about its own file", g.Student)
			reports[g.Student] = string(text)
		}
		return reports
	}
	sum := grade()
	require.Len(t, sum.Graded, 8)
	before := check(sum)
	byStudent := map[string]string{}
	for _, g := range sum.Graded {
		byStudent[g.Student] = g.Report
	}
	assert.Equal(t, filepath.Join("reports", "李雷.txt"), byStudent["李雷"])
	assert.Equal(t, filepath.Join("reports", "student.txt"), byStudent["???"])

	// A late student whose name sanitises as two others do: a report of
	// its own; the others are skipped and keep theirs, untouched.
	add(dirA, "Zhang  San")
	sum = grade()
	require.Len(t, sum.Graded, 9)
	after := check(sum)
	for student, text := range before {
		assert.Equal(t, text, after[student], "%s's report is unchanged", student)
	}
	for _, g := range sum.Graded {
		if g.Student != "Zhang  San" {
			assert.Equal(t, byStudent[g.Student], g.Report, "%s keeps its report", g.Student)
		}
	}
}
