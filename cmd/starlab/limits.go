package main

import (
	"github.com/starlab-dev/starlab/interp"
)

// memoryBudget reads --max-memory (empty: interp.DefaultMaxMemory).
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
