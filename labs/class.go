package labs

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// A class is graded with `starlab grade LAB DIR...`: every submission found
// in the folders, in parallel, into an output folder with one summary
// (summary.csv, summary.json) and each student's report (reports/).

// Submission is one student's file found in a class folder.
type Submission struct {
	Student string // the student's name: a folder's name, or Gradescope's metadata
	Path    string // the file to grade; "" when the folder has none
	Layout  string // "folders", "gradescope" or "classroom"
}

// Layouts a class folder may have (see labs/README.md):
//
//   - folders: DIR/STUDENT/... with the lab's file somewhere inside (or a
//     single .star file); a DIR that holds the lab's file itself is one student.
//   - gradescope: Gradescope's "Download submissions" export: DIR/submission_NNN/
//     folders and DIR/submission_metadata.yml naming the submitters.
//   - classroom: a GitHub Classroom export (`gh classroom clone student-repos`):
//     DIR/ASSIGNMENT-USERNAME/ git repositories sharing the assignment's prefix.
const (
	LayoutFolders    = "folders"
	LayoutGradescope = "gradescope"
	LayoutClassroom  = "classroom"
)

// FindSubmissions lists the submissions of lab l in the folders dirs, by
// student name (a name seen twice gets the folder's path appended).
func FindSubmissions(l *Lab, dirs []string) ([]Submission, error) {
	var subs []Submission
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() { // a file: one submission named after it
			subs = append(subs, Submission{Student: strings.TrimSuffix(filepath.Base(dir), filepath.Ext(dir)), Path: dir, Layout: LayoutFolders})
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, l.Meta.File)); err == nil {
			subs = append(subs, Submission{Student: filepath.Base(filepath.Clean(dir)), Path: filepath.Join(dir, l.Meta.File), Layout: LayoutFolders})
			continue
		}
		found, err := scanClass(l, dir)
		if err != nil {
			return nil, err
		}
		subs = append(subs, found...)
	}
	seen := map[string]int{}
	for _, s := range subs {
		seen[s.Student]++
	}
	for i, s := range subs {
		if seen[s.Student] > 1 {
			subs[i].Student = s.Student + " (" + filepath.Dir(s.Path) + ")"
		}
	}
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].Student < subs[j].Student })
	return subs, nil
}

func scanClass(l *Lab, dir string) ([]Submission, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var folders []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			folders = append(folders, e.Name())
		}
	}
	layout := LayoutFolders
	names := map[string]string{}
	if meta, err := os.ReadFile(filepath.Join(dir, "submission_metadata.yml")); err == nil {
		layout = LayoutGradescope
		names = gradescopeNames(string(meta))
	} else if prefix := classroomPrefix(dir, folders); prefix != "" {
		layout = LayoutClassroom
		for _, f := range folders {
			names[f] = strings.TrimPrefix(f, prefix)
		}
	}
	var subs []Submission
	for _, f := range folders {
		student := f
		if n := names[f]; n != "" {
			student = n
		}
		subs = append(subs, Submission{Student: student, Path: findLabFile(l, filepath.Join(dir, f)), Layout: layout})
	}
	return subs, nil
}

// classroomPrefix is the assignment prefix ("lab-03-") shared by every
// folder of a GitHub Classroom export, each a git repository; "" otherwise.
func classroomPrefix(dir string, folders []string) string {
	if len(folders) < 2 {
		return ""
	}
	for _, f := range folders {
		if _, err := os.Stat(filepath.Join(dir, f, ".git")); err != nil {
			return ""
		}
	}
	prefix := folders[0]
	for _, f := range folders[1:] {
		for !strings.HasPrefix(f, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if i := strings.LastIndex(prefix, "-"); i > 0 {
		return prefix[:i+1]
	}
	return ""
}

// gradescopeNames reads the submitters' names out of Gradescope's
// submission_metadata.yml, by submission folder, without a YAML parser: the
// file is a map of submission_NNN: to :submitters: lists of :name:/:email:.
func gradescopeNames(meta string) map[string]string {
	names := map[string]string{}
	key := regexp.MustCompile(`^(submission_\d+):\s*$`)
	field := regexp.MustCompile(`^\s*-?\s*:(name|email|sid):\s*(.*)$`)
	cur := ""
	sc := bufio.NewScanner(strings.NewReader(meta))
	for sc.Scan() {
		line := sc.Text()
		if m := key.FindStringSubmatch(line); m != nil {
			cur = m[1]
			continue
		}
		if m := field.FindStringSubmatch(line); m != nil && cur != "" && m[1] == "name" {
			name := strings.Trim(strings.TrimSpace(m[2]), `"'`)
			if prev := names[cur]; prev != "" {
				name = prev + " & " + name // a group submission
			}
			names[cur] = name
		}
	}
	return names
}

// findLabFile finds the lab's file in a student's folder (at any depth, the
// shallowest first); failing that, the only .star file there.
func findLabFile(l *Lab, dir string) string {
	var exact, stars []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != dir {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			if d.Name() == l.Meta.File {
				exact = append(exact, p)
			} else if strings.HasSuffix(d.Name(), ".star") {
				stars = append(stars, p)
			}
		}
		return nil
	})
	depth := func(p string) int { return strings.Count(p, string(filepath.Separator)) }
	sort.Slice(exact, func(i, j int) bool { return depth(exact[i]) < depth(exact[j]) })
	if len(exact) > 0 {
		return exact[0]
	}
	if len(stars) == 1 {
		return stars[0]
	}
	return ""
}

// Graded is one line of the summary.
type Graded struct {
	Student  string            `json:"student"`
	Lab      string            `json:"lab"`
	File     string            `json:"file"`
	SHA256   string            `json:"sha256"`
	Status   string            `json:"status"` // pass, fail or error
	Score    int               `json:"score"`  // checks passed
	MaxScore int               `json:"max_score"`
	Checks   map[string]string `json:"checks"` // check name → pass, fail or error
	Message  string            `json:"message,omitempty"`
	Seconds  float64           `json:"seconds"`
	Report   string            `json:"report"` // the text report, relative to the output folder
	// Failing checks' replay commands, for the instructor's view.
	Replays map[string]string `json:"replays,omitempty"`
}

// ClassSummary is summary.json.
type ClassSummary struct {
	Lab    string   `json:"lab"`
	Checks []string `json:"checks"` // the lab's checks, in order
	Graded []Graded `json:"graded"`
}

// ClassOptions are the flags of `starlab grade`.
type ClassOptions struct {
	Out  string // the output folder
	Jobs int    // CPU slots: sim-mode runs at once (default NumCPU); 4 submissions a slot in flight
	// Progress, if not nil, is called after each submission (done of total).
	Progress func(done, total int, g *Graded)
	// Force grades again what the summary already has.
	Force bool
}

// GradeClass grades every submission into opts.Out and returns the summary
// and how many submissions were skipped as already graded.
func GradeClass(l *Lab, subs []Submission, opts ClassOptions) (*ClassSummary, int, error) {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if err := os.MkdirAll(filepath.Join(opts.Out, "reports"), 0o755); err != nil {
		return nil, 0, err
	}
	previous := map[string]Graded{}
	if old, err := LoadClassSummary(opts.Out); err == nil && old.Lab == l.ID && !opts.Force {
		for _, g := range old.Graded {
			previous[g.Student] = g
		}
	}
	sum := &ClassSummary{Lab: l.ID, Checks: checkNames(l)}
	results := make([]Graded, len(subs))
	var todo []int
	skipped := 0
	for i, s := range subs {
		hash := fileHash(s.Path)
		if p, ok := previous[s.Student]; ok && hash != "" && p.SHA256 == hash {
			if _, err := os.Stat(filepath.Join(opts.Out, p.Report)); err == nil {
				results[i] = p
				skipped++
				continue
			}
		}
		todo = append(todo, i)
	}
	bases := reportBases(subs, todo, results, previous)
	var mu sync.Mutex
	done := skipped
	if opts.Progress != nil && skipped > 0 {
		opts.Progress(done, len(subs), nil)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	// --jobs CPU slots: sim-mode runs (sweeps) take one each; a submission
	// waiting in a real-time run (a time.sleep(1) costs a real second) takes
	// none, so up to 4 submissions a slot are in flight.
	cpu := make(chan struct{}, opts.Jobs)
	gopts := GradeOptions{Parallel: opts.Jobs, CPU: cpu}
	for w := 0; w < opts.Jobs*4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				g := gradeOne(l, subs[i], bases[i], opts.Out, gopts)
				mu.Lock()
				results[i] = g
				done++
				if opts.Progress != nil {
					opts.Progress(done, len(subs), &g)
				}
				mu.Unlock()
			}
		}()
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	sum.Graded = results
	// A check the lab lost since (or a new lab): keep the union, in order.
	known := map[string]bool{}
	for _, c := range sum.Checks {
		known[c] = true
	}
	for _, g := range results {
		for c := range g.Checks {
			if !known[c] {
				known[c] = true
				sum.Checks = append(sum.Checks, c)
			}
		}
	}
	return sum, skipped, WriteClassSummary(opts.Out, sum)
}

// checkNames are the lab's checks, in order: the grader's top level runs
// (it only registers them), no check does.
func checkNames(l *Lab) []string {
	src, err := l.File("grader.star")
	if err != nil {
		return nil
	}
	g := &grader{lab: l, filename: l.Meta.File}
	it := interp.New(interp.Options{
		Stdout: io.Discard, Stderr: io.Discard, ModuleName: "grader",
		Predeclared: func(it *interp.Interp) starlark.StringDict {
			d := builtins.Predeclared(it)
			d["grade"] = g.module()
			return d
		},
	})
	if it.Run(l.ID+"/grader.star", src) != 0 {
		return nil
	}
	var names []string
	for _, c := range g.checks {
		names = append(names, c.name)
	}
	return names
}

func fileHash(path string) string {
	if path == "" {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// reportName is a file name for a student's report: the name with anything
// but letters (any script's: 李雷 stays 李雷), digits, dots, dashes, @ and
// underscores turned into _, at most 80 characters.
var unsafeName = regexp.MustCompile(`[^\p{L}\p{N}._@-]+`)

func reportName(student string) string {
	n := strings.Trim(unsafeName.ReplaceAllString(student, "_"), "._")
	if r := []rune(n); len(r) > 80 {
		n = string(r[:80])
	}
	if n == "" {
		n = "student"
	}
	return n
}

// reportBases gives each submission to grade (todo) a report name no other
// student has: two names may sanitise alike ("Zhang San", "Zhang_San"),
// differ only in case (one file on macOS and Windows), or be the same
// folder name in two class folders. The reports of skipped submissions
// (results) keep theirs; a student graded before keeps its name if it is
// still free; the others get -2, -3, ... in the order of the sorted list.
func reportBases(subs []Submission, todo []int, results []Graded, previous map[string]Graded) map[int]string {
	used := map[string]bool{}
	for _, g := range results { // only the skipped ones are filled yet
		if g.Report != "" {
			used[strings.ToLower(reportBase(g.Report))] = true
		}
	}
	bases := make(map[int]string, len(todo))
	take := func(i int, name string) bool {
		if name == "" || used[strings.ToLower(name)] {
			return false
		}
		used[strings.ToLower(name)] = true
		bases[i] = name
		return true
	}
	var rest []int
	for _, i := range todo { // first, the names students had
		if p, ok := previous[subs[i].Student]; !ok || !take(i, reportBase(p.Report)) {
			rest = append(rest, i)
		}
	}
	for _, i := range rest {
		base := reportName(subs[i].Student)
		name := base
		for n := 2; !take(i, name); n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
	}
	return bases
}

// reportBase is "alice" for "reports/alice.txt".
func reportBase(report string) string {
	if report == "" {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(report), ".txt")
}

// gradeOne grades one submission and writes its reports; whatever the
// submission does (a panic in Go included) stays in its own verdict.
func gradeOne(l *Lab, s Submission, base, out string, gopts GradeOptions) (g Graded) {
	start := time.Now()
	g = Graded{Student: s.Student, Lab: l.ID, File: s.Path, Checks: map[string]string{}}
	g.Report = filepath.Join("reports", base+".txt")
	var rep *Report
	defer func() {
		if p := recover(); p != nil {
			rep = &Report{Lab: l.ID, File: s.Path, Status: StatusError, Message: fmt.Sprintf("grading stopped: internal error: %v", p)}
		}
		if rep == nil {
			rep = &Report{Lab: l.ID, File: s.Path, Status: StatusError, Message: "not graded"}
		}
		g.Seconds = time.Since(start).Seconds()
		rep.Elapsed = time.Since(start)
		g.Status, g.Message = rep.Status, firstLine(rep.Message)
		for _, c := range rep.Checks {
			g.Checks[c.Name] = c.Status
			g.MaxScore++
			if c.Status == StatusPass {
				g.Score++
			} else if c.Replay != "" {
				if g.Replays == nil {
					g.Replays = map[string]string{}
				}
				g.Replays[c.Name] = c.Replay
			}
		}
		writeStudentReports(out, base, rep)
	}()
	if s.Path == "" {
		rep = &Report{Lab: l.ID, Status: StatusError, Message: fmt.Sprintf("no submission: no %s (nor a single .star file) in the student's folder", l.Meta.File)}
		return g
	}
	src, err := os.ReadFile(s.Path)
	if err != nil {
		rep = &Report{Lab: l.ID, File: s.Path, Status: StatusError, Message: err.Error()}
		return g
	}
	g.SHA256 = hex.EncodeToString(func() []byte { h := sha256.Sum256(src); return h[:] }())
	rep = GradeWith(l, s.Path, src, gopts)
	return g
}

func writeStudentReports(out, base string, rep *Report) {
	for _, f := range []struct{ ext, format string }{{".txt", "text"}, {".json", "json"}} {
		fh, err := os.Create(filepath.Join(out, "reports", base+f.ext))
		if err != nil {
			continue
		}
		WriteReport(fh, rep, f.format, false)
		fh.Close()
	}
}

// LoadClassSummary reads DIR/summary.json.
func LoadClassSummary(dir string) (*ClassSummary, error) {
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil, err
	}
	var s ClassSummary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// WriteClassSummary writes summary.json and summary.csv into dir.
func WriteClassSummary(dir string, s *ClassSummary) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "summary.json"), append(data, '\n')); err != nil {
		return err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	header := append([]string{"student", "lab", "score", "max_score", "status", "seconds", "sha256", "file"}, s.Checks...)
	w.Write(header)
	for _, g := range s.Graded {
		row := []string{g.Student, g.Lab, strconv.Itoa(g.Score), strconv.Itoa(g.MaxScore), g.Status,
			strconv.FormatFloat(g.Seconds, 'f', 2, 64), g.SHA256, g.File}
		for _, c := range s.Checks {
			v := g.Checks[c]
			if v == "" {
				v = "-"
			}
			row = append(row, v)
		}
		w.Write(row)
	}
	w.Flush()
	return writeFileAtomic(filepath.Join(dir, "summary.csv"), []byte(b.String()))
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// WriteClassTable prints the instructor's view: per check how many students
// passed, then the most common failing check with an example replay.
func WriteClassTable(w io.Writer, s *ClassSummary) {
	n := len(s.Graded)
	passedAll, errors := 0, 0
	for _, g := range s.Graded {
		if g.Status == StatusPass {
			passedAll++
		}
		if g.Status == StatusError {
			errors++
		}
	}
	width := len("check")
	for _, c := range s.Checks {
		width = max(width, len([]rune(c)))
	}
	fmt.Fprintf(w, "Lab %s: %d submissions, %d passed every check, %d did not run (no file, or a syntax error)\n\n", s.Lab, n, passedAll, errors)
	fmt.Fprintf(w, "  %-*s  %7s  %7s\n", width, "check", "passed", "of")
	type miss struct {
		check string
		count int
	}
	var misses []miss
	for _, c := range s.Checks {
		pass, fail := 0, 0
		for _, g := range s.Graded {
			switch g.Checks[c] {
			case StatusPass:
				pass++
			case StatusFail, StatusError:
				fail++
			}
		}
		pad := width - len([]rune(c))
		fmt.Fprintf(w, "  %s%s  %7d  %7d  %s\n", c, strings.Repeat(" ", pad), pass, n, bar(pass, n, 20))
		if fail > 0 {
			misses = append(misses, miss{c, fail})
		}
	}
	sort.SliceStable(misses, func(i, j int) bool { return misses[i].count > misses[j].count })
	if len(misses) == 0 {
		return
	}
	top := misses[0]
	fmt.Fprintf(w, "\nMost common failing check: %q (%d of %d students)\n", top.check, top.count, n)
	for _, g := range s.Graded {
		if g.Checks[top.check] == StatusPass || g.Checks[top.check] == "" {
			continue
		}
		if r := g.Replays[top.check]; r != "" {
			fmt.Fprintf(w, "  e.g. %s: %s\n", g.Student, r)
			return
		}
	}
	for _, g := range s.Graded {
		if st := g.Checks[top.check]; st != StatusPass && st != "" {
			fmt.Fprintf(w, "  e.g. %s: see %s\n", g.Student, g.Report)
			return
		}
	}
}

func bar(n, of, width int) string {
	if of == 0 {
		return ""
	}
	filled := width * n / of
	return strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
}
