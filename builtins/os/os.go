package os

import (
	"os"

	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// New builds the module for one run.
func New(it *interp.Interp) *starlarkstruct.Module {
	// In sim mode the pids are the simulated processes' virtual ones
	// (interp/proc.go), so that a run replays byte for byte.
	intFn := func(name string, f func() int, sim func(*interp.Proc) int) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
				return nil, err
			}
			if t := interp.Current(th); t != nil && t.Sched().Sim() {
				return starlark.MakeInt(sim(t.Proc())), nil
			}
			return starlark.MakeInt(f()), nil
		})
	}
	m := &starlarkstruct.Module{
		Name: "os",
		Members: starlark.StringDict{
			"getpid":  intFn("getpid", os.Getpid, (*interp.Proc).PID),
			"getppid": intFn("getppid", os.Getppid, (*interp.Proc).PPID),
			"sep":     starlark.String(string(os.PathSeparator)),
			"linesep": starlark.String("\n"),
		},
	}
	addFileFunctions(m)
	return m
}
