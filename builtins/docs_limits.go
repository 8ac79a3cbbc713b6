package builtins

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// Docs of the checks that starlab inserts into a script as it compiles it
// (interp/guard.go): a learner never writes them, but a traceback can show
// them and dir() lists them.
var limitDocs = pydoc.Table{
	"__starlab_repeat__": {
		Sig:     "(n, size)",
		Summary: "starlab's check of `[...] * n` and `\"...\" * n`: MemoryError if the result (n times size bytes) is over the run's memory budget; else n.",
		Python:  "none: CPython raises MemoryError when the allocation fails",
	},
	"__starlab_times__": {
		Sig:     "(x, y)",
		Summary: "starlab's check of `x * y` when an operand is a name: MemoryError if a sequence repeated that many times is over the run's memory budget; else x.",
		Python:  "none: CPython raises MemoryError when the allocation fails",
	},
	"__starlab_mul__": {
		Sig:     "(x, y)",
		Summary: "starlab's form of `x * y` for two operands that are not names: x * y, after the check of __starlab_times__.",
		Python:  "none: CPython raises MemoryError when the allocation fails",
	},
	"__starlab_fmt__": {
		Sig:     "(x)",
		Summary: "starlab's check of the arguments of `\"...\" % x` and `str.format`: RecursionError if x is nested deeper than the recursion limit; else x.",
		Python:  "none: CPython raises RecursionError while getting the repr",
	},
}
