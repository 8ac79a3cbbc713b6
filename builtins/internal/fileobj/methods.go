package fileobj

import (
	"io"
	"unsafe"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
)

// The methods of a file object, as Python's io module names them: each reads
// its arguments with CPython's checks and words, then acts on the File.

func ioClose(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("close", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, ioOf(b).closeFile()
}

func ioFileno(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("fileno", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	if fd, ok := f.b.Fileno(); ok {
		return starlark.MakeInt(fd), nil
	}
	return nil, errUnsupported("fileno")
}

func ioFlush(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("flush", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.None, f.b.Err(f.b.Flush())
}

// sizeArg reads read(size=-1)'s argument: an int, or None for all.
func sizeArg(v starlark.Value) (int, error) {
	if v == starlark.None {
		return -1, nil
	}
	if i, ok := v.(starlark.Int); ok { // read(1 << 62) is not a TypeError
		n, err := pyarg.Index(i)
		if err != nil {
			return 0, err
		}
		return max(n, -1), nil // a negative size reads everything
	}
	n, err := pyarg.CInt(v)
	if err != nil {
		return 0, interp.Errorf(interp.TypeError, "argument should be integer or None, not '%s'", interp.PyTypeName(v))
	}
	if n < 0 {
		return -1, nil
	}
	return n, nil
}

// readArgs reads the optional size (or hint) of read, readline and
// readlines, and checks that the file is open for reading.
func readArgs(fn string, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (*File, int, error) {
	var size starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(fn, args, kwargs, 0, &size); err != nil {
		return nil, 0, err
	}
	n, err := sizeArg(size)
	if err != nil {
		return nil, 0, err
	}
	f := ioOf(b)
	if err := f.check(true, false); err != nil {
		return nil, 0, err
	}
	if o, ok := f.b.(*OSFile); ok && fn == "read" {
		// CPython allocates read(n)'s buffer first: MemoryError past the
		// budget, though starlab's reader grows it as the data comes.
		if err := o.it.Sched().CheckAlloc(int64(n), 1); err != nil {
			return nil, 0, err
		}
	}
	return f, n, nil
}

func ioRead(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, n, err := readArgs("read", b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return f.read(th, n)
}

func ioReadline(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, n, err := readArgs("readline", b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return f.readLine(th, n)
}

func ioReadlines(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, limit, err := readArgs("readlines", b, args, kwargs)
	if err != nil {
		return nil, err
	}
	var lines []starlark.Value
	total := 0
	for {
		line, err := f.readLine(th, -1)
		if err != nil {
			return nil, err
		}
		n := starlark.Len(line)
		if n == 0 {
			break
		}
		lines = append(lines, line)
		total += n
		if limit > 0 && total >= limit {
			break
		}
	}
	return starlark.NewList(lines), nil
}

func ioReadable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.Bool(f.canRead), nil
}

func ioWritable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.Bool(f.canWrite), nil
}

func ioSeekable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return starlark.Bool(f.seeker() != nil), nil
}

// dataArg checks write()'s argument against the file's mode and encodes it.
func (f *File) dataArg(v starlark.Value) ([]byte, int, error) {
	if f.binary {
		s, err := pyarg.Bytes(v)
		if err != nil {
			return nil, 0, err
		}
		return unsafe.Slice(unsafe.StringData(s), len(s)), len(s), nil
	}
	s, ok := v.(starlark.String)
	if !ok {
		return nil, 0, interp.Errorf(interp.TypeError, "write() argument must be str, not %s", interp.PyTypeName(v))
	}
	p, err := Encode(string(s), f.enc)
	if err != nil {
		return nil, 0, err
	}
	return p, len([]rune(string(s))), nil
}

func ioWrite(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data starlark.Value
	if err := starlark.UnpackPositionalArgs("write", args, kwargs, 1, &data); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, true); err != nil {
		return nil, err
	}
	p, n, err := f.dataArg(data)
	if err != nil {
		return nil, err
	}
	if err := f.write(th, p); err != nil {
		return nil, err
	}
	return starlark.MakeInt(n), nil
}

func ioWritelines(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lines starlark.Iterable
	if err := starlark.UnpackPositionalArgs("writelines", args, kwargs, 1, &lines); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, true); err != nil {
		return nil, err
	}
	iter := lines.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		p, _, err := f.dataArg(x)
		if err != nil {
			return nil, err
		}
		if err := f.write(th, p); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

func ioGetvalue(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getvalue", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	return interp.NewBytes(f.b.(*Mem).Bytes()), nil
}

// position is where the script is in an OS file: the OS offset, less what
// is read ahead, plus what is still to be written.
func (f *File) position() (int64, error) {
	sk := f.seeker()
	if err := f.b.Flush(); err != nil {
		return 0, f.b.Err(err)
	}
	pos, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, f.b.Err(err)
	}
	if f.r != nil {
		pos -= int64(f.r.buffered())
	}
	return pos, nil
}

func ioTell(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("tell", args, kwargs, 0); err != nil {
		return nil, err
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	if f.seeker() == nil {
		return nil, errUnsupported("underlying stream is not seekable")
	}
	pos, err := f.position()
	if err != nil {
		return nil, err
	}
	return starlark.MakeInt64(pos), nil
}

func ioSeek(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var offsetV starlark.Value
	var whence int
	if err := starlark.UnpackPositionalArgs("seek", args, kwargs, 1, &offsetV, &whence); err != nil {
		return nil, err
	}
	offsetI, ok := offsetV.(starlark.Int)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(offsetV))
	}
	offset, ok := offsetI.Int64()
	if !ok {
		return nil, interp.Errorf(interp.OverflowError, "Python int too large to convert to C long")
	}
	f := ioOf(b)
	if err := f.check(false, false); err != nil {
		return nil, err
	}
	if f.seeker() == nil {
		return nil, errUnsupported("underlying stream is not seekable")
	}
	if whence < 0 || whence > 2 {
		return nil, interp.Errorf(interp.ValueError, "invalid whence (%d, should be 0, 1 or 2)", whence)
	}
	if !f.binary && offset != 0 && whence != 0 {
		what := "cur"
		if whence == 2 {
			what = "end"
		}
		return nil, errUnsupported("can't do nonzero " + what + "-relative seeks")
	}
	if whence == 0 && offset < 0 {
		word := "negative"
		if !f.binary {
			word = "Negative"
		}
		return nil, interp.Errorf(interp.ValueError, "%s seek position %d", word, offset)
	}
	if whence == 1 {
		pos, err := f.position()
		if err != nil {
			return nil, err
		}
		offset, whence = pos+offset, 0
	} else if err := f.b.Flush(); err != nil {
		return nil, f.b.Err(err)
	}
	pos, err := f.seeker().Seek(offset, whence)
	if err != nil {
		return nil, f.b.Err(err)
	}
	if f.r != nil {
		f.r.reset()
	}
	return starlark.MakeInt64(pos), nil
}
