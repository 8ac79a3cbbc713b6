package builtins

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// Files, for the file-transfer labs: open() with Python 3's modes and file
// objects (ioFile), and the os and os.path functions a transfer needs, with
// CPython's errors ("[Errno 2] No such file or directory: 'x.txt'"). Files
// are local and deterministic, so they work in sim mode too. A file left
// open is flushed and closed when the run ends.

// newOpenBuiltin is open(file, mode='r', buffering=-1, encoding=None,
// errors=None, newline=None).
func newOpenBuiltin(it *interp.Interp) *starlark.Builtin {
	return starlark.NewBuiltin("open", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var file starlark.Value
		mode := "r"
		buffering := -1
		var encoding, errorsArg, newline starlark.Value = starlark.None, starlark.None, starlark.None
		var closefd starlark.Value = starlark.True
		if err := starlark.UnpackArgs("open", args, kwargs, "file", &file, "mode?", &mode, "buffering?", &buffering,
			"encoding?", &encoding, "errors?", &errorsArg, "newline?", &newline, "closefd?", &closefd); err != nil {
			return nil, err
		}
		path, err := pathArg("open", file)
		if err != nil {
			return nil, err
		}
		return openFile(it, file, path, mode, encoding, newline)
	})
}

// pathArg reads a path argument: str or bytes.
func pathArg(fn string, v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Bytes:
		return string(v), nil
	}
	return "", interp.Errorf(interp.TypeError, "%s: path should be string, bytes or os.PathLike, not %s", fn, interp.PyTypeName(v))
}

func openFile(it *interp.Interp, name starlark.Value, path, mode string, encoding, newline starlark.Value) (starlark.Value, error) {
	var creating, reading, writing, appending, updating, text, binary bool
	for i, c := range mode {
		if strings.ContainsRune(mode[i+1:], c) || !strings.ContainsRune("xrwabt+", c) {
			return nil, interp.Errorf(interp.ValueError, "invalid mode: %s", interp.PyRepr(starlark.String(mode)))
		}
		switch c {
		case 'x':
			creating = true
		case 'r':
			reading = true
		case 'w':
			writing = true
		case 'a':
			appending = true
		case '+':
			updating = true
		case 't':
			text = true
		case 'b':
			binary = true
		}
	}
	if text && binary {
		return nil, interp.Errorf(interp.ValueError, "can't have text and binary mode at once")
	}
	n := 0
	for _, b := range []bool{creating, reading, writing, appending} {
		if b {
			n++
		}
	}
	if n != 1 {
		return nil, interp.Errorf(interp.ValueError, "must have exactly one of create/read/write/append mode")
	}
	if binary && encoding != starlark.None {
		return nil, interp.Errorf(interp.ValueError, "binary mode doesn't take an encoding argument")
	}
	if binary && newline != starlark.None {
		return nil, interp.Errorf(interp.ValueError, "binary mode doesn't take a newline argument")
	}
	encName, enc := "UTF-8", "utf-8"
	if encoding != starlark.None {
		s, ok := encoding.(starlark.String)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "open() argument 'encoding' must be str or None, not %s", interp.PyTypeName(encoding))
		}
		var known bool
		if enc, known = ioEncoding(string(s)); !known {
			return nil, interp.Errorf(interp.LookupError, "unknown encoding: %s (starlab supports utf-8, ascii and latin-1)", s)
		}
		encName = string(s)
	}
	translate := !binary
	if newline != starlark.None {
		s, ok := newline.(starlark.String)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "open() argument 'newline' must be str or None, not %s", interp.PyTypeName(newline))
		}
		switch s {
		case "", "\n", "\r", "\r\n":
			translate = false // lines end at "\n" only (newline='' also splits at a lone "\r" in CPython)
		default:
			return nil, interp.Errorf(interp.ValueError, "illegal newline value: %s", interp.PyRepr(s))
		}
	}

	flags := 0
	switch {
	case reading:
		flags = os.O_RDONLY
	case writing:
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	case appending:
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	case creating:
		flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	}
	if updating {
		flags = flags&^(os.O_RDONLY|os.O_WRONLY) | os.O_RDWR
	}
	osf, err := openFollowingFIFO(it, path, flags|syscall.O_CLOEXEC) // fifo.go: Ctrl-C ends a FIFO's open
	if err != nil {
		return nil, oserrFromGo(err, path)
	}
	st, err := osf.Stat()
	if err != nil {
		osf.Close()
		return nil, oserrFromGo(err, path)
	}
	if st.IsDir() {
		osf.Close()
		return nil, oserrRaise(syscall.EISDIR, path)
	}
	f := &ioFile{
		kind: ioOS, it: it, f: osf, regular: st.Mode().IsRegular(),
		name: name, mode: mode, binary: binary, enc: enc, encName: encName,
		canRead: reading || updating, canWrite: !reading || updating,
	}
	if _, ok := name.(starlark.Bytes); ok {
		f.name = starlark.Bytes(path)
	}
	switch {
	case !binary:
		f.typeName = "TextIOWrapper"
	case updating:
		f.typeName = "BufferedRandom"
	case reading:
		f.typeName = "BufferedReader"
	default:
		f.typeName = "BufferedWriter"
	}
	if f.canRead {
		f.r = &ioReader{chunk: ioChunk, translate: translate, fill: f.fillOS}
	}
	if f.canWrite {
		f.w = bufio.NewWriterSize(osf, ioChunk)
	}
	f.untrack = it.Track(func() {
		if f.w != nil {
			f.w.Flush()
		}
		osf.Close()
	})
	return &iterFile{f}, nil
}

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
	p, err := pathArg(b.Name(), v)
	return v, p, err
}

// pathResult returns s as the same type (str or bytes) as the argument.
func pathResult(like starlark.Value, s string) starlark.Value {
	if _, ok := like.(starlark.Bytes); ok {
		return starlark.Bytes(s)
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
	p, err := pathArg("listdir", v)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, oserrFromGo(err, p)
	}
	out := make([]starlark.Value, len(entries))
	for i, e := range entries {
		out[i] = pathResult(v, e.Name())
	}
	return starlark.NewList(out), nil
}

func osRemove(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	_, p, err := onePath(b, args, kwargs, "path")
	if err != nil {
		return nil, err
	}
	// unlink(2), as CPython: a directory gives EISDIR, not rmdir.
	if err := syscall.Unlink(p); err != nil {
		return nil, oserrFromGo(err, p)
	}
	return starlark.None, nil
}

func osRmdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	_, p, err := onePath(b, args, kwargs, "path")
	if err != nil {
		return nil, err
	}
	if err := syscall.Rmdir(p); err != nil {
		return nil, oserrFromGo(err, p)
	}
	return starlark.None, nil
}

func osMkdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	mode := 0o777
	if err := starlark.UnpackArgs("mkdir", args, kwargs, "path", &v, "mode?", &mode); err != nil {
		return nil, err
	}
	p, err := pathArg("mkdir", v)
	if err != nil {
		return nil, err
	}
	if err := syscall.Mkdir(p, uint32(mode)&0o7777); err != nil {
		return nil, oserrFromGo(err, p)
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
	p, err := pathArg("makedirs", v)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(p); err == nil {
		if existOK && st.IsDir() {
			return starlark.None, nil
		}
		return nil, oserrRaise(syscall.EEXIST, p)
	}
	if err := os.MkdirAll(p, fs.FileMode(mode)&fs.ModePerm); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path != p {
			return nil, oserrFromGo(err, pe.Path)
		}
		return nil, oserrFromGo(err, p)
	}
	return starlark.None, nil
}

func osRename(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src, dst starlark.Value
	if err := starlark.UnpackArgs("rename", args, kwargs, "src", &src, "dst", &dst); err != nil {
		return nil, err
	}
	s, err := pathArg("rename", src)
	if err != nil {
		return nil, err
	}
	d, err := pathArg("rename", dst)
	if err != nil {
		return nil, err
	}
	if err := syscall.Rename(s, d); err != nil {
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return nil, oserrRaise(errno, s, d)
		}
		return nil, oserrFromGo(err, s)
	}
	return starlark.None, nil
}

func osGetcwd(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getcwd", args, kwargs, 0); err != nil {
		return nil, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, oserrFromGo(err, "")
	}
	return starlark.String(wd), nil
}

// statPath is a predicate of os.path: False rather than an error when the
// path cannot be stat'ed, as in Python.
func statPath(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, pred func(fs.FileInfo) bool) (starlark.Value, error) {
	_, p, err := onePath(b, args, kwargs, "path")
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	return starlark.Bool(err == nil && pred(st)), nil
}

func osPathExists(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return statPath(b, args, kwargs, func(fs.FileInfo) bool { return true })
}

func osPathIsfile(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return statPath(b, args, kwargs, func(st fs.FileInfo) bool { return st.Mode().IsRegular() })
}

func osPathIsdir(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return statPath(b, args, kwargs, func(st fs.FileInfo) bool { return st.IsDir() })
}

func osPathGetsize(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	_, p, err := onePath(b, args, kwargs, "filename")
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, oserrFromGo(err, p)
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
		return nil, oserrFromGo(err, p)
	}
	if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
		abs = "/" + abs // POSIX keeps a leading "//", and so does posixpath.normpath
	}
	return pathResult(v, abs), nil
}
