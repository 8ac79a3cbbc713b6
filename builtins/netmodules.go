package builtins

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// addNetAndFiles adds to a run's globals the socket, socketserver and
// select modules, open(), and the os module's file functions (os.path,
// listdir, remove, makedirs, ...). Called by Predeclared once os exists.
func addNetAndFiles(it *interp.Interp, d starlark.StringDict) {
	sock := &socketModule{it: it, defaultTimeout: -1}
	d["socket"] = sock.module()
	d["socketserver"] = newSocketserverModule(it, sock)
	d["select"] = newSelectModule(it)
	d["open"] = newOpenBuiltin(it)
	if osModule, ok := d["os"].(*starlarkstruct.Module); ok {
		addFileFunctions(osModule)
	}
}
