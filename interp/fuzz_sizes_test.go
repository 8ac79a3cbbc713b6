package interp_test

import (
	"testing"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// FuzzCoreSizes feeds huge, negative and wrongly-typed sizes to the globals
// and the operators (issue 16; see runtest.FuzzSizes).
func FuzzCoreSizes(f *testing.F) { runtest.FuzzSizes(f, coreSizeCalls, true) }

var coreSizeCalls = []string{
	"list(range(%s))", "tuple(range(%s))", "sorted(range(%s))", "set(range(%s))",
	"dict(zip(range(%s), range(3)))", "list(enumerate(range(%s)))", "list(reversed(range(%s)))",
	"sum(range(%s))", "max(range(%s))", "any(range(%s))", "bytes(%s)", "'x' * %s", "%s * 'ab'",
	"[0] * %s", "(0, 1) * %s", "'%%s' %% (%s,)", "'{}'.format(%s)", "range(%s)[-1]", "str(%s)",
	"round(1.5, %s)", "'a,b'.split(',', %s)", "'abc'.replace('a', 'b', %s)", "'abc'[%s]",
	"' '.join(['a'] * %s)", "len(range(%s))", "list(range(0, %s, 1 << 40))", "repr([%s] * 3)",
}
