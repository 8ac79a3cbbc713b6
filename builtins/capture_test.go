package builtins_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// runCaptured runs src as file with the real modules and returns the exit
// status and the output, failing the test if the run takes over a minute.
func runCaptured(t *testing.T, file string, src []byte, cfg interp.SchedConfig, stdin string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	it := interp.New(interp.Options{
		Stdin:       strings.NewReader(stdin),
		Stdout:      &out,
		Stderr:      &errw,
		Argv:        []string{file},
		Sched:       cfg,
		Predeclared: builtins.Predeclared,
	})
	done := make(chan int, 1)
	go func() { done <- it.Run(file, src) }()
	select {
	case code = <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s (sim=%v seed=%d) did not finish in 60s", file, cfg.Sim, cfg.Seed)
	}
	return code, out.String(), errw.String()
}
