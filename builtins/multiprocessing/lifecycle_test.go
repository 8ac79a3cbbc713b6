package multiprocessing_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// runEnv makes the test binary run a script as `starlab run` would (see
// TestMain), for tests that need a parent process of their own.
const runEnv = "STARLAB_MP_TEST_RUN"

func runScriptMain(path string) int {
	it := interp.New(interp.Options{Predeclared: runtest.Predeclared})
	return it.RunFile(path)
}

// gone reports whether pid no longer runs (a zombie waiting for a reaper
// counts as gone: it runs nothing).
func gone(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z' || s[i+2] == 'X'
}

// TestNoOrphans SIGKILLs a parent whose child sleeps: the child must die
// with it (Pdeathsig), as the life cycle asks.
func TestNoOrphans(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "parent.star")
	require.NoError(t, os.WriteFile(script, []byte(`
from multiprocessing import Process
import time
def sleeper():
    time.sleep(60)
if __name__ == "__main__":
    p = Process(target=sleeper)
    p.start()
    print("child", p.pid)
    time.sleep(60)
`), 0o644))
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), runEnv+"="+script)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "child ")))
	require.NoError(t, err, line)
	require.False(t, gone(pid), "the child runs")
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	cmd.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for !gone(pid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.True(t, gone(pid), "child %d outlived its SIGKILLed parent", pid)
}

// TestExitJoinsChildren: the run ends only after its non-daemon children,
// and a daemon child is terminated.
func TestExitJoinsChildren(t *testing.T) {
	src := []byte(`
from multiprocessing import Process
import time
def late():
    time.sleep(0.2)
    print("late child done")
def forever():
    time.sleep(60)
if __name__ == "__main__":
    Process(target=late).start()
    Process(target=forever, daemon=True).start()
    print("parent done")
`)
	file := filepath.Join(t.TempDir(), "exit.star")
	require.NoError(t, os.WriteFile(file, src, 0o644))
	res := runtest.Run(t, file, src, runtest.Options{Timeout: 10 * time.Second})
	require.Equal(t, 0, res.Code, res.Stderr)
	require.Equal(t, "parent done\nlate child done\n", res.Stdout)
}
