package builtins

import (
	"bytes"
	"runtime"
	"sort"
	"strconv"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// local is threading.local(): an object whose attributes are per thread. A
// thread sees only what it set itself; another thread starts with none.
//
// Attr and SetField are not given the calling thread, so local finds it by
// its goroutine: every starlab thread runs on a goroutine of its own for its
// whole life, and only the baton holder runs Starlark code. (The interp
// package does not export the baton holder yet; once it does, key by the
// *interp.Thread instead, drop goroutineID, and forget the attributes of
// threads that ended; until then they stay as long as the local object.)
type local struct {
	attrs map[uint64]map[string]starlark.Value // goroutine → its attributes
}

var _ starlark.HasSetField = (*local)(nil)

func (m *threadingModule) newLocal(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 || len(kwargs) > 0 {
		return nil, interp.Errorf(interp.TypeError, "Initialization arguments are not supported")
	}
	return &local{attrs: make(map[uint64]map[string]starlark.Value)}, nil
}

func (l *local) String() string        { return "<_thread._local object>" }
func (l *local) Type() string          { return "_thread._local" }
func (l *local) Freeze()               {}
func (l *local) Truth() starlark.Bool  { return true }
func (l *local) Hash() (uint32, error) { return interp.IdentityHash(l), nil }

// Attr returns the calling thread's attribute. A missing one is (nil, nil),
// which the runtime reports as CPython does:
// '_thread._local' object has no attribute 'x'.
func (l *local) Attr(name string) (starlark.Value, error) {
	return l.attrs[goroutineID()][name], nil
}

// AttrNames lists the calling thread's attributes (dir, hasattr, hints).
func (l *local) AttrNames() []string {
	mine := l.attrs[goroutineID()]
	names := make([]string, 0, len(mine))
	for k := range mine {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func (l *local) SetField(name string, v starlark.Value) error {
	g := goroutineID()
	mine := l.attrs[g]
	if mine == nil {
		mine = make(map[string]starlark.Value)
		l.attrs[g] = mine
	}
	mine[name] = v
	return nil
}

// goroutineID returns the calling goroutine's id, read from the first line of
// its stack trace ("goroutine 42 [running]:").
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b, _ = bytes.CutPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}
