package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run --sandbox confines a script as a graded run is.
func TestRunSandbox(t *testing.T) {
	file := filepath.Join(t.TempDir(), "escape.star")
	// (The network rule is tested in a network namespace: labs/confine_test.go.)
	src := "print(try_(lambda: open('/etc/passwd').read()[:4], except_ = [(PermissionError, lambda e: 'refused')]))\n" +
		"print(os.getcwd() != " + "'" + filepath.Dir(file) + "')\n"
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	out, errs, code := runCLI(t, "", "run", "--sandbox", file)
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, "refused\nTrue\n", out)
}

// run --sandbox FILE with a relative FILE: the children (a Process, a
// Pool's workers) load the script from beside the user, where it is, not
// from the sandbox's folder.
func TestRunSandboxChildrenRelativeScript(t *testing.T) {
	dir := t.TempDir()
	src := `import multiprocessing

def square(x):
    return x * x

def hello(q):
    q.put("hello from " + multiprocessing.current_process().name)

if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=hello, args=(q,))
    p.start()
    print(q.get(timeout=20))
    p.join()
    pool = multiprocessing.Pool(2)
    print(pool.map(square, [1, 2, 3]))
    pool.close()
    pool.join()
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kids.star"), []byte(src), 0o644))
	t.Chdir(dir)
	out, errs, code := runCLI(t, "", "run", "--sandbox", "kids.star")
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, "hello from Process-1\n[1, 4, 9]\n", out)
}
