package gevent

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// gevent.monkey: after patch_all() (or patch_time, patch_socket,
// patch_select), time.sleep, socket I/O, socketserver, select and urlopen
// give the hub to the other greenlets while they block, as gevent's
// patched modules do. Patching is for the whole run, as it is for the
// whole process in Python. Threads stay threads: patch_thread does
// nothing.

// patchable are the modules a patch covers, in patch_all's keyword order.
var patchable = []string{"socket", "select", "time"}

func (m *module) monkeyModule() *starlarkstruct.Module {
	return &starlarkstruct.Module{
		Name: "gevent.monkey",
		Members: starlark.StringDict{
			"patch_all":           starlark.NewBuiltin("patch_all", m.patchAll),
			"patch_time":          m.patchOne("patch_time", "time"),
			"patch_socket":        m.patchOne("patch_socket", "socket"),
			"patch_select":        m.patchOne("patch_select", "select"),
			"patch_thread":        m.patchOne("patch_thread", ""),
			"is_module_patched":   starlark.NewBuiltin("is_module_patched", m.isModulePatched),
			"is_anything_patched": starlark.NewBuiltin("is_anything_patched", m.isAnythingPatched),
		},
	}
}

// patchAll is patch_all(socket=True, select=True, time=True, **others):
// the other keywords of gevent's patch_all (thread, os, ssl, ...) are
// accepted and change nothing.
func (m *module) patchAll(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, interp.Errorf(interp.TypeError, "patch_all() takes no positional arguments")
	}
	want := map[string]bool{"socket": true, "select": true, "time": true}
	for _, kv := range kwargs {
		k, _ := starlark.AsString(kv[0])
		if _, ok := want[k]; ok {
			want[k] = bool(kv[1].Truth())
		}
	}
	for _, mod := range patchable {
		if want[mod] {
			m.rt.Patch(mod)
		}
	}
	return starlark.True, nil
}

func (m *module) patchOne(name, module string) *starlark.Builtin {
	return starlark.NewBuiltin(name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) > 0 {
			return nil, interp.Errorf(interp.TypeError, "%s() takes no positional arguments", name)
		}
		if module != "" {
			m.rt.Patch(module)
		}
		return starlark.None, nil
	})
}

func (m *module) isModulePatched(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs("is_module_patched", args, kwargs, "mod_name", &name); err != nil {
		return nil, err
	}
	return starlark.Bool(m.rt.Patched(name)), nil
}

func (m *module) isAnythingPatched(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("is_anything_patched", args, kwargs, 0); err != nil {
		return nil, err
	}
	for _, mod := range patchable {
		if m.rt.Patched(mod) {
			return starlark.True, nil
		}
	}
	return starlark.False, nil
}
