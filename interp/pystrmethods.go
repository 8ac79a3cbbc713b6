package interp

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// Python's str methods that Starlark's strings lack, reached through
// __method__ (pypass.go). Widths count characters (code points), as
// Python's do, not bytes.

type strMethod func(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

var strMethods = map[string]strMethod{
	"format": func(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		out, err := strFormat(s, args, kwargs)
		return starlark.String(out), err
	},
	"center":   padMethod("center"),
	"ljust":    padMethod("ljust"),
	"rjust":    padMethod("rjust"),
	"zfill":    strZfill,
	"swapcase": noArgs("swapcase", strSwapcase),
	"casefold": noArgs("casefold", func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "ß", "ss") }),
	"encode":   strEncode,
	"expandtabs": func(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		tab := 8
		if err := starlark.UnpackArgs("expandtabs", args, kwargs, "tabsize?", &tab); err != nil {
			return nil, err
		}
		var b strings.Builder
		col := 0
		for _, r := range s {
			switch r {
			case '\t':
				if tab > 0 {
					n := tab - col%tab
					b.WriteString(strings.Repeat(" ", n))
					col += n
				}
			case '\n', '\r':
				b.WriteRune(r)
				col = 0
			default:
				b.WriteRune(r)
				col++
			}
		}
		return starlark.String(b.String()), nil
	},
	"isascii":      predicate("isascii", func(r rune) bool { return r < 128 }, true),
	"isdecimal":    predicate("isdecimal", unicode.IsDigit, false),
	"isnumeric":    predicate("isnumeric", unicode.IsNumber, false),
	"isprintable":  predicate("isprintable", func(r rune) bool { return unicode.IsPrint(r) }, true),
	"isidentifier": noArgsBool("isidentifier", func(s string) bool { return s != "" && isIdentUnicode(s) }),
}

func noArgs(name string, f func(string) string) strMethod {
	return func(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args)+len(kwargs) > 0 {
			return nil, Errorf(TypeError, "str.%s() takes no arguments (%d given)", name, len(args)+len(kwargs))
		}
		return starlark.String(f(s)), nil
	}
}

func noArgsBool(name string, f func(string) bool) strMethod {
	return func(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args)+len(kwargs) > 0 {
			return nil, Errorf(TypeError, "str.%s() takes no arguments (%d given)", name, len(args)+len(kwargs))
		}
		return starlark.Bool(f(s)), nil
	}
}

// predicate is an is...() method: true when every character satisfies ok
// (and, unless emptyOK, the string is not empty).
func predicate(name string, ok func(rune) bool, emptyOK bool) strMethod {
	return noArgsBool(name, func(s string) bool {
		if s == "" {
			return emptyOK
		}
		for _, r := range s {
			if !ok(r) {
				return false
			}
		}
		return true
	})
}

func isIdentUnicode(s string) bool {
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))) {
			return false
		}
	}
	return true
}

func strSwapcase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsUpper(r):
			return unicode.ToLower(r)
		case unicode.IsLower(r):
			return unicode.ToUpper(r)
		}
		return r
	}, s)
}

// widthArg reads an int width as Python does, with its error for other types.
func widthArg(v starlark.Value) (int, error) {
	n, ok := v.(starlark.Int)
	if !ok {
		return 0, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", PyTypeName(v))
	}
	w, _ := n.Int64()
	return int(w), nil
}

// padMethod is center, ljust or rjust(width, fillchar=" ").
func padMethod(name string) strMethod {
	return func(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var wv starlark.Value
		fill := " "
		if err := starlark.UnpackPositionalArgs(name, args, kwargs, 1, &wv, &fill); err != nil {
			return nil, err
		}
		width, err := widthArg(wv)
		if err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(fill) != 1 {
			return nil, Errorf(TypeError, "The fill character must be exactly one character long")
		}
		n := width - utf8.RuneCountInString(s)
		if n <= 0 {
			return starlark.String(s), nil
		}
		switch name {
		case "ljust":
			return starlark.String(s + strings.Repeat(fill, n)), nil
		case "rjust":
			return starlark.String(strings.Repeat(fill, n) + s), nil
		}
		// CPython's center: the odd space goes left when width is odd.
		left := n/2 + (n & width & 1)
		return starlark.String(strings.Repeat(fill, left) + s + strings.Repeat(fill, n-left)), nil
	}
}

func strZfill(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var wv starlark.Value
	if err := starlark.UnpackPositionalArgs("zfill", args, kwargs, 1, &wv); err != nil {
		return nil, err
	}
	width, err := widthArg(wv)
	if err != nil {
		return nil, err
	}
	n := width - utf8.RuneCountInString(s)
	if n <= 0 {
		return starlark.String(s), nil
	}
	sign := ""
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[:1], s[1:]
	}
	return starlark.String(sign + strings.Repeat("0", n) + s), nil
}

// strEncode is s.encode(encoding="utf-8", errors="strict").
func strEncode(s string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	encoding, errorsArg := "utf-8", "strict"
	if err := starlark.UnpackArgs("encode", args, kwargs, "encoding?", &encoding, "errors?", &errorsArg); err != nil {
		return nil, err
	}
	if err := checkEncoding(encoding); err != nil {
		return nil, err
	}
	if isASCII(encoding) {
		for i, r := range []rune(s) {
			if r > 127 {
				return nil, Errorf(UnicodeEncodeError, "'ascii' codec can't encode character %s in position %d: ordinal not in range(128)", asciiQuote(string(r)), i)
			}
		}
	}
	return Bytes(s), nil
}

// bytesDecode is b.decode(encoding="utf-8", errors="strict").
func bytesDecode(b string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	encoding, errorsArg := "utf-8", "strict"
	if err := starlark.UnpackArgs("decode", args, kwargs, "encoding?", &encoding, "errors?", &errorsArg); err != nil {
		return nil, err
	}
	if err := checkEncoding(encoding); err != nil {
		return nil, err
	}
	codec := "utf-8"
	if isASCII(encoding) {
		codec = "ascii"
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRuneInString(b[i:])
		if (r == utf8.RuneError && size == 1) || (codec == "ascii" && r > 127) {
			switch errorsArg {
			case "replace":
				return starlark.String(strings.ToValidUTF8(b, "\uFFFD")), nil
			case "ignore":
				return starlark.String(strings.ToValidUTF8(b, "")), nil
			}
			reason := "invalid start byte"
			switch c := b[i]; {
			case codec == "ascii":
				reason = "ordinal not in range(128)"
			case c >= 0xc2 && c <= 0xf4:
				need := 2
				if c >= 0xf0 {
					need = 4
				} else if c >= 0xe0 {
					need = 3
				}
				reason = "invalid continuation byte"
				if i+need > len(b) && !utf8.FullRuneInString(b[i:]) {
					reason = "unexpected end of data"
				}
			}
			return nil, Errorf(UnicodeDecodeError, "'%s' codec can't decode byte 0x%02x in position %d: %s", codec, b[i], i, reason)
		}
		i += size
	}
	return starlark.String(b), nil
}

// asciiQuote is Python's ascii(s): repr with every non-ASCII character
// escaped, as codec errors name the character ('\xe9').
func asciiQuote(s string) string {
	var b strings.Builder
	for _, r := range rtQuote([]byte(s), false) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}
