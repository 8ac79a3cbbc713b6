//go:build race

package main

// maxMemoryFlagTest is the --max-memory of TestMaxMemoryFlag: small under
// the race detector, whose shadow memory multiplies what the heap costs.
const maxMemoryFlagTest = "32M"
