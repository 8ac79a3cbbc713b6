// Package pyobj helps the Go-backed values of the modules (a lock, a queue,
// a socket) look like Python objects: their methods live in one map per
// type, bound to the receiver on attribute access, as go.starlark.net's own
// types do.
package pyobj

import "go.starlark.net/starlark"

// BindCached binds a method to its receiver once and keeps it in *cache:
// lock.acquire in a hot loop then costs no allocation. It returns nil for
// a name that is not a method, as HasAttrs.Attr wants.
func BindCached(cache *map[string]*starlark.Builtin, methods map[string]*starlark.Builtin, name string, recv starlark.Value) starlark.Value {
	if b, ok := (*cache)[name]; ok {
		return b
	}
	m, ok := methods[name]
	if !ok {
		return nil
	}
	if *cache == nil {
		*cache = make(map[string]*starlark.Builtin, 4)
	}
	b := m.BindReceiver(recv)
	(*cache)[name] = b
	return b
}
