package labs

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/starlab-dev/starlab/interp"
)

// Bundles for the autograders instructors already use:
//
//   starlab autograder gradescope LAB -o DIR   Gradescope's setup.sh, run_autograder,
//                                              the linux/amd64 binary, and autograder.zip of them
//   starlab autograder classroom LAB -o DIR    a GitHub Classroom template: the starter,
//                                              .github/workflows/classroom.yml and
//                                              .github/classroom/autograding.json
//
// The scripts read STARLAB_AUTOGRADER_ROOT (default /autograder), so the
// bundle's test runs it in a temporary root.

// DefaultInstall is how a GitHub Classroom workflow installs starlab.
const DefaultInstall = "go install github.com/starlab-dev/starlab/cmd/starlab@latest"

// GradescopeBundle writes Gradescope's autograder files for lab l into dir;
// binary is a linux/amd64 starlab ("" finds one: see linuxBinary).
func GradescopeBundle(l *Lab, dir, binary string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	bin, err := linuxBinary(binary, filepath.Join(dir, "starlab"))
	if err != nil {
		return err
	}
	if bin != filepath.Join(dir, "starlab") {
		if err := copyFile(bin, filepath.Join(dir, "starlab"), 0o755); err != nil {
			return err
		}
	}
	setup := `#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image: it
# installs starlab (linux/amd64, shipped in this bundle) into $ROOT/bin.
set -euo pipefail
ROOT="${STARLAB_AUTOGRADER_ROOT:-/autograder}"
mkdir -p "$ROOT/bin"
install -m 0755 "$ROOT/source/starlab" "$ROOT/bin/starlab"
"$ROOT/bin/starlab" version
`
	run := fmt.Sprintf(`#!/usr/bin/env bash
# Gradescope runs this for each submission: it grades lab %[1]s on the
# student's file in $ROOT/submission into $ROOT/results/results.json
# (score, execution_time, output, tests[] with name/score/max_score/status/output).
set -uo pipefail
ROOT="${STARLAB_AUTOGRADER_ROOT:-/autograder}"
LAB=%[2]s
FILE=%[3]s
mkdir -p "$ROOT/results"
cd "$ROOT/submission" || exit 1
sub="$(find . -type f -name "$FILE" | sort | head -n 1)"
if [ -z "$sub" ] && [ "$(find . -type f -name '*.star' | wc -l)" -eq 1 ]; then
  sub="$(find . -type f -name '*.star')"
fi
if [ -z "$sub" ]; then
  printf '{"score": 0, "output": "No %%s in your submission: upload the file that starlab start %[4]s wrote.", "tests": []}\n' "$FILE" > "$ROOT/results/results.json"
  exit 0
fi
sub="${sub#./}"
"$ROOT/bin/starlab" check "$LAB" "$sub" --format gradescope > "$ROOT/results/results.json"
exit 0
`, l.ID, shellWord(l.ID), shellWord(l.Meta.File), l.Name)
	files := map[string]string{"setup.sh": setup, "run_autograder": run}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
			return err
		}
	}
	// autograder.zip: what Gradescope's "Upload autograder" takes, the files
	// at its root.
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, name := range []string{"setup.sh", "run_autograder", "starlab"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "autograder.zip"), zb.Bytes(), 0o644)
}

// linuxBinary finds a linux/amd64 starlab: the one given, this executable
// when it is one, or one built by `go build` (GOOS=linux GOARCH=amd64) from
// the module in the current folder into dest.
func linuxBinary(given, dest string) (string, error) {
	if given != "" {
		return given, nil
	}
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		if exe, err := os.Executable(); err == nil && strings.HasPrefix(filepath.Base(exe), "starlab") && !strings.HasSuffix(exe, ".test") {
			return exe, nil
		}
	}
	cmd := exec.Command("go", "build", "-o", dest, "github.com/starlab-dev/starlab/cmd/starlab")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("no linux/amd64 starlab to bundle: this one is %s/%s and `GOOS=linux GOARCH=amd64 go build` failed (%v: %s); build one and pass --binary PATH",
			runtime.GOOS, runtime.GOARCH, err, strings.TrimSpace(string(out)))
	}
	return dest, nil
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// shellWord quotes s for a shell, in single quotes.
func shellWord(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// ClassroomBundle writes a GitHub Classroom template repository for lab l
// into dir: the starter, the instructions, the workflow that runs
// `starlab check` on every push, and the legacy autograding.json.
func ClassroomBundle(l *Lab, dir, install string) error {
	if install == "" {
		install = DefaultInstall
	}
	points := len(checkNames(l))
	if points == 0 {
		points = 1
	}
	starter, err := l.File("starter.star")
	if err != nil {
		return err
	}
	check := fmt.Sprintf("starlab check %s %s", l.ID, l.Meta.File)
	workflow := fmt.Sprintf(`# GitHub Classroom autograding for lab %[1]s, written by `+"`starlab autograder classroom`"+`.
# Every push runs `+"`%[2]s`"+`: all %[3]d points when every check passes.
name: Autograding Tests
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Go
        uses: actions/setup-go@v5
        with:
          go-version: stable
      - name: Install starlab
        run: %[4]s && echo "$(go env GOPATH)/bin" >> "$GITHUB_PATH"
      - name: lab %[1]s
        id: lab
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: lab %[1]s
          setup-command: ""
          command: %[2]s
          timeout: 10
          max-score: %[3]d
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          LAB_RESULTS: "${{steps.lab.outputs.result}}"
        with:
          runners: lab
`, l.ID, check, points, install)
	type test struct {
		Name       string `json:"name"`
		Setup      string `json:"setup"`
		Run        string `json:"run"`
		Input      string `json:"input"`
		Output     string `json:"output"`
		Comparison string `json:"comparison"`
		Timeout    int    `json:"timeout"`
		Points     int    `json:"points"`
	}
	aj, _ := json.MarshalIndent(struct {
		Tests []test `json:"tests"`
	}{[]test{{Name: "lab " + l.ID, Setup: install, Run: check, Comparison: "included", Timeout: 10, Points: points}}}, "", "  ")
	files := map[string][]byte{
		".github/workflows/classroom.yml":    []byte(workflow),
		".github/classroom/autograding.json": append(aj, '\n'),
		l.Meta.File:                          starter,
		"README.md":                          []byte(l.Instructions("en")),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if _, err := os.Stat(p); err == nil && name == l.Meta.File {
			continue // never over a student's work
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// autograder is `starlab autograder gradescope|classroom LAB -o DIR`.
func (c *CLI) autograder(args []string) int {
	fs := flag.NewFlagSet("autograder", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	out := fs.String("o", "", "the folder to write the bundle into")
	binary := fs.String("binary", "", "gradescope: the linux/amd64 starlab to ship (default: this one, or go build)")
	install := fs.String("install", DefaultInstall, "classroom: the command that installs starlab in the workflow")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return interp.ExitUsage
	}
	if len(positional) != 2 || (positional[0] != "gradescope" && positional[0] != "classroom") || *out == "" {
		fmt.Fprintln(c.Stderr, "usage: starlab autograder gradescope|classroom LAB -o DIR")
		return interp.ExitUsage
	}
	l, err := Find(positional[1])
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab autograder: %v\n", err)
		return interp.ExitUsage
	}
	if positional[0] == "gradescope" {
		err = GradescopeBundle(l, *out, *binary)
	} else {
		err = ClassroomBundle(l, *out, *install)
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "starlab autograder: %v\n", err)
		return 1
	}
	if positional[0] == "gradescope" {
		fmt.Fprintf(c.Stdout, "wrote %s: upload %s as the autograder of a Programming Assignment (Ubuntu base image)\n",
			*out, filepath.Join(*out, "autograder.zip"))
	} else {
		fmt.Fprintf(c.Stdout, "wrote %s: push it as the assignment's template repository; each push runs `starlab check %s %s`\n",
			*out, l.ID, l.Meta.File)
	}
	return 0
}
