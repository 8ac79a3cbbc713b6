package interp

import (
	"encoding/hex"
	"strings"

	"go.starlark.net/starlark"
)

// The methods of Bytes, Python's, with Python's errors: an argument that
// must be bytes refuses a str ("a bytes-like object is required, not
// 'str'"), the lesson of str and bytes in Python 3.
var bytesMethods = map[string]*starlark.Builtin{
	"decode": starlark.NewBuiltin("decode", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return bytesDecode(string(b.Receiver().(Bytes)), args, kwargs)
	}),
	"split":      bytesSplit("split"),
	"rsplit":     bytesSplit("rsplit"),
	"strip":      bytesStrip("strip"),
	"lstrip":     bytesStrip("lstrip"),
	"rstrip":     bytesStrip("rstrip"),
	"startswith": bytesAffix("startswith", strings.HasPrefix),
	"endswith":   bytesAffix("endswith", strings.HasSuffix),
	"find":       bytesFind("find", strings.Index, false),
	"rfind":      bytesFind("rfind", strings.LastIndex, false),
	"index":      bytesFind("index", strings.Index, true),
	"rindex":     bytesFind("rindex", strings.LastIndex, true),
	"count": bytesMethod("count", func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var sub starlark.Value
		if err := starlark.UnpackPositionalArgs("count", args, kwargs, 1, &sub); err != nil {
			return nil, err
		}
		s, err := subArg(sub)
		if err != nil {
			return nil, err
		}
		return starlark.MakeInt(strings.Count(b, s)), nil
	}),
	"replace": bytesMethod("replace", func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var oldV, newV starlark.Value
		count := -1
		if err := starlark.UnpackPositionalArgs("replace", args, kwargs, 2, &oldV, &newV, &count); err != nil {
			return nil, err
		}
		o, err := bytesArg(oldV)
		if err != nil {
			return nil, err
		}
		n, err := bytesArg(newV)
		if err != nil {
			return nil, err
		}
		return Bytes(strings.Replace(b, o, n, count)), nil
	}),
	"join": bytesMethod("join", func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var it starlark.Iterable
		if err := starlark.UnpackPositionalArgs("join", args, kwargs, 1, &it); err != nil {
			return nil, Errorf(TypeError, "can only join an iterable")
		}
		var parts []string
		iter := it.Iterate()
		defer iter.Done()
		var x starlark.Value
		for i := 0; iter.Next(&x); i++ {
			s, ok := asBytesLike(x)
			if !ok {
				return nil, Errorf(TypeError, "sequence item %d: expected a bytes-like object, %s found", i, PyTypeName(x))
			}
			parts = append(parts, s)
		}
		return Bytes(strings.Join(parts, b)), nil
	}),
	"hex": bytesMethod("hex", func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		sep := ""
		if err := starlark.UnpackPositionalArgs("hex", args, kwargs, 0, &sep); err != nil {
			return nil, err
		}
		h := hex.EncodeToString([]byte(b))
		if sep == "" || len(b) < 2 {
			return starlark.String(h), nil
		}
		pairs := make([]string, len(b))
		for i := range pairs {
			pairs[i] = h[2*i : 2*i+2]
		}
		return starlark.String(strings.Join(pairs, sep)), nil
	}),
	"upper":      bytesMap("upper", asciiUpper),
	"lower":      bytesMap("lower", asciiLower),
	"isdigit":    bytesAll("isdigit", func(c byte) bool { return '0' <= c && c <= '9' }),
	"isalpha":    bytesAll("isalpha", func(c byte) bool { return asciiUpper(c) != asciiLower(c) }),
	"isspace":    bytesAll("isspace", isASCIISpace),
	"splitlines": bytesMethod("splitlines", bytesSplitlines),
	// elems is Starlark's spelling, kept for scripts written before.
	"elems": bytesMethod("elems", func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs("elems", args, kwargs, 0); err != nil {
			return nil, err
		}
		out := make([]starlark.Value, len(b))
		for i := range out {
			out[i] = starlark.MakeInt(int(b[i]))
		}
		return starlark.NewList(out), nil
	}),
}

func bytesMethod(name string, f func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
	return starlark.NewBuiltin(name, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		return f(string(b.Receiver().(Bytes)), args, kwargs)
	})
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func asciiUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 32
	}
	return c
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 32
	}
	return c
}

func bytesMap(name string, f func(byte) byte) *starlark.Builtin {
	return bytesMethod(name, func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
			return nil, err
		}
		out := []byte(b)
		for i := range out {
			out[i] = f(out[i])
		}
		return Bytes(out), nil
	})
}

func bytesAll(name string, ok func(byte) bool) *starlark.Builtin {
	return bytesMethod(name, func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0); err != nil {
			return nil, err
		}
		for i := 0; i < len(b); i++ {
			if !ok(b[i]) {
				return starlark.False, nil
			}
		}
		return starlark.Bool(len(b) > 0), nil
	})
}

// subArg is a subsequence argument: bytes, or an int for one byte.
func subArg(v starlark.Value) (string, error) {
	if n, ok := v.(starlark.Int); ok {
		k, ok := n.Int64()
		if !ok || k < 0 || k > 255 {
			return "", Errorf(ValueError, "byte must be in range(0, 256)")
		}
		return string([]byte{byte(k)}), nil
	}
	return bytesArg(v)
}

func bytesSplit(name string) *starlark.Builtin {
	return bytesMethod(name, func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var sepV starlark.Value = starlark.None
		maxsplit := -1
		if err := starlark.UnpackArgs(name, args, kwargs, "sep?", &sepV, "maxsplit?", &maxsplit); err != nil {
			return nil, err
		}
		var parts []string
		if sepV == starlark.None {
			parts = splitSpace(b, maxsplit, name == "rsplit")
		} else {
			sep, err := bytesArg(sepV)
			if err != nil {
				return nil, err
			}
			if sep == "" {
				return nil, Errorf(ValueError, "empty separator")
			}
			switch {
			case maxsplit < 0:
				parts = strings.Split(b, sep)
			case name == "split":
				parts = strings.SplitN(b, sep, maxsplit+1)
			default:
				parts = rsplitN(b, sep, maxsplit)
			}
		}
		out := make([]starlark.Value, len(parts))
		for i, p := range parts {
			out[i] = Bytes(p)
		}
		return starlark.NewList(out), nil
	})
}

func rsplitN(s, sep string, n int) []string {
	var rev []string
	for n != 0 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		rev = append(rev, s[i+len(sep):])
		s = s[:i]
		n--
	}
	out := []string{s}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// splitSpace is split() without a separator: runs of ASCII whitespace
// separate, none is kept at the ends, and the unsplit rest (after
// maxsplit splits) is kept as it is, as Python does.
func splitSpace(s string, maxsplit int, fromRight bool) []string {
	ws := func(c byte) bool { return isASCIISpace(c) }
	var parts []string
	if !fromRight {
		for i, count := 0, 0; ; count++ {
			for i < len(s) && ws(s[i]) {
				i++
			}
			if i >= len(s) {
				break
			}
			if maxsplit >= 0 && count == maxsplit {
				parts = append(parts, s[i:])
				break
			}
			j := i
			for j < len(s) && !ws(s[j]) {
				j++
			}
			parts = append(parts, s[i:j])
			i = j
		}
		return parts
	}
	for j, count := len(s), 0; ; count++ {
		for j > 0 && ws(s[j-1]) {
			j--
		}
		if j == 0 {
			break
		}
		if maxsplit >= 0 && count == maxsplit {
			parts = append([]string{s[:j]}, parts...)
			break
		}
		i := j
		for i > 0 && !ws(s[i-1]) {
			i--
		}
		parts = append([]string{s[i:j]}, parts...)
		j = i
	}
	return parts
}

func bytesStrip(name string) *starlark.Builtin {
	return bytesMethod(name, func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var charsV starlark.Value = starlark.None
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 0, &charsV); err != nil {
			return nil, err
		}
		chars := " \t\n\r\v\f"
		if charsV != starlark.None {
			var err error
			if chars, err = bytesArg(charsV); err != nil {
				return nil, err
			}
		}
		cut := func(r rune) bool { return strings.ContainsRune(chars, r) }
		switch name {
		case "lstrip":
			return Bytes(strings.TrimLeftFunc(b, cut)), nil
		case "rstrip":
			return Bytes(strings.TrimRightFunc(b, cut)), nil
		}
		return Bytes(strings.TrimFunc(b, cut)), nil
	})
}

func bytesAffix(name string, has func(s, affix string) bool) *starlark.Builtin {
	return bytesMethod(name, func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var x starlark.Value
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &x); err != nil {
			return nil, err
		}
		affixes := starlark.Tuple{x}
		if t, ok := x.(starlark.Tuple); ok {
			affixes = t
		}
		for _, a := range affixes {
			s, ok := asBytesLike(a)
			if !ok {
				return nil, Errorf(TypeError, "%s first arg must be bytes or a tuple of bytes, not %s", name, PyTypeName(a))
			}
			if has(b, s) {
				return starlark.True, nil
			}
		}
		return starlark.False, nil
	})
}

func bytesFind(name string, find func(s, sub string) int, raise bool) *starlark.Builtin {
	return bytesMethod(name, func(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var sub starlark.Value
		start, end := 0, len(b)
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &sub, &start, &end); err != nil {
			return nil, err
		}
		s, err := subArg(sub)
		if err != nil {
			return nil, err
		}
		start, end = clampIndex(start, len(b)), clampIndex(end, len(b))
		i := -1
		if start <= end {
			if i = find(b[start:end], s); i >= 0 {
				i += start
			}
		}
		if i < 0 && raise {
			return nil, Errorf(ValueError, "subsection not found")
		}
		return starlark.MakeInt(i), nil
	})
}

func clampIndex(i, n int) int {
	if i < 0 {
		i += n
	}
	return max(0, min(i, n))
}

func bytesSplitlines(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	keepends := false
	if err := starlark.UnpackArgs("splitlines", args, kwargs, "keepends?", &keepends); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for b != "" {
		i := strings.IndexAny(b, "\r\n")
		if i < 0 {
			out = append(out, Bytes(b))
			break
		}
		n := 1
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			n = 2
		}
		if keepends {
			out = append(out, Bytes(b[:i+n]))
		} else {
			out = append(out, Bytes(b[:i]))
		}
		b = b[i+n:]
	}
	return starlark.NewList(out), nil
}
