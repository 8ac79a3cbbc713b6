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
