package random_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// FuzzRandomSizes feeds huge, negative and wrongly-typed sizes to random's
// functions (issue 16; see runtest.FuzzSizes).
func FuzzRandomSizes(f *testing.F) { runtest.FuzzSizes(f, randomSizeCalls, true) }

var randomSizeCalls = []string{
	"random.getrandbits(%s)", "random.sample(range(10), %s)", "random.sample(range(1 << 62), %s)",
	"random.choices([1, 2], k = %s)", "random.randrange(%s)", "random.randint(0, %s)",
	"random.seed(%s)", "random.uniform(0, %s)", "random.choice(range(%s))",
	"random.sample([1, 2, 3], 2, counts = [%s, 1, 1])",
}
