package main

import (
	"fmt"
	"io"
	"os"

	"github.com/starlab-dev/starlab/interp"
)

// memoryBudget reads --max-memory (empty: interp.DefaultMaxMemory, a
// quarter of the machine's memory, at most 4 GiB).
//
// It is deliberately not made the Go runtime's soft limit
// (debug.SetMemoryLimit): a script that keeps its live heap near the limit
// would then make the collector run without pause, and the run crawl
// instead of getting its MemoryError.
func memoryBudget(flag string) (int64, error) {
	if flag == "" {
		return interp.DefaultMaxMemory(), nil
	}
	return interp.ParseBytes(flag)
}

// exitOnOverrun is run's interp.SchedConfig.MemoryOverrun: the heap passed
// twice the budget inside Go code that no MemoryError reaches, so the
// process exits with the verdict (and the status of a stopped run) before
// the OS's OOM killer ends it without one.
func exitOnOverrun(stderr io.Writer) func(string) {
	return func(verdict string) {
		fmt.Fprintf(stderr, "starlab: run stopped: %s\n", verdict)
		os.Exit(interp.ExitStopped)
	}
}
