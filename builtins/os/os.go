package os

import (
	"os"

	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// New builds the module for one run.
func New(it *interp.Interp) *starlarkstruct.Module {
	intFn := func(name string, f func() int) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
				return nil, err
			}
			return starlark.MakeInt(f()), nil
		})
	}
	m := &starlarkstruct.Module{
		Name: "os",
		Members: starlark.StringDict{
			"getpid":  intFn("getpid", os.Getpid),
			"getppid": intFn("getppid", os.Getppid),
			"sep":     starlark.String(string(os.PathSeparator)),
			"linesep": starlark.String("\n"),
		},
	}
	addFileFunctions(m)
	return m
}
