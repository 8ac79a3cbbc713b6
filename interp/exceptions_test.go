package interp_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/interp"
)

// TestHierarchyMatchesCPython asks python3 for every exception class of its
// builtins and its base, and checks that starlab has the class, under the
// same base. ExceptionGroup is the one known departure (two bases in
// CPython, Exception here).
func TestHierarchyMatchesCPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	out, err := exec.Command(py, "-c", `
import builtins
for n, c in sorted(vars(builtins).items()):
    if isinstance(c, type) and issubclass(c, BaseException) and c.__name__ == n:
        print(n, c.__base__.__name__ if c is not BaseException else "-")
`).Output()
	require.NoError(t, err)
	classes := interp.BuiltinExceptions()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Greater(t, len(lines), 60, "python3 listed too few classes")
	for _, line := range lines {
		name, base, _ := strings.Cut(line, " ")
		c := classes[name]
		if !assert.NotNil(t, c, "missing class %s", name) {
			continue
		}
		got := "-"
		if c.Base() != nil {
			got = c.Base().Name()
		}
		if name == "ExceptionGroup" {
			base = "Exception"
		}
		assert.Equal(t, base, got, "base of %s", name)
	}
	assert.Same(t, interp.OSError, classes["IOError"], "IOError is an alias of OSError")
}
