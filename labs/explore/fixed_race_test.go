//go:build race

package explore_test

import "testing"

// Under the race detector runs are ~10× slower: fewer seeds.
func TestExploreFixedOneOutcome(t *testing.T) { fixedOneOutcome(t, 100) }
