package labs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

// kind of a generated submission, and what its summary line must say.
type classMember struct {
	student string
	kind    string // solution, starter, mutant:NAME, missing, syntax
	expect  string // for a mutant: the check it must fail
}

// makeClass writes n submissions of lab l into dir, one folder per student,
// cycling through the solution, the starter, each mutant, a folder without
// the file and a syntax error; each file differs (a comment with the name),
// as the students' would.
func makeClass(t testing.TB, l *Lab, dir string, n int) []classMember {
	sol, err := l.File("solution.star")
	require.NoError(t, err)
	starter, err := l.File("starter.star")
	require.NoError(t, err)
	mutants, err := l.Mutants()
	require.NoError(t, err)
	var names []string
	for name := range mutants {
		names = append(names, name)
	}
	sort.Strings(names)
	type source struct {
		kind, expect string
		src          []byte
	}
	kinds := []source{{"solution", "", sol}, {"starter", "", starter}}
	for _, name := range names {
		kinds = append(kinds, source{"mutant:" + name, expectedFailure(mutants[name]), mutants[name]})
	}
	kinds = append(kinds, source{"missing", "", nil}, source{"syntax", "", []byte("def broken(:\n")})
	var class []classMember
	for i := 0; i < n; i++ {
		k := kinds[i%len(kinds)]
		student := fmt.Sprintf("student%03d", i)
		folder := filepath.Join(dir, student)
		require.NoError(t, os.MkdirAll(folder, 0o755))
		if k.src != nil {
			text := append([]byte("# "+student+"\n"), k.src...)
			require.NoError(t, os.WriteFile(filepath.Join(folder, l.Meta.File), text, 0o644))
		} else {
			require.NoError(t, os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("I ran out of time"), 0o644))
		}
		class = append(class, classMember{student, k.kind, k.expect})
	}
	return class
}

// checkClassSummary checks each line of the summary against what the
// student handed in.
func checkClassSummary(t *testing.T, l *Lab, class []classMember, sum *ClassSummary) {
	t.Helper()
	require.Len(t, sum.Graded, len(class))
	checks := checkNames(l)
	require.NotEmpty(t, checks)
	assert.Equal(t, checks, sum.Checks)
	by := map[string]Graded{}
	for _, g := range sum.Graded {
		by[g.Student] = g
	}
	for _, m := range class {
		g, ok := by[m.student]
		require.True(t, ok, m.student)
		switch {
		case m.kind == "solution":
			assert.Equal(t, StatusPass, g.Status, "%s (%s): %v %s", m.student, m.kind, g.Checks, g.Message)
			assert.Equal(t, len(checks), g.Score)
		case m.kind == "starter":
			assert.Equal(t, StatusFail, g.Status, "%s (%s)", m.student, m.kind)
			assert.Less(t, g.Score, len(checks))
		case strings.HasPrefix(m.kind, "mutant:"):
			assert.Equal(t, StatusFail, g.Checks[m.expect], "%s (%s) must fail %q: %v", m.student, m.kind, m.expect, g.Checks)
		case m.kind == "missing":
			assert.Equal(t, StatusError, g.Status)
			assert.Contains(t, g.Message, "no submission")
		case m.kind == "syntax":
			assert.Equal(t, StatusError, g.Status)
			assert.Contains(t, g.Message, "does not compile")
		}
		if m.kind != "missing" {
			assert.Len(t, g.SHA256, 64)
		}
		_, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(g.File))), "")) // the class folder exists
		assert.NoError(t, err)
	}
}

// A small class of lab 02 (fast, so it runs under -race too): graded,
// summarised, then graded again: unchanged files are skipped, a changed one
// is graded again.
func TestGradeClassSmall(t *testing.T) {
	l, err := Find("02")
	require.NoError(t, err)
	dir, out := t.TempDir(), t.TempDir()
	class := makeClass(t, l, dir, 16)
	subs, err := FindSubmissions(l, []string{dir})
	require.NoError(t, err)
	require.Len(t, subs, 16)
	var progress []int
	sum, skipped, err := GradeClass(l, subs, ClassOptions{Out: out, Jobs: 2, Progress: func(done, total int, _ *Graded) {
		progress = append(progress, done)
	}})
	require.NoError(t, err)
	assert.Zero(t, skipped)
	assert.Len(t, progress, 16)
	checkClassSummary(t, l, class, sum)

	// The files on disk: summary.json reads back the same; the CSV has a
	// header and one line per student; each student has both reports.
	back, err := LoadClassSummary(out)
	require.NoError(t, err)
	assert.Equal(t, sum.Graded, back.Graded)
	csvText, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(csvText)), "\n")
	assert.Len(t, lines, 17)
	assert.True(t, strings.HasPrefix(lines[0], "student,lab,score,max_score,status,seconds,sha256,file,"), lines[0])
	for _, g := range sum.Graded {
		for _, ext := range []string{".txt", ".json"} {
			_, err := os.Stat(filepath.Join(out, strings.TrimSuffix(g.Report, ".txt")+ext))
			assert.NoError(t, err, g.Student)
		}
	}

	// The instructor's table.
	var table bytes.Buffer
	WriteClassTable(&table, sum)
	assert.Contains(t, table.String(), "16 submissions")
	assert.Contains(t, table.String(), "Most common failing check")
	for _, c := range sum.Checks {
		assert.Contains(t, table.String(), c)
	}

	// Resumable: nothing changed, nothing graded; one file changed, one graded.
	changed := filepath.Join(dir, "student000", l.Meta.File)
	starter, _ := l.File("starter.star")
	require.NoError(t, os.WriteFile(changed, starter, 0o644))
	var graded []string
	sum2, skipped, err := GradeClass(l, subs, ClassOptions{Out: out, Jobs: 2, Progress: func(_, _ int, g *Graded) {
		if g != nil {
			graded = append(graded, g.Student)
		}
	}})
	require.NoError(t, err)
	// student000 changed; a folder without the file is looked at again
	// each time (cheap), in case the file arrived.
	sort.Strings(graded)
	missing := []string{"student000"}
	for _, m := range class {
		if m.kind == "missing" {
			missing = append(missing, m.student)
		}
	}
	sort.Strings(missing)
	assert.Equal(t, missing, graded)
	assert.Equal(t, 16-len(missing), skipped)
	for _, g := range sum2.Graded {
		if g.Student == "student000" {
			assert.Equal(t, StatusFail, g.Status, "the starter now")
		}
	}
}

func TestFindSubmissionsLayouts(t *testing.T) {
	l, err := Find("03")
	require.NoError(t, err)
	write := func(p, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}

	// Gradescope's export: submission_NNN folders and the metadata.
	gs := t.TempDir()
	write(filepath.Join(gs, "submission_metadata.yml"), `submission_101:
  :submitters:
  - :name: Ada Lovelace
    :sid: '1'
    :email: ada@example.edu
  :created_at: 2026-11-01 10:00:00.000000000 -07:00
submission_102:
  :submitters:
  - :name: Alan Turing
    :email: alan@example.edu
  - :name: Grace Hopper
    :email: grace@example.edu
`)
	write(filepath.Join(gs, "submission_101", "lost_update.star"), "print(1)\n")
	write(filepath.Join(gs, "submission_102", "src", "mine.star"), "print(2)\n")
	subs, err := FindSubmissions(l, []string{gs})
	require.NoError(t, err)
	require.Len(t, subs, 2)
	assert.Equal(t, Submission{"Ada Lovelace", filepath.Join(gs, "submission_101", "lost_update.star"), LayoutGradescope}, subs[0])
	assert.Equal(t, Submission{"Alan Turing & Grace Hopper", filepath.Join(gs, "submission_102", "src", "mine.star"), LayoutGradescope}, subs[1])

	// GitHub Classroom's export: ASSIGNMENT-USER git repositories.
	gc := t.TempDir()
	for _, u := range []string{"octocat", "hubot", "mona-lisa"} {
		write(filepath.Join(gc, "lab-03-"+u, ".git", "HEAD"), "ref: refs/heads/main\n")
		write(filepath.Join(gc, "lab-03-"+u, "lost_update.star"), "print(3)\n")
		write(filepath.Join(gc, "lab-03-"+u, ".github", "x.star"), "ignored\n")
	}
	subs, err = FindSubmissions(l, []string{gc})
	require.NoError(t, err)
	var students []string
	for _, s := range subs {
		students = append(students, s.Student)
		assert.Equal(t, LayoutClassroom, s.Layout)
		assert.Equal(t, "lost_update.star", filepath.Base(s.Path))
	}
	assert.Equal(t, []string{"hubot", "mona-lisa", "octocat"}, students)

	// Plain folders, and a folder that is one student's.
	pf := t.TempDir()
	write(filepath.Join(pf, "zoe", "lost_update.star"), "print(4)\n")
	write(filepath.Join(pf, "yan", "a.star"), "print(5)\n")
	write(filepath.Join(pf, "yan", "b.star"), "print(6)\n")
	subs, err = FindSubmissions(l, []string{pf, filepath.Join(pf, "zoe")})
	require.NoError(t, err)
	require.Len(t, subs, 3)
	assert.Equal(t, "", subs[0].Path, "yan has two files and neither is the lab's: none is graded")
	assert.Equal(t, LayoutFolders, subs[0].Layout)
}

// A sweep keeps a bounded copy of each run's globals: a 1M-element list is
// not kept 50 times over, the small data is, and a function is not kept.
func TestSweepKeepsBoundedGlobals(t *testing.T) {
	grader := `
def check():
    runs = grade.sweep(seeds = 20)
    for run in runs:
        grade.expect(run.globals["state"] == {"num": 0, "names": ["a", "b"]}, "small data is kept: %r" % run.globals["state"])
        big = run.globals["big"]
        grade.expect(type(big) == type("") and "list of 300000 items: too large" in big, "big: %r" % big)
        grade.expect("not kept" in run.globals["work"], "a function: %r" % run.globals["work"])
    one = grade.run(sim = True)
    grade.expect(len(one.globals["big"]) == 300000, "a single run keeps everything")
grade.check("bounded", check)
`
	src := "state = {'num': 0, 'names': ['a', 'b']}\nbig = list(range(300000))\ndef work():\n    pass\n"
	rep := gradeFake(t, grader, src)
	assert.Equal(t, StatusPass, rep.Status, describe(rep))
}

func TestBoundedGlobalsBudget(t *testing.T) {
	big := make([]starlark.Value, 100)
	for i := range big {
		big[i] = starlark.MakeInt(i)
	}
	g := starlark.StringDict{
		"a": starlark.NewList(big),
		"b": starlark.String(strings.Repeat("x", 10000)),
		"c": starlark.Tuple{starlark.None, starlark.True, starlark.Float(1.5)},
	}
	d := boundedGlobals(g, 150)
	a, _, _ := d.Get(starlark.String("a"))
	assert.Equal(t, 100, a.(*starlark.List).Len())
	b, _, _ := d.Get(starlark.String("b"))
	assert.Equal(t, starlark.String("<string of 10000 bytes: too large to keep from a sweep>"), b)
	c, _, _ := d.Get(starlark.String("c"))
	assert.Equal(t, g["c"], c)
}
