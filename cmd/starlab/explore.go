package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/interp/trace/chrome"
	"github.com/starlab-dev/starlab/labs"
	"github.com/starlab-dev/starlab/labs/explore"
)

const exploreUsage = `Usage: starlab explore [--seeds N] [--jobs J] [--until-fail] [--group-by output|last-line|exit] [--trace DIR] [--cpus N] FILE [ARGS...]

Runs FILE in sim mode under seeds 1..N and groups the runs by how they
ended (output, exit status, deadlock, exception): one outcome for a correct
script, several for a race. Each outcome shows a seed that replays it.
A script whose threads print progress lines in a different order under
each seed can be grouped by its final line (--group-by last-line) or by
its exit status alone (--group-by exit).
`

// exploreCmd is `starlab explore`.
func exploreCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seeds := fs.Int("seeds", 200, "how many seeds to run (1..N)")
	jobs := fs.Int("jobs", 0, "runs at once (default: the number of CPUs)")
	untilFail := fs.Bool("until-fail", false, "stop at the first failing seed (non-zero exit or deadlock)")
	traceDir := fs.String("trace", "", "write one timeline per outcome into DIR (outcome-N-seed-S.json and .html)")
	lang := fs.String("lang", labs.DefaultLang(), "the language of the --trace pages: en or zh")
	cpus := fs.Int("cpus", 2, "cores of the virtual machine that simulated processes share")
	groupBy := fs.String("group-by", "output", "what makes runs the same outcome: output (all of stdout), last-line (its last line) or exit (the exit status)")
	fs.Usage = func() { fmt.Fprint(stderr, exploreUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return interp.ExitUsage
	}
	if fs.NArg() < 1 || *seeds < 1 || *cpus < 1 {
		fs.Usage()
		return interp.ExitUsage
	}
	by, err := explore.ParseGroupBy(*groupBy)
	if err != nil {
		fmt.Fprintf(stderr, "starlab explore: %v\n", err)
		return interp.ExitUsage
	}
	file := fs.Arg(0)
	src, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "starlab explore: %v\n", err)
		return 1
	}
	cfg := explore.Config{
		File: file, Src: src, Argv: fs.Args()[1:], Seeds: *seeds, Jobs: *jobs,
		UntilFail: *untilFail, CPUs: *cpus, Predeclared: builtins.Predeclared, GroupBy: by,
	}
	if isTerminal(stderr) {
		cfg.Progress = progressBar(stderr)
	}
	rep := explore.Run(context.Background(), cfg)
	if cfg.Progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if rep.CompileError != "" {
		fmt.Fprint(stderr, rep.CompileError)
		return 1
	}
	replay := file
	if *cpus != 2 { // the replay needs the same machine
		replay = fmt.Sprintf("--cpus %d %s", *cpus, file)
	}
	printReport(stdout, replay, rep, by)
	if *traceDir != "" {
		if err := writeOutcomeTraces(*traceDir, *lang, cfg, rep); err != nil {
			fmt.Fprintf(stderr, "starlab explore: --trace: %v\n", err)
			return 1
		}
	}
	if rep.FirstFailure() != nil {
		return 1
	}
	return 0
}

// progressBar draws "[#####     ] 120/200" on one line of a terminal.
func progressBar(w io.Writer) func(done, total int) {
	return func(done, total int) {
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
	}
}

func printReport(w io.Writer, replay string, rep *explore.Report, by explore.GroupBy) {
	fmt.Fprintf(w, "%d seeds, %d distinct outcome(s)", rep.Runs, len(rep.Outcomes))
	if by != explore.ByOutput {
		fmt.Fprintf(w, " by %s", map[explore.GroupBy]string{explore.ByLastLine: "last line of output", explore.ByExit: "exit status"}[by])
	}
	fmt.Fprintln(w)
	for i, o := range rep.Outcomes {
		fmt.Fprintf(w, "\noutcome %d: %d run(s), exit %d", i+1, len(o.Seeds), o.Exit)
		switch {
		case o.Deadlock:
			fmt.Fprint(w, " (deadlock)")
		case o.Stopped != "":
			fmt.Fprintf(w, " (stopped: %s)", o.Stopped)
		case o.Exception != "":
			fmt.Fprintf(w, " (%s)", o.Exception)
		}
		fmt.Fprintf(w, "\n  replay: starlab run --sim --seed %d %s\n", o.Seed(), replay)
		switch by {
		case explore.ByLastLine:
			if o.Stdout != "" {
				fmt.Fprintf(w, "  last line: %s\n", o.LastLine)
			}
			continue
		case explore.ByExit:
			if o.Stdout != "" {
				fmt.Fprintf(w, "  output of seed %d:\n", o.Seed())
			}
		}
		out := strings.TrimRight(o.Stdout, "\n")
		lines := strings.Split(out, "\n")
		if len(lines) > 6 {
			lines = append(append(lines[:3:3], fmt.Sprintf("... (%d lines)", len(lines)-5)), lines[len(lines)-2:]...)
		}
		for _, l := range lines {
			if out != "" {
				fmt.Fprintf(w, "  | %s\n", l)
			}
		}
	}
	if f := rep.FirstFailure(); f != nil {
		fmt.Fprintf(w, "\nfirst failing seed: %d\n", f.Seed())
	}
}

// writeOutcomeTraces replays each outcome's first seed with a recorder and
// writes its timeline, as JSON for Perfetto and as a page, so two
// interleavings can be compared side by side.
func writeOutcomeTraces(dir, lang string, cfg explore.Config, rep *explore.Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, o := range rep.Outcomes {
		buf := &chrome.Buffer{}
		again := explore.RunSeed(rep.Compiled, cfg, o.Seed(), buf)
		tl := chrome.Build(buf.Events(), chrome.Options{Process: filepath.Base(cfg.File), Pid: interp.SimMainPID, Sim: true, Seed: o.Seed(), Exit: again.Exit})
		for _, ext := range []string{".json", ".html"} {
			path := filepath.Join(dir, fmt.Sprintf("outcome-%d-seed-%d%s", i+1, o.Seed(), ext))
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			err = writeTimeline(f, path, lang, tl)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
