package labs

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/starlab-dev/starlab/interp"
)

// Commands are the lab subcommands of the starlab command, modelled on
// rustlings: labs, lab, start, reset, check, hint, solution, watch.
var Commands = []string{"labs", "lab", "start", "reset", "check", "hint", "solution", "watch", "grade", "autograder"}

// IsCommand reports whether name is one of Commands.
func IsCommand(name string) bool {
	for _, c := range Commands {
		if c == name {
			return true
		}
	}
	return false
}

// CLI runs the lab subcommands. Its fields are the command's environment,
// so tests can run it without a terminal.
type CLI struct {
	Stdout, Stderr io.Writer
	Color          bool   // ANSI colours (a terminal, and NO_COLOR unset)
	Lang           string // "en" or "zh", the default of --lang
	StatePath      string // the progress file
	// Stop, if not nil, ends `watch` when closed (tests; the command itself
	// stops on Ctrl-C).
	Stop <-chan struct{}
	// PollInterval is how often `watch` looks at the file (default 300ms).
	PollInterval time.Duration
	// Terminal: Stderr is a terminal, where `grade` draws a progress bar.
	Terminal bool
}

// DefaultLang is the language LANG asks for: zh for a Chinese locale, else en.
func DefaultLang() string {
	for _, v := range []string{os.Getenv("LC_ALL"), os.Getenv("LANG")} {
		if strings.HasPrefix(strings.ToLower(v), "zh") {
			return "zh"
		}
		if v != "" {
			return "en"
		}
	}
	return "en"
}

// Run runs subcommand cmd with its arguments and returns the exit status.
func (c *CLI) Run(cmd string, args []string) int {
	switch cmd { // the instructor's commands have flags of their own (class_cli.go)
	case "grade":
		return c.grade(args)
	case "autograder":
		return c.autograder(args)
	}
	fsFlags := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fsFlags.SetOutput(c.Stderr)
	lang := fsFlags.String("lang", c.Lang, "language of instructions and hints: en or zh")
	force := fsFlags.Bool("force", false, "start: overwrite an existing file")
	format := fsFlags.String("format", "text", "check: output format: text, json, junit or gradescope")
	runner := fsFlags.String("runner", "", "check: run as a test runner: exercism (NAME INPUT_DIR OUTPUT_DIR)")
	// Flags may come after the lab's name, as in `starlab lab 3 --lang zh`.
	var positional []string
	for len(args) > 0 {
		if err := fsFlags.Parse(args); err != nil {
			return interp.ExitUsage
		}
		args = fsFlags.Args()
		if len(args) > 0 {
			positional = append(positional, args[0])
			args = args[1:]
		}
	}
	if *lang != "en" && *lang != "zh" {
		fmt.Fprintf(c.Stderr, "starlab %s: --lang must be en or zh\n", cmd)
		return interp.ExitUsage
	}
	c.Lang = *lang
	if cmd == "labs" {
		return c.list()
	}
	if cmd == "check" && *runner != "" {
		return c.runTestRunner(*runner, positional)
	}
	if len(positional) < 1 && (cmd == "check" || cmd == "watch") {
		// As rustlings does: without a name, the current lab, the first
		// one not passed yet.
		l, err := c.current(nil)
		if err != nil {
			fmt.Fprintf(c.Stderr, "starlab %s: %v\n", cmd, err)
			return 1
		}
		if l == nil {
			fmt.Fprintln(c.Stdout, "Every lab is done. 全部完成! (starlab check NAME grades one again)")
			return 0
		}
		positional = []string{l.ID}
	}
	if len(positional) < 1 {
		fmt.Fprintf(c.Stderr, "starlab %s: which lab? (starlab labs lists them)\n", cmd)
		return interp.ExitUsage
	}
	l, err := Find(positional[0])
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab %s: %v\n", cmd, err)
		return interp.ExitUsage
	}
	arg := ""
	if len(positional) > 1 {
		arg = positional[1]
	}
	switch cmd {
	case "lab":
		fmt.Fprint(c.Stdout, l.Instructions(c.Lang))
		return 0
	case "start":
		return c.start(l, arg, *force)
	case "reset":
		return c.reset(l, arg)
	case "check":
		return c.check(l, arg, *format)
	case "hint":
		return c.hint(l)
	case "solution":
		return c.solution(l)
	case "watch":
		return c.watch(l, arg)
	}
	fmt.Fprintf(c.Stderr, "starlab: unknown lab command %q\n", cmd)
	return interp.ExitUsage
}

func (c *CLI) paint(code, s string) string {
	if !c.Color {
		return s
	}
	return "\033[" + code + "m" + s + "\033[0m"
}

func (c *CLI) progress() *Progress {
	p, err := LoadProgress(c.StatePath)
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab: reading progress: %v (starting afresh)\n", err)
	}
	return p
}

// current is the first lab in course order, after the lab after (or from
// the start, when after is nil or every later lab is done), that has not
// passed yet; nil when every lab has.
func (c *CLI) current(after *Lab) (*Lab, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	p := c.progress()
	if after != nil {
		for _, l := range all {
			if l.Num > after.Num && !p.IsDone(l.ID) {
				return l, nil
			}
		}
	}
	for _, l := range all {
		if !p.IsDone(l.ID) {
			return l, nil
		}
	}
	return nil, nil
}

// list prints every lab in course order with its state and a progress bar.
func (c *CLI) list() int {
	all, err := All()
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab labs: %v\n", err)
		return 1
	}
	p := c.progress()
	done := 0
	for _, l := range all {
		if p.IsDone(l.ID) {
			done++
		}
	}
	const width = 30
	filled := width * done / max(len(all), 1)
	bar := c.paint("32", strings.Repeat("█", filled)) + strings.Repeat("░", width-filled)
	fmt.Fprintf(c.Stdout, "starlab labs  %s  %d/%d done\n\n", bar, done, len(all))
	for _, l := range all {
		mark := c.paint("33", "·")
		if p.IsDone(l.ID) {
			mark = c.paint("32", "✓")
		}
		fmt.Fprintf(c.Stdout, "  %s %-24s %s\n", mark, l.ID, l.Title(c.Lang))
	}
	next := ""
	for _, l := range all {
		if !p.IsDone(l.ID) {
			next = l.Name
			break
		}
	}
	if next != "" {
		fmt.Fprintf(c.Stdout, "\nNext: starlab lab %s   (then: starlab start %s, starlab check %s)\n", next, next, next)
	} else {
		fmt.Fprintln(c.Stdout, "\nEvery lab is done. 全部完成!")
	}
	return 0
}

// start writes the starter script into dir, never over an existing file
// unless forced.
func (c *CLI) start(l *Lab, dir string, force bool) int {
	if dir == "" {
		dir = "."
	}
	starter, err := l.File("starter.star")
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab start: %v\n", err)
		return 1
	}
	path := filepath.Join(dir, l.Meta.File)
	if _, err := os.Stat(path); err == nil && !force {
		fmt.Fprintf(c.Stderr, "starlab start: %s already exists; keep working on it, or pass --force to start over\n", path)
		return 1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(c.Stderr, "starlab start: %v\n", err)
		return 1
	}
	if err := os.WriteFile(path, starter, 0o644); err != nil {
		fmt.Fprintf(c.Stderr, "starlab start: %v\n", err)
		return 1
	}
	fmt.Fprintf(c.Stdout, "wrote %s\n\nRead the instructions:  starlab lab %s\nRun your script:        starlab run %s\nGrade it:               starlab check %s %s\n",
		path, l.Name, path, l.Name, path)
	return 0
}

// reset puts the starter back into the learner's file (FILE, or the lab's
// file here), as rustlings' reset does, and marks the lab pending again so
// that `check` and `watch` without a name come back to it. The learner's
// version is kept next to it as FILE.bak: nothing is lost, so there is no
// question to answer first.
func (c *CLI) reset(l *Lab, file string) int {
	if file == "" {
		file = l.Meta.File
	}
	starter, err := l.File("starter.star")
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab reset: %v\n", err)
		return 1
	}
	mine, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Nothing to keep: reset is start.
	case err != nil:
		fmt.Fprintf(c.Stderr, "starlab reset: %v\n", err)
		return 1
	case bytes.Equal(mine, starter) && c.Lang == "zh":
		fmt.Fprintf(c.Stdout, "%s 已经是起始代码,无需重置\n", file)
		return 0
	case bytes.Equal(mine, starter):
		fmt.Fprintf(c.Stdout, "%s is the starter already: nothing to reset\n", file)
		return 0
	default:
		if err := os.WriteFile(file+".bak", mine, 0o644); err != nil {
			fmt.Fprintf(c.Stderr, "starlab reset: keeping your version: %v (nothing was reset)\n", err)
			return 1
		}
	}
	if dir := filepath.Dir(file); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintf(c.Stderr, "starlab reset: %v\n", err)
			return 1
		}
	}
	if err := os.WriteFile(file, starter, 0o644); err != nil {
		fmt.Fprintf(c.Stderr, "starlab reset: %v\n", err)
		return 1
	}
	p := c.progress()
	if p.IsDone(l.ID) {
		delete(p.Done, l.ID)
		if err := p.Save(); err != nil {
			fmt.Fprintf(c.Stderr, "starlab reset: saving progress: %v\n", err)
		}
	}
	switch {
	case mine != nil && c.Lang == "zh":
		fmt.Fprintf(c.Stdout, "%s 已恢复为实验 %s 的起始代码;你的版本保存在 %s.bak\n", file, l.ID, file)
	case mine != nil:
		fmt.Fprintf(c.Stdout, "%s is the starter of lab %s again; your version is in %s.bak\n", file, l.ID, file)
	case c.Lang == "zh":
		fmt.Fprintf(c.Stdout, "已写入 %s,实验 %s 的起始代码\n", file, l.ID)
	default:
		fmt.Fprintf(c.Stdout, "wrote %s, the starter of lab %s\n", file, l.ID)
	}
	return 0
}

// submission reads the learner's file: FILE, or the lab's file name here.
func (c *CLI) submission(l *Lab, file string) (string, []byte, error) {
	if file == "" {
		file = l.Meta.File
	}
	src, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return file, nil, fmt.Errorf("there is no %s here; run `starlab start %s` to get the starter, or name your file: starlab check %s FILE", file, l.Name, l.Name)
	}
	return file, src, err
}

// check grades the learner's file and marks the lab done when it passes.
func (c *CLI) check(l *Lab, file, format string) int {
	known := false
	for _, f := range Formats {
		known = known || f == format
	}
	if !known {
		fmt.Fprintf(c.Stderr, "starlab check: unknown --format %q (want one of %s)\n", format, strings.Join(Formats, ", "))
		return interp.ExitUsage
	}
	file, src, err := c.submission(l, file)
	if err != nil {
		if format != "text" {
			// An autograder still gets a report it can read.
			WriteReport(c.Stdout, &Report{Lab: l.ID, File: file, Status: StatusError, Message: err.Error()}, format, false)
			return 1
		}
		fmt.Fprintf(c.Stderr, "starlab check: %v\n", err)
		return 1
	}
	if format == "text" && c.Lang == "zh" {
		fmt.Fprintf(c.Stdout, "正在按实验 %s 检查 %s……\n", l.ID, file)
	} else if format == "text" {
		fmt.Fprintf(c.Stdout, "Checking %s against lab %s...\n", file, l.ID)
	}
	rep := Grade(l, file, src)
	rep.Lang = c.Lang
	if err := WriteReport(c.Stdout, rep, format, c.Color); err != nil {
		fmt.Fprintf(c.Stderr, "starlab check: %v\n", err)
		return 1
	}
	if !rep.Passed() {
		return 1
	}
	p := c.progress()
	first := !p.IsDone(l.ID)
	p.MarkDone(l.ID)
	if err := p.Save(); err != nil {
		fmt.Fprintf(c.Stderr, "starlab check: saving progress: %v\n", err)
	}
	if format == "text" && first && c.Lang == "zh" {
		fmt.Fprintf(c.Stdout, "\n%s 实验 %s 完成。`starlab solution %s` 显示参考答案；`starlab labs` 显示下一个实验。\n", c.paint("32", "✓"), l.ID, l.Name)
	} else if format == "text" && first {
		fmt.Fprintf(c.Stdout, "\n%s Lab %s done. `starlab solution %s` shows the reference; `starlab labs` the next lab.\n", c.paint("32", "✓"), l.ID, l.Name)
	}
	return 0
}

// hint reveals one more hint each time and shows those revealed so far.
func (c *CLI) hint(l *Lab) int {
	hints := l.Hints(c.Lang)
	if len(hints) == 0 {
		fmt.Fprintln(c.Stdout, "This lab has no hints.")
		return 0
	}
	p := c.progress()
	shown := min(p.Hints[l.ID]+1, len(hints))
	p.Hints[l.ID] = shown
	if err := p.Save(); err != nil {
		fmt.Fprintf(c.Stderr, "starlab hint: saving progress: %v\n", err)
	}
	for i := 0; i < shown; i++ {
		fmt.Fprintf(c.Stdout, "%s\n%s\n\n", c.paint("1", fmt.Sprintf("Hint %d of %d:", i+1, len(hints))), hints[i])
	}
	if shown < len(hints) {
		fmt.Fprintf(c.Stdout, "(run `starlab hint %s` again for the next one)\n", l.Name)
	}
	return 0
}

// solution shows the reference solution, once the lab is done.
func (c *CLI) solution(l *Lab) int {
	if !c.progress().IsDone(l.ID) {
		fmt.Fprintf(c.Stderr, "starlab solution: finish the lab first: the solution opens once `starlab check %s` passes (`starlab hint %s` helps meanwhile)\n", l.Name, l.Name)
		return 1
	}
	src, err := l.File("solution.star")
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab solution: %v\n", err)
		return 1
	}
	c.Stdout.Write(src)
	return 0
}

// watch grades the file again each time it changes, until Ctrl-C; when the
// lab passes, it moves on to the next lab not passed yet (as rustlings'
// watch does), says which, and watches that lab's file, in the same folder.
// It ends by itself once every lab has passed.
func (c *CLI) watch(l *Lab, file string) int {
	dir := "."
	if file != "" {
		dir = filepath.Dir(file)
	}
	for {
		if file == "" {
			file = filepath.Join(dir, l.Meta.File)
		}
		if !c.watchLab(l, file) {
			return 0 // stopped
		}
		next, err := c.current(l)
		if err != nil {
			fmt.Fprintf(c.Stderr, "starlab watch: %v\n", err)
			return 1
		}
		if next == nil {
			fmt.Fprintln(c.Stdout, "Every lab is done. 全部完成!")
			return 0
		}
		if c.Lang == "zh" {
			fmt.Fprintf(c.Stdout, "下一个实验：%s（%s）。说明：starlab lab %s；起始代码：starlab start %s\n\n", next.ID, next.Title(c.Lang), next.Name, next.Name)
		} else {
			fmt.Fprintf(c.Stdout, "Next: lab %s, %s. Instructions: starlab lab %s; the starter: starlab start %s\n\n", next.ID, next.Title(c.Lang), next.Name, next.Name)
		}
		l, file = next, ""
	}
}

// watchLab grades file on every change until it passes (true) or watch is
// stopped (false). It polls the file's size and modification time: cheap,
// and it survives editors that replace the file on save.
func (c *CLI) watchLab(l *Lab, file string) bool {
	interval := c.PollInterval
	if interval <= 0 {
		interval = 300 * time.Millisecond
	}
	fmt.Fprintf(c.Stdout, "Watching %s (lab %s): it is graded again on every save. Ctrl-C to stop.\n\n", file, l.ID)
	var lastMod time.Time
	var lastSize int64 = -1
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		info, err := os.Stat(file)
		switch {
		case err != nil && lastSize != -2:
			fmt.Fprintf(c.Stdout, "waiting for %s to exist (starlab start %s writes it)\n", file, l.Name)
			lastSize = -2
		case err == nil && (!info.ModTime().Equal(lastMod) || info.Size() != lastSize):
			lastMod, lastSize = info.ModTime(), info.Size()
			fmt.Fprintf(c.Stdout, "── %s ──\n", time.Now().Format("15:04:05"))
			passed := c.check(l, file, "text") == 0
			fmt.Fprintln(c.Stdout)
			if passed {
				return true
			}
		}
		select {
		case <-c.Stop:
			return false
		case <-ticker.C:
		}
	}
}
