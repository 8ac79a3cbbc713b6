package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/builtins/multiprocessing"
	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// TestMain lets the test binary act as the starlab command: the Ctrl-C
// tests re-run it as a child process with STARLAB_BE_MAIN=1, so they signal
// a real process without building one first.
func TestMain(m *testing.M) {
	if multiprocessing.IsWorker() { // a child of a traced run's Process or Pool
		os.Exit(multiprocessing.WorkerMain(builtins.Predeclared))
	}
	if os.Getenv("STARLAB_BE_MAIN") == "1" {
		os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = dispatch(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// TestGolden runs each testdata/golden/*.star and compares stdout, stderr
// and the exit status with its .golden file: the traceback format, the
// exception classes and CPython's messages. `go test ./cmd/starlab -update`
// rewrites them; review the diff.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.star")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".star")
		t.Run(name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", "run", file)
			got := fmt.Sprintf("== stdout ==\n%s== stderr ==\n%s== exit %d ==\n", stdout, stderr, code)
			golden := strings.TrimSuffix(file, ".star") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "missing golden file; run go test ./cmd/starlab -update")
			assert.Equal(t, string(want), got)
		})
	}
}

func TestUsageAndVersion(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"no args: the prompt, here on empty input", nil, 0, "", ""},
		{"-i without a file", []string{"-i"}, 2, "", "the prompt takes -i FILE"},
		{"-i with a missing file", []string{"-i", "testdata/no-such-file.star"}, 2, "", "can't open file testdata/no-such-file.star: no such file or directory"},
		{"repl with an unknown argument", []string{"repl", "x.star"}, 2, "", "the prompt takes -i FILE"},
		{"help", []string{"help"}, 0, "starlab run", ""},
		{"version", []string{"version"}, 0, "starlab ", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"run without file", []string{"run"}, 2, "", "missing FILE"},
		{"bad flag", []string{"run", "--nope", "x.star"}, 2, "", "flag provided but not defined"},
		{"seed without sim", []string{"run", "--seed", "3", "x.star"}, 2, "", "--seed needs --sim"},
		{"missing file", []string{"run", "testdata/no-such-file.star"}, 2, "", "can't open file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, stdout, tc.inStdout)
			assert.Contains(t, stderr, tc.inStderr)
		})
	}
}

// The lab commands are dispatched to the labs package.
func TestLabCommands(t *testing.T) {
	t.Setenv("STARLAB_STATE_DIR", t.TempDir())
	stdout, _, code := runCLI(t, "", "labs")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "03-lost-update")
	stdout, _, code = runCLI(t, "", "lab", "3", "--lang", "zh")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "实验 03")
	dir := t.TempDir()
	_, _, code = runCLI(t, "", "start", "lost-update", dir)
	require.Equal(t, 0, code)
	stdout, _, code = runCLI(t, "", "check", "lost-update", filepath.Join(dir, "lost_update.star"), "--format", "json")
	assert.Equal(t, 1, code, "the starter fails")
	assert.Contains(t, stdout, `"status": "fail"`)
}

func writeScript(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "script.star")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	return path
}

func TestArgvAndExitStatus(t *testing.T) {
	path := writeScript(t, `print(sys.argv[1:])
sys.exit(int(sys.argv[1]))
`)
	stdout, _, code := runCLI(t, "", "run", path, "7", "b")
	assert.Equal(t, "['7', 'b']\n", stdout)
	assert.Equal(t, 7, code)
}

// The course's exception loop, fed from stdin: every branch of try_ runs.
func TestExceptionLoopFromStdin(t *testing.T) {
	stdout, stderr, code := runCLI(t, "5\n3\njack\n1\n1\n2\n", "run", "../../labs/examples/exceptions.star")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "IndexError: range object index out of range")
	assert.Contains(t, stdout, "ValueError: invalid literal for int() with base 10: 'jack'")
	assert.Contains(t, stdout, "caught another exception: <class 'AssertionError'> num1 must be greater than num2")
	assert.Contains(t, stdout, "finally: always runs")
	assert.Contains(t, stdout, "bye")
}

func TestLockExampleFinalNum(t *testing.T) {
	stdout, stderr, code := runCLI(t, "", "run", "--sim", "--seed", "1", "../../labs/examples/lock.star")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "final num: 0\n")
}

// Sim mode replays: the same seed gives the same output byte for byte, and
// different seeds give different interleavings, among them a lost update.
func TestSimReplaysAndExplores(t *testing.T) {
	outputs := map[string]int{}
	lost, kept := 0, 0
	for seed := 1; seed <= 20; seed++ {
		first, _, code := runCLI(t, "", "run", "--sim", "--seed", fmt.Sprint(seed), "../../labs/examples/race.star")
		require.Equal(t, 0, code)
		again, _, _ := runCLI(t, "", "run", "--sim", "--seed", fmt.Sprint(seed), "../../labs/examples/race.star")
		require.Equal(t, first, again, "seed %d did not replay", seed)
		outputs[first]++
		if strings.Contains(first, "final num: 0 ") {
			kept++
		} else {
			lost++
		}
	}
	assert.Greater(t, len(outputs), 1, "all seeds gave the same run")
	assert.Greater(t, lost, 0, "no seed showed the lost update")
	assert.Greater(t, kept, 0, "every seed lost an update: preemption is too dense to teach the contrast")
}

// The course's lock example without the lock loses updates in sim mode; with
// the lock it never does.
func TestLostUpdateOnlyWithoutLock(t *testing.T) {
	lostSeeds := 0
	for seed := 1; seed <= 10; seed++ {
		stdout, stderr, code := runCLI(t, "", "run", "--sim", "--seed", fmt.Sprint(seed), "../../labs/examples/lost_update.star")
		require.Equal(t, 0, code, stderr)
		if !strings.HasSuffix(stdout, "final num: 0\n") {
			lostSeeds++
		}
		stdout, stderr, code = runCLI(t, "", "run", "--sim", "--seed", fmt.Sprint(seed), "../../labs/examples/lock.star")
		require.Equal(t, 0, code, stderr)
		assert.True(t, strings.HasSuffix(stdout, "final num: 0\n"), "seed %d lost an update under the lock", seed)
	}
	assert.Greater(t, lostSeeds, 0, "no seed showed the lost update without the lock")
}

// A sim run without --seed names its seed on stderr, whatever its outcome,
// with the command that replays it; stdout stays the script's.
func TestSimSeedPrinted(t *testing.T) {
	failing := writeScript(t, "raise_(ValueError('x'))\n")
	_, stderr, code := runCLI(t, "", "run", "--sim", failing)
	assert.Equal(t, 1, code)
	assert.Regexp(t, `sim seed \d+: replay with starlab run --sim --seed \d+ `+regexp.QuoteMeta(failing)+"\n", stderr)

	clean := writeScript(t, "print('hi')\n")
	stdout, stderr, code := runCLI(t, "", "run", "--sim", clean, "a b")
	assert.Equal(t, 0, code)
	assert.Equal(t, "hi\n", stdout)
	m := regexp.MustCompile(`^sim seed (\d+): replay with starlab run --sim --seed (\d+) (.*) 'a b'\n$`).FindStringSubmatch(stderr)
	require.NotNil(t, m, stderr)
	assert.Equal(t, m[1], m[2])

	_, stderr, _ = runCLI(t, "", "run", "--sim", "--seed", "5", failing)
	assert.NotContains(t, stderr, "sim seed", "an explicit seed is not repeated back")
}

// A lock-ordering deadlock between two named threads ends fast with the report.
func TestDeadlockReportedQuickly(t *testing.T) {
	start := time.Now()
	_, stderr, code := runCLI(t, "", "run", "../../labs/examples/deadlock.star")
	elapsed := time.Since(start)
	assert.Equal(t, 3, code)
	assert.Less(t, elapsed, time.Second)
	assert.Contains(t, stderr, "first       waits for Lock.acquire (held by second)  at ../../labs/examples/deadlock.star:11")
	assert.Contains(t, stderr, "second      waits for Lock.acquire (held by first)   at ../../labs/examples/deadlock.star:16")
	assert.Contains(t, stderr, "MainThread  waits for join first")
}

func TestSwitchIntervalFlag(t *testing.T) {
	path := writeScript(t, "print(sys.getswitchinterval())\nsys.setswitchinterval(0.001)\nprint(sys.getswitchinterval())\n")
	stdout, _, code := runCLI(t, "", "run", "--switch-interval", "2ms", path)
	assert.Equal(t, 0, code)
	assert.Equal(t, "0.002\n0.001\n", stdout)
}

// startChild runs the test binary as `starlab run` on src and waits until
// it prints "ready".
func startChild(t *testing.T, src string) (*exec.Cmd, *runtest.SyncBuffer, *bufio.Reader) {
	t.Helper()
	path := writeScript(t, src)
	cmd := exec.Command(os.Args[0], "run", path)
	cmd.Env = append(os.Environ(), "STARLAB_BE_MAIN=1")
	stderr := &runtest.SyncBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill() })
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	if err != nil {
		cmd.Wait()
		t.Fatalf("child failed before ready: %v; stderr:\n%s", err, stderr.String())
	}
	require.Equal(t, "ready\n", line)
	return cmd, stderr, r
}

func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child did not exit after SIGINT")
		return -1
	}
}

// Ctrl-C raises KeyboardInterrupt in the main thread wherever it is: a busy
// loop, or blocked in join, acquire or sleep.
func TestCtrlC(t *testing.T) {
	blockers := map[string]string{
		"busy loop": "while True:\n        pass",
		"join":      "t = threading.Thread(target=time.sleep, args=(1000,), daemon=True)\n    t.start()\n    t.join()",
		// a sleeping thread keeps a timer pending, so this is no deadlock
		"acquire": "l = threading.Lock()\n    l.acquire()\n    threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()\n    l.acquire()",
		"sleep":   "time.sleep(1000)",
	}
	for name, block := range blockers {
		t.Run(name+" uncaught", func(t *testing.T) {
			t.Parallel()
			cmd, stderr, _ := startChild(t, "def main():\n    print('ready')\n    "+block+"\nmain()\n")
			time.Sleep(50 * time.Millisecond)
			require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
			assert.Equal(t, 130, waitExit(t, cmd))
			assert.Contains(t, stderr.String(), "Traceback (most recent call last):")
			assert.True(t, strings.HasSuffix(stderr.String(), "KeyboardInterrupt\n"), stderr.String())
		})
		t.Run(name+" caught", func(t *testing.T) {
			t.Parallel()
			src := "def body():\n    print('ready')\n    " + block + "\n" +
				"try_(body, except_=(KeyboardInterrupt, lambda e: print('caught', type(e).__name__)))\n" +
				"x = 0\nfor i in range(100000):\n    x += i\n" + // the interrupt must not come back by itself
				"time.sleep(0.01)\nprint('after', x)\n"
			cmd, _, out := startChild(t, src)
			time.Sleep(50 * time.Millisecond)
			require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
			rest, _ := io.ReadAll(out) // before Wait, which closes the pipe
			assert.Equal(t, 0, waitExit(t, cmd))
			assert.Equal(t, "caught KeyboardInterrupt\nafter 4999950000\n", string(rest))
		})
	}
}

// A second Ctrl-C within a second exits at once, even if the script catches
// every KeyboardInterrupt.
func TestSecondCtrlCExits(t *testing.T) {
	src := "def body():\n    while True:\n        pass\nprint('ready')\n" +
		"while True:\n    try_(body, except_=(KeyboardInterrupt, lambda e: None))\n"
	cmd, _, _ := startChild(t, src)
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	time.Sleep(100 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	assert.Equal(t, 130, waitExit(t, cmd))
}
