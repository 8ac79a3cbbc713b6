//go:build !race

package labs

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A class of 200, graded through the command as an instructor would:
// `starlab grade 02 DIR -o OUT --jobs 2`.
func TestGradeClass200(t *testing.T) {
	l, err := Find("02")
	require.NoError(t, err)
	dir, out := t.TempDir(), t.TempDir()
	class := makeClass(t, l, dir, 200)
	var stdout, stderr bytes.Buffer
	c := &CLI{Stdout: &stdout, Stderr: &stderr, Lang: "en", StatePath: filepath.Join(t.TempDir(), "p.json")}
	require.Equal(t, 0, c.Run("grade", []string{"02", dir, "-o", out, "--jobs", "2"}), stderr.String())
	sum, err := LoadClassSummary(out)
	require.NoError(t, err)
	checkClassSummary(t, l, class, sum)
	assert.Contains(t, stdout.String(), "200 submissions")
	assert.Contains(t, stdout.String(), "Most common failing check")

	// Again: everything with a file is skipped.
	stderr.Reset()
	require.Equal(t, 0, c.Run("grade", []string{"02", dir, "-o", out}), stderr.String())
	assert.True(t, strings.Contains(stderr.String(), "already graded and unchanged"), stderr.String())
}
