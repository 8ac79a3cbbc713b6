package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCPUs: --cpus sizes sim mode's virtual machine: on 2 cores, 2
// processes of CPU work take half the time 2 threads take; on 1 core, the
// same time. explore takes the flag too; 0 cores is a usage error.
func TestCPUs(t *testing.T) {
	const gil = "testdata/cpus/gil.star"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "2 cores", args: []string{"run", "--sim", "--seed", "1", "--cpus", "2", gil}, stdout: "2.00\n"},
		{name: "default 2", args: []string{"run", "--sim", "--seed", "1", gil}, stdout: "2.00\n"},
		{name: "1 core", args: []string{"run", "--sim", "--seed", "1", "--cpus", "1", gil}, stdout: "1.00\n"},
		{name: "explore", args: []string{"explore", "--seeds", "3", "--cpus", "1", gil}, stdout: "replay: starlab run --sim --seed 1 --cpus 1 testdata/cpus/gil.star\n  | 1.00"},
		{name: "no core", args: []string{"run", "--sim", "--cpus", "0", gil}, code: 2, stderr: "--cpus must be at least 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stdout, tc.stdout)
			assert.Contains(t, stderr, tc.stderr)
		})
	}
}
