package labs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/starlab-dev/starlab/interp"
)

// Runners are the test-runner interfaces `starlab check --runner` speaks.
var Runners = []string{"exercism"}

// exercismOutputLimit is how much of a test's output Exercism's results.json
// may carry (its test-runner interface asks for at most 500 characters).
const exercismOutputLimit = 500

// runTestRunner is `starlab check --runner exercism SLUG INPUT_DIR OUTPUT_DIR`,
// the shape of Exercism's test-runner interface: grade the submission in
// INPUT_DIR (the lab's file at any depth, or the only .star file; or a file
// named directly) and write OUTPUT_DIR/results.json. The exit status is 0
// whatever the verdict, which is in the file; it is not 0 only when the
// runner itself could not do its job (no such lab, OUTPUT_DIR not writable).
func (c *CLI) runTestRunner(runner string, args []string) int {
	if runner != "exercism" {
		fmt.Fprintf(c.Stderr, "starlab check: unknown --runner %q (want exercism)\n", runner)
		return interp.ExitUsage
	}
	if len(args) != 3 {
		fmt.Fprintln(c.Stderr, "starlab check --runner exercism: want SLUG INPUT_DIR OUTPUT_DIR")
		return interp.ExitUsage
	}
	l, err := Find(args[0])
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab check --runner exercism: %v\n", err)
		return interp.ExitUsage
	}
	input, outDir := args[1], args[2]
	var rep *Report
	file := input
	if info, err := os.Stat(input); err == nil && info.IsDir() {
		file = findLabFile(l, input)
	}
	src, err := os.ReadFile(file)
	switch {
	case file == "":
		rep = &Report{Lab: l.ID, File: input, Status: StatusError,
			Message: fmt.Sprintf("no %s in the submission (nor a single .star file)", l.Meta.File)}
	case err != nil:
		rep = &Report{Lab: l.ID, File: file, Status: StatusError, Message: err.Error()}
	default:
		// The learner knows the file by its own name, not the runner's path.
		rep = Grade(l, filepath.Base(file), src)
	}
	var buf bytes.Buffer
	if err := writeExercism(&buf, rep); err != nil {
		fmt.Fprintf(c.Stderr, "starlab check --runner exercism: %v\n", err)
		return 1
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		fmt.Fprintf(c.Stderr, "starlab check --runner exercism: %v\n", err)
		return 1
	}
	if err := writeFileAtomic(filepath.Join(outDir, "results.json"), buf.Bytes()); err != nil {
		fmt.Fprintf(c.Stderr, "starlab check --runner exercism: %v\n", err)
		return 1
	}
	return 0
}

// writeExercism writes results.json as Exercism's test-runner interface
// (version 2) has it: status pass, fail (a test failed or errored) or error
// (no test ran: the script does not compile) with a message; per test its
// name, status, message, test_code (the replay command, when there is one)
// and output, cut to 500 characters.
func writeExercism(w *bytes.Buffer, rep *Report) error {
	type test struct {
		Name     string `json:"name"`
		Status   string `json:"status"`
		Message  string `json:"message,omitempty"`
		Output   string `json:"output,omitempty"`
		TestCode string `json:"test_code"`
	}
	out := struct {
		Version int    `json:"version"`
		Status  string `json:"status"`
		Message string `json:"message,omitempty"`
		Tests   []test `json:"tests"`
	}{Version: 2, Status: rep.Status, Tests: []test{}}
	if rep.Status == StatusError {
		out.Message = rep.Message
	}
	for _, c := range rep.Checks {
		t := test{Name: c.Name, Status: c.Status, Output: truncateOutput(fullOutput(c), exercismOutputLimit), TestCode: c.Replay}
		if c.Status != StatusPass {
			t.Message = checkText(c)
		}
		out.Tests = append(out.Tests, t)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// truncateOutput keeps the end of s (where a run's trouble shows) within
// limit characters, saying so when it cut.
func truncateOutput(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	const note = "[the start of the output was cut]\n"
	r := []rune(s)
	return note + string(r[len(r)-(limit-utf8.RuneCountInString(note)):])
}
