//go:build !race

package interp_test

// memTestBudget is TestMemoryBudget's budget (16 MiB under -race).
const memTestBudget = 64 << 20
