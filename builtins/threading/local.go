package threading

import (
	"sort"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// local is threading.local(): an object whose attributes are per thread. A
// thread sees only what it set itself; another thread starts with none.
//
// Attr and SetField are not given the calling thread; but only the baton
// holder runs Starlark code, so the caller is the scheduler's holder.
// Attributes of a thread that ended are dropped when it is next touched.
type local struct {
	sched *interp.Scheduler
	attrs map[*interp.Thread]map[string]starlark.Value
}

var _ starlark.HasSetField = (*local)(nil)

func (m *threadingModule) newLocal(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 || len(kwargs) > 0 {
		return nil, interp.Errorf(interp.TypeError, "Initialization arguments are not supported")
	}
	return &local{sched: m.it.Sched(), attrs: make(map[*interp.Thread]map[string]starlark.Value)}, nil
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
	return l.attrs[l.sched.Holder()][name], nil
}

// AttrNames lists the calling thread's attributes (dir, hasattr, hints).
func (l *local) AttrNames() []string {
	mine := l.attrs[l.sched.Holder()]
	names := make([]string, 0, len(mine))
	for k := range mine {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func (l *local) SetField(name string, v starlark.Value) error {
	t := l.sched.Holder()
	mine := l.attrs[t]
	if mine == nil {
		for other := range l.attrs {
			if !other.Alive() {
				delete(l.attrs, other) // a thread that ended keeps nothing alive
			}
		}
		mine = make(map[string]starlark.Value)
		l.attrs[t] = mine
	}
	mine[name] = v
	return nil
}
