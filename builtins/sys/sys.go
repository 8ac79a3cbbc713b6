package sys

import (
	"io"
	"math"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// New builds the module for one run.
func New(it *interp.Interp) *starlarkstruct.Module {
	var argv []starlark.Value
	for _, a := range it.Argv() {
		argv = append(argv, starlark.String(a))
	}
	s := it.Sched()
	return &starlarkstruct.Module{
		Name: "sys",
		Members: starlark.StringDict{
			"argv":     starlark.NewList(argv),
			"platform": starlark.String("linux"),
			"version":  starlark.String("3.11 (starlab: Starlark on go.starlark.net)"),
			"maxsize":  starlark.MakeInt64(math.MaxInt64),
			"stdout":   newStream("stdout", it.Stdout()),
			"stderr":   newStream("stderr", it.Stderr()),
			"exit": starlark.NewBuiltin("exit", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				var code starlark.Value = starlark.None
				if err := starlark.UnpackPositionalArgs("exit", args, kwargs, 0, &code); err != nil {
					return nil, err
				}
				return nil, interp.Raise(interp.NewException(interp.SystemExit, code))
			}),
			"getswitchinterval": starlark.NewBuiltin("getswitchinterval", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				if err := starlark.UnpackPositionalArgs("getswitchinterval", args, kwargs, 0); err != nil {
					return nil, err
				}
				return starlark.Float(s.SwitchInterval().Seconds()), nil
			}),
			"setswitchinterval": starlark.NewBuiltin("setswitchinterval", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				var x starlark.Value
				if err := starlark.UnpackPositionalArgs("setswitchinterval", args, kwargs, 1, &x); err != nil {
					return nil, err
				}
				interval, ok := starlark.AsFloat(x) // an int will do, as in Python
				if !ok {
					return nil, interp.Errorf(interp.TypeError, "must be real number, not %s", x.Type())
				}
				if !(interval > 0) || interval > pyarg.TimeoutMax {
					return nil, interp.Errorf(interp.ValueError, "switch interval must be strictly positive")
				}
				s.SetSwitchInterval(pyarg.SecondsToDuration(interval))
				return starlark.None, nil
			}),
		},
	}
}

// stream is sys.stdout / sys.stderr: write(s) and flush(), enough for
// print(..., file=sys.stderr) and sys.stdout.write.
type stream struct {
	name string
	w    io.Writer
}

func newStream(name string, w io.Writer) *stream { return &stream{name: name, w: w} }

func (s *stream) String() string {
	return "<_io.TextIOWrapper name='<" + s.name + ">' mode='w' encoding='utf-8'>"
}

func (s *stream) Type() string { return "TextIOWrapper" }

func (s *stream) Freeze() {}

func (s *stream) Truth() starlark.Bool { return true }

func (s *stream) Hash() (uint32, error) { return interp.IdentityHash(s), nil }

func (s *stream) AttrNames() []string { return []string{"flush", "name", "write"} }

func (s *stream) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String("<" + s.name + ">"), nil
	case "write":
		return starlark.NewBuiltin("write", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var text starlark.Value
			if err := starlark.UnpackPositionalArgs("write", args, kwargs, 1, &text); err != nil {
				return nil, err
			}
			str, ok := text.(starlark.String)
			if !ok {
				return nil, interp.Errorf(interp.TypeError, "write() argument must be str, not %s", text.Type())
			}
			io.WriteString(s.w, string(str))
			return starlark.MakeInt(len([]rune(string(str)))), nil
		}), nil
	case "flush":
		return starlark.NewBuiltin("flush", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs("flush", args, kwargs, 0); err != nil {
				return nil, err
			}
			return starlark.None, nil
		}), nil
	}
	return nil, nil
}
