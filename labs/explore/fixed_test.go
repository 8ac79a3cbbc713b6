//go:build !race

package explore_test

import "testing"

// 1,000 seeds: the bar for "the fix really works".
func TestExploreFixedOneOutcome(t *testing.T) { fixedOneOutcome(t, 1000) }
