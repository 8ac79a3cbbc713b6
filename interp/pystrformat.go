package interp

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// This file is Python's format(x, spec) and str.format, over the
// formatting engine of pyformat.go.

// parseSpec parses a format spec: [[fill]align][sign][#][0][width][,|_][.precision][type].
func parseSpec(s string) (fmtSpec, error) {
	spec := fmtSpec{fill: ' ', width: -1, precision: -1}
	orig := s
	isAlign := func(c byte) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if r, size := utf8.DecodeRuneInString(s); size > 0 && size < len(s) && isAlign(s[size]) {
		spec.fill, spec.align, s = r, s[size], s[size+1:]
	} else if s != "" && isAlign(s[0]) {
		spec.align, s = s[0], s[1:]
	}
	if s != "" && (s[0] == '+' || s[0] == '-' || s[0] == ' ') {
		spec.sign, s = s[0], s[1:]
	}
	if s != "" && s[0] == '#' {
		spec.alt, s = true, s[1:]
	}
	if s != "" && s[0] == '0' {
		spec.zero, s = true, s[1:]
	}
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i > 0 {
		var err error
		if spec.width, err = strconv.Atoi(s[:i]); err != nil || spec.width > maxWidth {
			return spec, Errorf(ValueError, "Too many decimal digits in format string")
		}
		s = s[i:]
	}
	if s != "" && (s[0] == ',' || s[0] == '_') {
		spec.grouping, s = s[0], s[1:]
	}
	if s != "" && s[0] == '.' {
		i := 1
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == 1 {
			return spec, Errorf(ValueError, "Format specifier missing precision")
		}
		var err error
		if spec.precision, err = strconv.Atoi(s[1:i]); err != nil || spec.precision > maxWidth {
			return spec, Errorf(ValueError, "Too many decimal digits in format string")
		}
		s = s[i:]
	}
	if len(s) > 1 {
		return spec, Errorf(ValueError, "Invalid format specifier '%s' for object of type '%%s'", orig)
	}
	if s != "" {
		spec.conv = s[0]
	}
	return spec, nil
}

// formatValue is Python's format(x, spec).
func formatValue(x starlark.Value, specText string) (string, error) {
	spec, err := parseSpec(specText)
	if err != nil {
		if pe, ok := err.(*PyError); ok && strings.Contains(pe.Exc.Message(), "%s") {
			return "", Errorf(ValueError, "%s", strings.ReplaceAll(pe.Exc.Message(), "%s", PyTypeName(x)))
		}
		return "", err
	}
	unknown := func() error {
		return Errorf(ValueError, "Unknown format code '%c' for object of type '%s'", spec.conv, PyTypeName(x))
	}
	switch v := x.(type) {
	case starlark.Bool:
		if spec.conv == 0 {
			return formatValue(starlark.String(v.String()), specText)
		}
		return formatValue(starlark.MakeInt(map[bool]int{true: 1, false: 0}[bool(v)]), specText)
	case starlark.Int:
		switch spec.conv {
		case 0, 'd', 'n', 'b', 'o', 'x', 'X':
			if spec.precision >= 0 {
				return "", Errorf(ValueError, "Precision not allowed in integer format specifier")
			}
			return formatIntSpec(v.BigInt(), spec), nil
		case 'c':
			n, ok := v.Int64()
			if !ok || n < 0 || n > 0x10ffff {
				return "", Errorf(OverflowError, "%%c arg not in range(0x110000)")
			}
			return pad(string(rune(n)), spec), nil
		case 'e', 'E', 'f', 'F', 'g', 'G', '%':
			f, _ := asFloat(v)
			return formatFloatValue(f, spec), nil
		}
		return "", unknown()
	case starlark.Float:
		switch spec.conv {
		case 0, 'e', 'E', 'f', 'F', 'g', 'G', '%', 'n':
			return formatFloatValue(float64(v), spec), nil
		}
		return "", unknown()
	case starlark.String:
		switch spec.conv {
		case 0, 's':
		default:
			return "", unknown()
		}
		if spec.sign != 0 {
			return "", Errorf(ValueError, "Sign not allowed in string format specifier")
		}
		if spec.align == '=' {
			return "", Errorf(ValueError, "'=' alignment not allowed in string format specifier")
		}
		if spec.grouping != 0 {
			return "", Errorf(ValueError, "Cannot specify '%c' with 's'.", spec.grouping)
		}
		s := string(v)
		if spec.precision >= 0 {
			s = truncateRunes(s, spec.precision)
		}
		if spec.zero && spec.align == 0 {
			spec.fill = '0'
		}
		spec.align = orDefault(spec.align, '<')
		return pad(s, spec), nil
	}
	if specText == "" {
		return PyStr(x), nil
	}
	return "", Errorf(TypeError, "unsupported format string passed to %s.__format__", PyTypeName(x))
}

func formatFloatValue(f float64, spec fmtSpec) string {
	switch spec.conv {
	case 'n':
		spec.conv = 'g'
	case '%':
		f *= 100
	}
	if spec.precision < 0 && spec.conv != 0 {
		spec.precision = 6
	}
	return formatFloatSpec(f, spec)
}

// strFormat is Python's str.format(*args, **kwargs).
func strFormat(format string, args starlark.Tuple, kwargs []starlark.Tuple) (string, error) {
	kw := make(map[string]starlark.Value, len(kwargs))
	for _, kv := range kwargs {
		kw[string(kv[0].(starlark.String))] = kv[1]
	}
	auto := 0       // the next automatic field number ("{}")
	manual := false // a numbered field ("{0}") was seen: no automatic ones then
	return formatFields(format, args, kw, &auto, &manual, 2)
}

func formatFields(format string, args starlark.Tuple, kw map[string]starlark.Value, auto *int, manual *bool, depth int) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch c {
		case '}':
			if i+1 < len(format) && format[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", Errorf(ValueError, "Single '}' encountered in format string")
		case '{':
		default:
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		// Find the matching '}', allowing nested {} in the spec.
		level, j := 1, i+1
		for ; j < len(format) && level > 0; j++ {
			switch format[j] {
			case '{':
				level++
			case '}':
				level--
			}
		}
		if level > 0 {
			if strings.IndexByte(format[i+1:], '}') < 0 {
				return "", Errorf(ValueError, "Single '{' encountered in format string")
			}
			return "", Errorf(ValueError, "expected '}' before end of string")
		}
		field := format[i+1 : j-1]
		i = j - 1
		name, spec := field, ""
		if k := strings.IndexByte(field, ':'); k >= 0 {
			name, spec = field[:k], field[k+1:]
		}
		conv := byte(0)
		if k := strings.IndexByte(name, '!'); k >= 0 {
			if len(name) != k+2 {
				return "", Errorf(ValueError, "expected ':' after conversion specifier")
			}
			conv, name = name[k+1], name[:k]
		}
		v, err := lookupField(name, args, kw, auto, manual)
		if err != nil {
			return "", err
		}
		switch conv {
		case 0:
		case 'r', 'a':
			v = starlark.String(PyRepr(v))
		case 's':
			v = starlark.String(PyStr(v))
		default:
			return "", Errorf(ValueError, "Unknown conversion specifier %c", conv)
		}
		if strings.IndexByte(spec, '{') >= 0 {
			if depth == 0 {
				return "", Errorf(ValueError, "Max string recursion exceeded")
			}
			if spec, err = formatFields(spec, args, kw, auto, manual, depth-1); err != nil {
				return "", err
			}
		}
		s, err := formatValue(v, spec)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// lookupField resolves a field name: "" (the next argument), a number, or
// a keyword, followed by .attr or [key] parts.
func lookupField(name string, args starlark.Tuple, kw map[string]starlark.Value, auto *int, manual *bool) (starlark.Value, error) {
	first := name
	if k := strings.IndexAny(name, ".["); k >= 0 {
		first = name[:k]
	}
	rest := name[len(first):]
	var v starlark.Value
	switch n, err := strconv.Atoi(first); {
	case first == "":
		if *manual {
			return nil, Errorf(ValueError, "cannot switch from manual field specification to automatic field numbering")
		}
		if *auto >= len(args) {
			return nil, Errorf(IndexError, "Replacement index %d out of range for positional args tuple", *auto)
		}
		v = args[*auto]
		*auto++
	case err == nil:
		if *auto > 0 {
			return nil, Errorf(ValueError, "cannot switch from automatic field numbering to manual field specification")
		}
		*manual = true
		if n >= len(args) {
			return nil, Errorf(IndexError, "Replacement index %d out of range for positional args tuple", n)
		}
		v = args[n]
	default:
		var ok bool
		if v, ok = kw[first]; !ok {
			return nil, Raise(NewException(KeyError, starlark.String(first)))
		}
	}
	for rest != "" {
		if rest[0] == '.' {
			attr := rest[1:]
			if k := strings.IndexAny(attr, ".["); k >= 0 {
				attr, rest = attr[:k], attr[k:]
			} else {
				rest = ""
			}
			a, err := getAttr(v, attr)
			if err != nil {
				return nil, Errorf(AttributeError, "'%s' object has no attribute '%s'", PyTypeName(v), attr)
			}
			v = a
			continue
		}
		k := strings.IndexByte(rest, ']')
		if rest[0] != '[' || k < 0 {
			return nil, Errorf(ValueError, "Only '.' or '[' may follow ']' in format field specifier")
		}
		key := rest[1:k]
		rest = rest[k+1:]
		var kv starlark.Value = starlark.String(key)
		if n, err := strconv.Atoi(key); err == nil {
			kv = starlark.MakeInt(n)
		}
		item, err := getItem(v, kv)
		if err != nil {
			return nil, err
		}
		v = item
	}
	return v, nil
}

// getItem is v[key] for the mappings and sequences a format field indexes.
func getItem(v, key starlark.Value) (starlark.Value, error) {
	switch c := v.(type) {
	case starlark.Mapping:
		x, found, err := c.Get(key)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, Raise(NewException(KeyError, key))
		}
		return x, nil
	case starlark.Indexable:
		n, ok := key.(starlark.Int)
		if !ok {
			return nil, Errorf(TypeError, "%s indices must be integers or slices, not str", PyTypeName(v))
		}
		i, _ := n.Int64()
		if i < 0 || int(i) >= c.Len() {
			return nil, Errorf(IndexError, "%s index out of range", PyTypeName(v))
		}
		return c.Index(int(i)), nil
	}
	return nil, Errorf(TypeError, "'%s' object is not subscriptable", PyTypeName(v))
}
