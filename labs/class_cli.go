package labs

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/starlab-dev/starlab/interp"
)

// parseInterleaved parses flags that may come before, between or after the
// positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) > 0 {
			positional = append(positional, args[0])
			args = args[1:]
		}
	}
	return positional, nil
}

// grade is `starlab grade LAB DIR... [-o OUT] [--jobs N] [--force]`.
func (c *CLI) grade(args []string) int {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	out := fs.String("o", "grades", "the output folder: summary.csv, summary.json, reports/")
	jobs := fs.Int("jobs", runtime.NumCPU(), "submissions graded at once")
	force := fs.Bool("force", false, "grade again what the summary already has")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return interp.ExitUsage
	}
	if len(positional) < 2 {
		fmt.Fprintln(c.Stderr, "usage: starlab grade LAB DIR... [-o OUT] [--jobs N] [--force]")
		return interp.ExitUsage
	}
	l, err := Find(positional[0])
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab grade: %v\n", err)
		return interp.ExitUsage
	}
	subs, err := FindSubmissions(l, positional[1:])
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab grade: %v\n", err)
		return 1
	}
	if len(subs) == 0 {
		fmt.Fprintf(c.Stderr, "starlab grade: no submissions in %s\n", strings.Join(positional[1:], " "))
		return 1
	}
	layouts := map[string]int{}
	for _, s := range subs {
		layouts[s.Layout]++
	}
	var ls []string
	for k, v := range layouts {
		ls = append(ls, fmt.Sprintf("%d %s", v, k))
	}
	fmt.Fprintf(c.Stderr, "Grading %d submissions of lab %s (%s), %d at a time, into %s\n", len(subs), l.ID, strings.Join(ls, ", "), *jobs, *out)
	start := time.Now()
	opts := ClassOptions{Out: *out, Jobs: *jobs, Force: *force}
	if c.Terminal {
		opts.Progress = func(done, total int, g *Graded) {
			name := ""
			if g != nil {
				name = g.Student
				if len(name) > 24 {
					name = name[:24]
				}
			}
			fmt.Fprintf(c.Stderr, "\r\033[K%s %d/%d  %.0fs  %s", bar(done, total, 30), done, total, time.Since(start).Seconds(), name)
			if done == total {
				fmt.Fprintln(c.Stderr)
			}
		}
	}
	sum, skipped, err := GradeClass(l, subs, opts)
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab grade: %v\n", err)
		return 1
	}
	if skipped > 0 {
		fmt.Fprintf(c.Stderr, "%d already graded and unchanged: skipped (--force grades them again)\n", skipped)
	}
	fmt.Fprintf(c.Stderr, "Graded in %.1fs; summary in %s/summary.csv and summary.json, reports in %s/reports/\n\n", time.Since(start).Seconds(), *out, *out)
	WriteClassTable(c.Stdout, sum)
	return 0
}
