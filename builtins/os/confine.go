package os

import (
	"syscall"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/interp"
)

// confined is the path the run may use for p (see interp.Confinement), or
// PermissionError naming p, before any system call.
func confined(th *starlark.Thread, p string, write bool) (string, error) {
	abs, ok := interp.ConfinementOf(th).Path(p, write)
	if !ok {
		return "", oserr.Raise(syscall.EACCES, p)
	}
	return abs, nil
}
