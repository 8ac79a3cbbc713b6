package interp

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// Python's string formatting: the printf-style "%5.2f" % x (percent) and
// the format-spec mini-language of format(x, spec) and "{:>10}".format(x)
// (parseSpec and formatValue, pystrformat.go). Outputs and error messages
// are CPython 3.11's; the fidelity suite (testdata/fidelity/format*) runs
// both side by side.

// fmtSpec is a parsed format: the flags and fields both languages share.
type fmtSpec struct {
	fill      rune
	align     byte // '<', '>', '^', '=' or 0 (the type's default)
	sign      byte // '+', '-', ' ' or 0
	alt       bool // '#'
	zero      bool // '0'
	width     int  // -1: none
	grouping  byte // ',' or '_' or 0
	precision int  // -1: none
	conv      byte // the type letter, 0 for none
}

// maxWidth bounds a width or precision: CPython accepts up to 2**31-1 and
// then tries to allocate; starlab refuses what would not fit in memory.
const maxWidth = 1 << 20

// percent is fmt % args, as Python's str.__mod__.
func percent(format string, args starlark.Value) (starlark.Value, error) {
	var tuple starlark.Tuple
	mapping, isMapping := args.(starlark.Mapping)
	if t, ok := args.(starlark.Tuple); ok {
		tuple = t
	} else {
		tuple = starlark.Tuple{args}
	}
	if _, isStr := args.(starlark.String); isStr {
		isMapping = false
	}
	next := 0
	nextArg := func() (starlark.Value, error) {
		if next >= len(tuple) {
			return nil, Errorf(TypeError, "not enough arguments for format string")
		}
		next++
		return tuple[next-1], nil
	}
	usedMapping := false
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		start := i
		i++
		if i >= len(format) {
			return nil, Errorf(ValueError, "incomplete format")
		}
		var arg starlark.Value
		if format[i] == '(' {
			if !isMapping {
				return nil, Errorf(TypeError, "format requires a mapping")
			}
			depth, j := 1, i+1
			for ; j < len(format) && depth > 0; j++ {
				switch format[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return nil, Errorf(ValueError, "incomplete format key")
			}
			key := starlark.String(format[i+1 : j-1])
			v, found, err := mapping.Get(key)
			if err != nil {
				return nil, err
			}
			if !found {
				return nil, Raise(NewException(KeyError, key))
			}
			arg, usedMapping, i = v, true, j
		}
		spec := fmtSpec{width: -1, precision: -1, fill: ' '}
		for ; i < len(format) && strings.IndexByte("-+ #0", format[i]) >= 0; i++ {
			switch format[i] {
			case '-':
				spec.align = '<'
			case '+':
				spec.sign = '+'
			case ' ':
				if spec.sign == 0 {
					spec.sign = ' '
				}
			case '#':
				spec.alt = true
			case '0':
				spec.zero = true
			}
		}
		readNum := func() (int, error) {
			if i < len(format) && format[i] == '*' {
				i++
				v, err := nextArg()
				if err != nil {
					return 0, err
				}
				n, ok := v.(starlark.Int)
				if !ok {
					return 0, Errorf(TypeError, "* wants int")
				}
				k, _ := n.Int64()
				if k > maxWidth || k < -maxWidth {
					return 0, Errorf(ValueError, "width too big")
				}
				return int(k), nil
			}
			j := i
			for i < len(format) && '0' <= format[i] && format[i] <= '9' {
				i++
			}
			if j == i {
				return -1, nil
			}
			n, err := strconv.Atoi(format[j:i])
			if err != nil || n > maxWidth {
				return 0, Errorf(ValueError, "width too big")
			}
			return n, nil
		}
		var err error
		if spec.width, err = readNum(); err != nil {
			return nil, err
		}
		if spec.width < -1 { // "%*d" % (-5, x) left-aligns, as in C
			spec.width, spec.align = -spec.width, '<'
		}
		if i < len(format) && format[i] == '.' {
			i++
			if spec.precision, err = readNum(); err != nil {
				return nil, err
			}
			spec.precision = max(spec.precision, 0)
		}
		for i < len(format) && strings.IndexByte("hlL", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			return nil, Errorf(ValueError, "incomplete format")
		}
		conv := format[i]
		if conv == '%' {
			b.WriteByte('%')
			continue
		}
		if arg == nil {
			if arg, err = nextArg(); err != nil {
				return nil, err
			}
		}
		s, err := percentOne(conv, arg, spec, format, start, i)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	if next < len(tuple) && !usedMapping && !(isMapping && next == 0) {
		return nil, Errorf(TypeError, "not all arguments converted during string formatting")
	}
	return starlark.String(b.String()), nil
}

// percentOne formats one argument of a % conversion.
func percentOne(conv byte, arg starlark.Value, spec fmtSpec, format string, start, i int) (string, error) {
	if spec.align == '<' {
		spec.zero = false
	}
	if spec.zero {
		spec.fill, spec.align = '0', '='
	}
	switch conv {
	case 's', 'r', 'a':
		s := PyStr(arg)
		if conv != 's' {
			s = PyRepr(arg)
		}
		if spec.precision >= 0 {
			s = truncateRunes(s, spec.precision)
		}
		spec.align = orDefault(spec.align, '>')
		if spec.align == '=' {
			spec.align, spec.fill = '>', ' '
		}
		return pad(s, spec), nil
	case 'd', 'i', 'u', 'o', 'x', 'X':
		n, ok := asBigInt(arg, conv == 'd' || conv == 'i' || conv == 'u')
		if !ok {
			what := "a real number"
			if conv == 'o' || conv == 'x' || conv == 'X' {
				what = "an integer"
			}
			return "", Errorf(TypeError, "%%%c format: %s is required, not %s", conv, what, PyTypeName(arg))
		}
		if conv == 'i' || conv == 'u' {
			conv = 'd'
		}
		spec.conv = conv
		if spec.precision >= 0 { // %.3d: at least 3 digits
			digits := intDigits(new(big.Int).Abs(n), conv)
			if len(digits) < spec.precision {
				digits = strings.Repeat("0", spec.precision-len(digits)) + digits
			}
			return pad(signed(n.Sign() < 0, altPrefix(conv, spec.alt))+digits, spec), nil
		}
		return formatIntSpec(n, spec), nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		f, ok := asFloat(arg)
		if !ok {
			return "", Errorf(TypeError, "must be real number, not %s", PyTypeName(arg))
		}
		spec.conv = conv
		if spec.precision < 0 {
			spec.precision = 6
		}
		return formatFloatSpec(f, spec), nil
	case 'c':
		var s string
		switch v := arg.(type) {
		case starlark.Int:
			n, ok := v.Int64()
			if !ok || n < 0 || n > 0x10ffff {
				return "", Errorf(OverflowError, "%%c arg not in range(0x110000)")
			}
			s = string(rune(n))
		case starlark.String:
			if utf8.RuneCountInString(string(v)) != 1 {
				return "", Errorf(TypeError, "%%c requires int or char")
			}
			s = string(v)
		default:
			return "", Errorf(TypeError, "%%c requires int or char")
		}
		spec.align = orDefault(spec.align, '>')
		return pad(s, spec), nil
	}
	r, _ := utf8.DecodeRuneInString(format[i:])
	return "", Errorf(ValueError, "unsupported format character '%c' (0x%x) at index %d", r, r, i)
}

func orDefault(b, def byte) byte {
	if b == 0 {
		return def
	}
	return b
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// asBigInt converts an int, a bool, or (when truncate) a float, as
// Python's %d does.
func asBigInt(v starlark.Value, truncate bool) (*big.Int, bool) {
	switch v := v.(type) {
	case starlark.Int:
		return v.BigInt(), true
	case starlark.Bool:
		if v {
			return big.NewInt(1), true
		}
		return big.NewInt(0), true
	case starlark.Float:
		if !truncate || math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, false
		}
		n, _ := big.NewFloat(math.Trunc(float64(v))).Int(nil)
		return n, true
	}
	return nil, false
}

func asFloat(v starlark.Value) (float64, bool) {
	switch v := v.(type) {
	case starlark.Float:
		return float64(v), true
	case starlark.Int:
		f, _ := v.BigInt().Float64()
		return f, true
	case starlark.Bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// intDigits writes n (not negative) in the base of conv.
func intDigits(n *big.Int, conv byte) string {
	switch conv {
	case 'x':
		return n.Text(16)
	case 'X':
		return strings.ToUpper(n.Text(16))
	case 'o':
		return n.Text(8)
	case 'b':
		return n.Text(2)
	}
	return n.Text(10)
}

func altPrefix(conv byte, alt bool) string {
	if !alt {
		return ""
	}
	switch conv {
	case 'x':
		return "0x"
	case 'X':
		return "0X"
	case 'o':
		return "0o"
	case 'b':
		return "0b"
	}
	return ""
}

func signed(neg bool, prefix string) string {
	if neg {
		return "-" + prefix
	}
	return prefix
}

// formatIntSpec formats n with the flags, width, grouping and type of spec.
func formatIntSpec(n *big.Int, spec fmtSpec) string {
	conv := spec.conv
	if conv == 0 || conv == 'n' {
		conv = 'd'
	}
	digits := intDigits(new(big.Int).Abs(n), conv)
	if spec.grouping != 0 {
		every := 3
		if conv != 'd' {
			every = 4
		}
		digits = group(digits, spec.grouping, every)
	}
	return padNumber(n.Sign() < 0, altPrefix(conv, spec.alt), digits, spec)
}

// formatFloatSpec formats f as %e, %f, %g (or their capitals), or with no
// type (format(x, ".3")), the precision already decided.
func formatFloatSpec(f float64, spec fmtSpec) string {
	neg := math.Signbit(f) && !math.IsNaN(f)
	a := math.Abs(f)
	var digits string
	upper := spec.conv == 'E' || spec.conv == 'F' || spec.conv == 'G'
	switch {
	case math.IsInf(a, 0):
		digits = "inf"
	case math.IsNaN(a):
		digits = "nan"
	default:
		switch spec.conv {
		case 'e', 'E':
			digits = strconv.FormatFloat(a, 'e', spec.precision, 64)
		case 'f', 'F', '%':
			digits = strconv.FormatFloat(a, 'f', spec.precision, 64)
		case 'g', 'G':
			digits = formatG(a, spec.precision, spec.alt)
		default: // no type: repr, or 'g' that keeps a decimal point
			if spec.precision < 0 {
				digits = pyFloatRepr(a)
			} else {
				digits = formatG(a, max(spec.precision, 1), false)
				if !strings.ContainsAny(digits, ".e") {
					digits += ".0"
				}
			}
		}
		if spec.grouping != 0 {
			intPart, rest := digits, ""
			if k := strings.IndexAny(digits, ".e"); k >= 0 {
				intPart, rest = digits[:k], digits[k:]
			}
			digits = group(intPart, spec.grouping, 3) + rest
		}
	}
	if upper {
		digits = strings.ToUpper(digits)
	}
	if spec.conv == '%' {
		digits += "%"
	}
	return padNumber(neg, "", digits, spec)
}

// formatG is C's %g, which Python's follows: exponent form when the
// exponent is < -4 or >= precision, trailing zeros removed unless alt.
func formatG(a float64, precision int, alt bool) string {
	if precision == 0 {
		precision = 1
	}
	s := strconv.FormatFloat(a, 'g', precision, 64)
	if alt && !strings.Contains(s, ".") {
		s += "."
	}
	return s
}

// pyFloatRepr is repr(float): the shortest text that reads back, with a
// ".0" on integral values and Python's exponent rule (1e+16, 1e-05).
func pyFloatRepr(a float64) string {
	exp := 0
	if a != 0 {
		exp = int(math.Floor(math.Log10(a)))
	}
	if exp < -4 || exp >= 16 {
		return strconv.FormatFloat(a, 'e', -1, 64)
	}
	s := strconv.FormatFloat(a, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// group inserts sep every `every` digits from the right.
func group(digits string, sep byte, every int) string {
	if len(digits) <= every {
		return digits
	}
	var b strings.Builder
	first := len(digits) % every
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += every {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(digits[i : i+every])
	}
	return b.String()
}

// padNumber puts the sign and prefix in front of digits and pads to the
// width: '=' (and the 0 flag) pads between sign and digits.
func padNumber(neg bool, prefix, digits string, spec fmtSpec) string {
	sign := ""
	switch {
	case neg:
		sign = "-"
	case spec.sign == '+':
		sign = "+"
	case spec.sign == ' ':
		sign = " "
	}
	if spec.zero && spec.align == 0 {
		spec.fill, spec.align = '0', '='
	}
	spec.align = orDefault(spec.align, '>')
	if spec.align == '=' {
		n := spec.width - utf8.RuneCountInString(sign+prefix+digits)
		if n > 0 {
			if spec.fill == '0' && spec.grouping != 0 && !strings.ContainsAny(digits, "infa") {
				return sign + prefix + zeroGroup(digits, spec.width-len(sign+prefix), spec.grouping)
			}
			return sign + prefix + strings.Repeat(string(spec.fill), n) + digits
		}
		return sign + prefix + digits
	}
	return pad(sign+prefix+digits, spec)
}

// zeroGroup pads grouped digits with zeros to width, grouping the zeros
// too, as format(1234, "010,") gives 00,001,234.
func zeroGroup(digits string, width int, sep byte) string {
	intPart, rest := digits, ""
	if k := strings.IndexAny(digits, ".e%"); k >= 0 {
		intPart, rest = digits[:k], digits[k:]
	}
	raw := strings.ReplaceAll(intPart, string(sep), "")
	n := len(raw) // the fewest digits whose grouped text fills the width
	for n+(n-1)/3+len(rest) < width {
		n++
	}
	return group(strings.Repeat("0", n-len(raw))+raw, sep, 3) + rest
}

// pad aligns s in spec.width with spec.fill.
func pad(s string, spec fmtSpec) string {
	n := spec.width - utf8.RuneCountInString(s)
	if n <= 0 {
		return s
	}
	fill := string(spec.fill)
	switch spec.align {
	case '<':
		return s + strings.Repeat(fill, n)
	case '^':
		return strings.Repeat(fill, n/2) + s + strings.Repeat(fill, n-n/2)
	}
	return strings.Repeat(fill, n) + s
}
