//go:build !race

package main

// maxMemoryFlagTest is the --max-memory of TestMaxMemoryFlag (32M under -race).
const maxMemoryFlagTest = "128M"
