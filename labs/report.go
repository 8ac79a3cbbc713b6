package labs

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Formats of `starlab check --format`.
var Formats = []string{"text", "json", "junit", "gradescope"}

// WriteReport writes rep in format: text for a person at a terminal, json
// (Exercism's results.json fields), junit (JUnit XML) or gradescope
// (Gradescope's results.json), for autograders.
func WriteReport(w io.Writer, rep *Report, format string, color bool) error {
	switch format {
	case "", "text":
		writeText(w, rep, color)
		return nil
	case "json":
		return writeJSON(w, rep)
	case "junit":
		return writeJUnit(w, rep)
	case "gradescope":
		return writeGradescope(w, rep)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// zhPhrases turn the run's own words (budgets, deadlocks, skips) into
// Chinese, for `check --lang zh`; a grader's sentences come in Chinese
// from its zh= arguments (grade.check, grade.fail, grade.expect), or stay
// as written.
var zhPhrases = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`step budget of (\d+) steps used up \(an endless loop\?\)`), "用完了 $1 步的步数预算（一个从不等待的循环？忙等或死循环）"},
	{regexp.MustCompile(`time budget of (\S+) \(virtual\) used up`), "用完了 $1 的虚拟时间预算（线程一个接一个地睡？或者永不结束？）"},
	{regexp.MustCompile(`time budget of (\S+) used up`), "用完了 $1 的实际时间预算（死循环，或在等永远不来的输入？）"},
	{regexp.MustCompile(`it ran longer than (\S+)`), "运行超过了 $1"},
	{regexp.MustCompile(`(?m)^skipped: `), "跳过："},
	{regexp.MustCompile(`\bit deadlocked\b`), "发生了死锁（it deadlocked）"},
	{regexp.MustCompile(`\bit was stopped\b`), "运行被停止（it was stopped）"},
	{regexp.MustCompile(`\bit never ended\b`), "程序一直没有结束（it never ended）"},
	{regexp.MustCompile(`\bbusy wait\b`), "忙等（busy wait）"},
}

// zh translates the run's own phrases in msg.
func zh(msg string) string {
	for _, p := range zhPhrases {
		msg = p.re.ReplaceAllString(msg, p.repl)
	}
	return msg
}

func writeText(w io.Writer, rep *Report, color bool) {
	replayIt, seeIt, outputEnded, summary := "replay it", "see it", "its output ended with", "%d of %d checks passed (%.1fs)\n"
	tr := func(s string) string { return s }
	if rep.Lang == "zh" {
		replayIt, seeIt, outputEnded, summary = "重现它", "看它的时间线", "它的输出最后是", "%d / %d 项检查通过（%.1f 秒）\n"
		tr = zh
	}
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\033[" + code + "m" + s + "\033[0m"
	}
	if rep.Status == StatusError {
		fmt.Fprintf(w, "%s %s\n%s\n", paint("31", "✗"), rep.File, indent(rep.Message))
		return
	}
	sameDeadlock := "(the same deadlock as above)"
	if rep.Lang == "zh" {
		sameDeadlock = "（与上面相同的死锁）"
	}
	passed := 0
	shown := map[string]bool{} // deadlock reports printed: each is printed once
	for _, c := range rep.Checks {
		name, msg := c.Name, c.Message
		if rep.Lang == "zh" && c.NameZh != "" {
			name = c.NameZh
		}
		if rep.Lang == "zh" && c.MessageZh != "" {
			msg = c.MessageZh
		}
		if c.Status == StatusPass {
			passed++
			fmt.Fprintf(w, "%s %s\n", paint("32", "✓"), name)
			continue
		}
		fmt.Fprintf(w, "%s %s\n", paint("31", "✗"), name)
		report := ""
		if d := c.Deadlock; d != "" {
			switch {
			case strings.Contains(msg, d) && shown[d]:
				msg = strings.Replace(msg, d, sameDeadlock, 1)
			case strings.Contains(msg, d):
			case shown[d]:
				report = sameDeadlock
			default:
				report = d
			}
			shown[d] = true
		}
		if msg != "" {
			fmt.Fprintln(w, indent(tr(msg)))
		}
		if c.Replay != "" {
			fmt.Fprintf(w, "    %s: %s\n", replayIt, paint("1", c.Replay))
			if tc := traceCommand(c.Replay); tc != "" {
				fmt.Fprintf(w, "    %s:    %s\n", seeIt, paint("1", tc))
			}
		}
		if c.Output != "" {
			fmt.Fprintf(w, "    %s:\n%s\n", outputEnded, indentBy(c.Output, "      | "))
		}
		if report != "" {
			fmt.Fprintln(w, indent(report))
		}
	}
	fmt.Fprintf(w, summary, passed, len(rep.Checks), rep.Elapsed.Seconds())
}

func indent(s string) string { return indentBy(s, "    ") }

func indentBy(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// fullOutput is a check's output with its run's deadlock report, unless
// the message quotes it already: for the formats where each check stands
// alone.
func fullOutput(c CheckResult) string {
	if c.Deadlock == "" || strings.Contains(c.Message, c.Deadlock) {
		return c.Output
	}
	return strings.TrimLeft(c.Output+"\n"+c.Deadlock, "\n")
}

// checkText is a check's message with its replay command, for the formats
// that have one text field.
func checkText(c CheckResult) string {
	msg := c.Message
	if c.Replay != "" {
		msg += "\nreplay it: " + c.Replay
		if tc := traceCommand(c.Replay); tc != "" {
			msg += "\nsee it: " + tc
		}
	}
	return msg
}

// writeJSON writes Exercism's results.json (version 2): status pass, fail
// or error, a message for error, and one entry per test.
func writeJSON(w io.Writer, rep *Report) error {
	type test struct {
		Name    string `json:"name"`
		Status  string `json:"status"`
		Message string `json:"message,omitempty"`
		Output  string `json:"output,omitempty"`
	}
	out := struct {
		Version int    `json:"version"`
		Status  string `json:"status"`
		Message string `json:"message,omitempty"`
		Tests   []test `json:"tests"`
	}{Version: 2, Status: rep.Status, Message: rep.Message, Tests: []test{}}
	for _, c := range rep.Checks {
		out.Tests = append(out.Tests, test{Name: c.Name, Status: c.Status, Message: checkText(c), Output: fullOutput(c)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeJUnit writes JUnit XML as CI servers read it: <testsuites> around one
// <testsuite> for the lab, a <testcase> per check, each with the seconds it
// took (time=, measured), and a <failure> or <error> for a check that did
// not pass.
func writeJUnit(w io.Writer, rep *Report) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      string   `xml:"time,attr"`
		Failure   *failure `xml:"failure,omitempty"`
		Error     *failure `xml:"error,omitempty"`
		SystemOut string   `xml:"system-out,omitempty"`
	}
	type testsuite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Time     string     `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	type testsuites struct {
		XMLName  xml.Name    `xml:"testsuites"`
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Time     string      `xml:"time,attr"`
		Suites   []testsuite `xml:"testsuite"`
	}
	seconds := func(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
	suite := testsuite{Name: rep.Lab, Time: seconds(rep.Elapsed)}
	if rep.Status == StatusError {
		suite.Tests, suite.Errors = 1, 1
		suite.Cases = []testcase{{Name: "compile", Classname: rep.Lab, Time: seconds(rep.Elapsed), Error: &failure{Message: "does not compile", Text: rep.Message}}}
	}
	for _, c := range rep.Checks {
		tc := testcase{Name: c.Name, Classname: rep.Lab, Time: seconds(c.Elapsed), SystemOut: fullOutput(c)}
		switch c.Status {
		case StatusFail:
			tc.Failure = &failure{Message: firstLine(c.Message), Text: checkText(c)}
			suite.Failures++
		case StatusError:
			tc.Error = &failure{Message: firstLine(c.Message), Text: checkText(c)}
			suite.Errors++
		}
		suite.Tests++
		suite.Cases = append(suite.Cases, tc)
	}
	all := testsuites{Name: "starlab " + rep.File, Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Time: suite.Time, Suites: []testsuite{suite}}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// writeGradescope writes Gradescope's results.json: one point per check.
func writeGradescope(w io.Writer, rep *Report) error {
	type test struct {
		Name     string  `json:"name"`
		Score    float64 `json:"score"`
		MaxScore float64 `json:"max_score"`
		Status   string  `json:"status"`
		Output   string  `json:"output,omitempty"`
	}
	out := struct {
		Score         float64 `json:"score"`
		Output        string  `json:"output,omitempty"`
		ExecutionTime float64 `json:"execution_time"`
		Tests         []test  `json:"tests"`
	}{ExecutionTime: rep.Elapsed.Seconds(), Tests: []test{}}
	if rep.Status == StatusError {
		out.Output = rep.Message
	}
	for _, c := range rep.Checks {
		t := test{Name: c.Name, MaxScore: 1, Status: "failed", Output: strings.TrimSpace(checkText(c) + "\n" + fullOutput(c))}
		if c.Status == StatusPass {
			t.Score, t.Status = 1, "passed"
			out.Score++
		}
		out.Tests = append(out.Tests, t)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
