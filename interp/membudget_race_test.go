//go:build race

package interp_test

// memTestBudget is TestMemoryBudget's budget: small under the race
// detector, whose shadow memory multiplies what the heap costs.
const memTestBudget = 16 << 20
