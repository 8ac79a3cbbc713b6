package os

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// addFileFunctions adds to the os module what file transfers need:
// os.path, listdir, remove, makedirs, ...
func addFileFunctions(osModule *starlarkstruct.Module) {
	fn := func(name string, f func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) {
		osModule.Members[name] = starlark.NewBuiltin(name, f)
	}
	fn("listdir", osListdir)
	fn("remove", osRemove)
	fn("unlink", osRemove)
	fn("makedirs", osMakedirs)
	fn("mkdir", osMkdir)
	fn("rmdir", osRmdir)
	fn("rename", osRename)
	fn("getcwd", osGetcwd)
	osModule.Members["path"] = &starlarkstruct.Module{
		Name: "posixpath",
		Members: starlark.StringDict{
			"exists":   starlark.NewBuiltin("exists", osPathExists),
			"isfile":   starlark.NewBuiltin("isfile", osPathIsfile),
			"isdir":    starlark.NewBuiltin("isdir", osPathIsdir),
			"getsize":  starlark.NewBuiltin("getsize", osPathGetsize),
			"join":     starlark.NewBuiltin("join", osPathJoin),
			"basename": starlark.NewBuiltin("basename", osPathBasename),
			"dirname":  starlark.NewBuiltin("dirname", osPathDirname),
			"split":    starlark.NewBuiltin("split", osPathSplit),
			"splitext": starlark.NewBuiltin("splitext", osPathSplitext),
			"abspath":  starlark.NewBuiltin("abspath", osPathAbspath),
			"sep":      starlark.String("/"),
		},
	}
}

// onePath unpacks a function's single path argument.
func onePath(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, param string) (starlark.Value, string, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, param, &v); err != nil {
		return nil, "", err
	}
	p, err := pyarg.Path(b.Name(), v)
	return v, p, err
}

// osPath is onePath for a path the OS will see: confined (confine.go).
func osPath(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, param string, write bool) (string, error) {
	_, p, err := onePath(b, args, kwargs, param)
	if err != nil {
		return p, err
	}
	return confined(th, p, write)
}

// pathResult returns s as the same type (str or bytes) as the argument.
func pathResult(like starlark.Value, s string) starlark.Value {
	if _, ok := interp.AsBytes(like); ok {
		return interp.Bytes(s)
	}
	return starlark.String(s)
}

func osListdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value = starlark.String(".")
	if err := starlark.UnpackArgs("listdir", args, kwargs, "path?", &v); err != nil {
		return nil, err
	}
	if v == starlark.None {
		v = starlark.String(".")
	}
	p, err := pyarg.Path("listdir", v)
	if err != nil {
		return nil, err
	}
	if p, err = confined(th, p, false); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, oserr.FromGo(err, p)
	}
	out := make([]starlark.Value, len(entries))
	for i, e := range entries {
		out[i] = pathResult(v, e.Name())
	}
	return starlark.NewList(out), nil
}

func osRemove(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p, err := osPath(th, b, args, kwargs, "path", true)
	if err != nil {
		return nil, err
	}
	// unlink(2), as CPython: a directory gives EISDIR, not rmdir.
	if err := syscall.Unlink(p); err != nil {
		return nil, oserr.FromGo(err, p)
	}
	return starlark.None, nil
}

func osRmdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p, err := osPath(th, b, args, kwargs, "path", true)
	if err != nil {
		return nil, err
	}
	if err := syscall.Rmdir(p); err != nil {
		return nil, oserr.FromGo(err, p)
	}
	return starlark.None, nil
}

func osMkdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	mode := 0o777
	if err := starlark.UnpackArgs("mkdir", args, kwargs, "path", &v, "mode?", &mode); err != nil {
		return nil, err
	}
	p, err := pyarg.Path("mkdir", v)
	if err != nil {
		return nil, err
	}
	if p, err = confined(th, p, true); err != nil {
		return nil, err
	}
	if err := syscall.Mkdir(p, uint32(mode)&0o7777); err != nil {
		return nil, oserr.FromGo(err, p)
	}
	return starlark.None, nil
}

// osMakedirs is os.makedirs(name, mode=0o777, exist_ok=False).
func osMakedirs(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	mode := 0o777
	existOK := false
	if err := starlark.UnpackArgs("makedirs", args, kwargs, "name", &v, "mode?", &mode, "exist_ok?", &existOK); err != nil {
		return nil, err
	}
	p, err := pyarg.Path("makedirs", v)
	if err != nil {
		return nil, err
	}
	if p, err = confined(th, p, true); err != nil {
		return nil, err
	}
	if st, err := os.Stat(p); err == nil {
		if existOK && st.IsDir() {
			return starlark.None, nil
		}
		return nil, oserr.Raise(syscall.EEXIST, p)
	}
	if err := os.MkdirAll(p, fs.FileMode(mode)&fs.ModePerm); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path != p {
			return nil, oserr.FromGo(err, pe.Path)
		}
		return nil, oserr.FromGo(err, p)
	}
	return starlark.None, nil
}

func osRename(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src, dst starlark.Value
	if err := starlark.UnpackArgs("rename", args, kwargs, "src", &src, "dst", &dst); err != nil {
		return nil, err
	}
	s, err := pyarg.Path("rename", src)
	if err != nil {
		return nil, err
	}
	if s, err = confined(th, s, true); err != nil {
		return nil, err
	}
	d, err := pyarg.Path("rename", dst)
	if err != nil {
		return nil, err
	}
	if d, err = confined(th, d, true); err != nil {
		return nil, err
	}
	if err := syscall.Rename(s, d); err != nil {
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return nil, oserr.Raise(errno, s, d)
		}
		return nil, oserr.FromGo(err, s)
	}
	return starlark.None, nil
}

func osGetcwd(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getcwd", args, kwargs, 0); err != nil {
		return nil, err
	}
	wd, err := interp.ConfinementOf(th).Getwd()
	if err != nil {
		return nil, oserr.FromGo(err, "")
	}
	return starlark.String(wd), nil
}

// statPath is a predicate of os.path: False rather than an error when the
// path cannot be stat'ed, as in Python.
func statPath(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, pred func(fs.FileInfo) bool) (starlark.Value, error) {
	_, p, err := onePath(b, args, kwargs, "path")
	if err != nil {
		return nil, err
	}
	if p, err = confined(th, p, false); err != nil {
		return starlark.False, nil // outside a graded run's folder: as if it could not be stat'ed
	}
	st, err := os.Stat(p)
	return starlark.Bool(err == nil && pred(st)), nil
}

func osPathExists(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return statPath(th, b, args, kwargs, func(fs.FileInfo) bool { return true })
}

func osPathIsfile(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return statPath(th, b, args, kwargs, func(st fs.FileInfo) bool { return st.Mode().IsRegular() })
}

func osPathIsdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return statPath(th, b, args, kwargs, func(st fs.FileInfo) bool { return st.IsDir() })
}

func osPathGetsize(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p, err := osPath(th, b, args, kwargs, "filename", false)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, oserr.FromGo(err, p)
	}
	return starlark.MakeInt64(st.Size()), nil
}

// osPathJoin is posixpath.join: an absolute part starts over.
func osPathJoin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, interp.Errorf(interp.TypeError, "join() takes no keyword arguments")
	}
	if len(args) == 0 {
		return nil, interp.Errorf(interp.TypeError, "join() missing 1 required positional argument: 'a'")
	}
	var path string
	for i, a := range args {
		var s string
		switch a := a.(type) {
		case starlark.String:
			s = string(a)
		case starlark.Bytes:
			s = string(a)
		case interp.Bytes:
			s = string(a)
		default:
			return nil, interp.Errorf(interp.TypeError, "join() argument must be str, bytes, or os.PathLike object, not '%s'", interp.PyTypeName(a))
		}
		if i > 0 && a.Type() != args[0].Type() {
			return nil, interp.Errorf(interp.TypeError, "Can't mix strings and bytes in path components")
		}
		switch {
		case i == 0:
			path = s
		case strings.HasPrefix(s, "/"):
			path = s
		case path == "" || strings.HasSuffix(path, "/"):
			path += s
		default:
			path += "/" + s
		}
	}
	return pathResult(args[0], path), nil
}

// splitPath is posixpath.split: (head, tail), head without trailing
// slashes unless it is all slashes.
func splitPath(p string) (string, string) {
	i := strings.LastIndexByte(p, '/') + 1
	head, tail := p[:i], p[i:]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head, tail
}

func osPathBasename(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, p, err := onePath(b, args, kwargs, "p")
	if err != nil {
		return nil, err
	}
	_, tail := splitPath(p)
	return pathResult(v, tail), nil
}

func osPathDirname(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, p, err := onePath(b, args, kwargs, "p")
	if err != nil {
		return nil, err
	}
	head, _ := splitPath(p)
	return pathResult(v, head), nil
}

func osPathSplit(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, p, err := onePath(b, args, kwargs, "p")
	if err != nil {
		return nil, err
	}
	head, tail := splitPath(p)
	return starlark.Tuple{pathResult(v, head), pathResult(v, tail)}, nil
}

// osPathSplitext is posixpath.splitext: leading dots of the name are not an
// extension (".bashrc" has none).
func osPathSplitext(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, p, err := onePath(b, args, kwargs, "p")
	if err != nil {
		return nil, err
	}
	sep := strings.LastIndexByte(p, '/')
	dot := strings.LastIndexByte(p, '.')
	if dot > sep {
		// The name must have a non-dot before the last dot.
		for i := sep + 1; i < dot; i++ {
			if p[i] != '.' {
				return starlark.Tuple{pathResult(v, p[:dot]), pathResult(v, p[dot:])}, nil
			}
		}
	}
	return starlark.Tuple{pathResult(v, p), pathResult(v, "")}, nil
}

func osPathAbspath(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	v, p, err := onePath(b, args, kwargs, "path")
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, oserr.FromGo(err, p)
	}
	if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
		abs = "/" + abs // POSIX keeps a leading "//", and so does posixpath.normpath
	}
	return pathResult(v, abs), nil
}
