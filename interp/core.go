package interp

import (
	"bufio"
	"errors"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// coreBuiltins are the globals that belong to the run itself rather than to
// a module: print and input use the run's stdio; str and repr print values
// the way Python does (['a'], not ["a"]) so output matches the course's.
//
// Python's type names (int, str, ...) are classes (pytypes.go), the other
// built-ins Starlark lacks are in pybuiltins.go, and the hooks of the syntax
// pass in pyhooks.go.
func (it *Interp) coreBuiltins() starlark.StringDict {
	d := starlark.StringDict{
		"print": starlark.NewBuiltin("print", it.builtinPrint),
		"input": starlark.NewBuiltin("input", it.builtinInput),
		"str":   starlark.NewBuiltin("str", builtinStr),
		"repr":  starlark.NewBuiltin("repr", builtinRepr),
		"bytes": starlark.NewBuiltin("bytes", builtinBytes),
		"sum":   starlark.NewBuiltin("sum", builtinSum),
		"round": starlark.NewBuiltin("round", builtinRound),
	}
	classes := builtinClasses()
	for _, more := range []starlark.StringDict{classes, pyBuiltins(classes), it.dialectHooks()} {
		for k, v := range more {
			d[k] = v
		}
	}
	return d
}

// sum(iterable, start=0), as Python's: numbers add up; lists and tuples
// concatenate from a start of the same kind; strings are refused with
// Python's advice.
func builtinSum(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var iterable starlark.Iterable
	var start starlark.Value = starlark.MakeInt(0)
	if err := starlark.UnpackArgs("sum", args, kwargs, "iterable", &iterable, "start?", &start); err != nil {
		return nil, err
	}
	switch start.(type) {
	case starlark.String:
		return nil, Errorf(TypeError, "sum() can't sum strings [use ''.join(seq) instead]")
	case starlark.Bytes, Bytes:
		return nil, Errorf(TypeError, "sum() can't sum bytes [use b''.join(seq) instead]")
	}
	iter := iterable.Iterate()
	defer iter.Done()
	acc := start
	var x starlark.Value
	for iter.Next(&x) {
		v, err := starlark.Binary(syntax.PLUS, acc, x)
		if err != nil {
			return nil, Errorf(TypeError, "unsupported operand type(s) for +: '%s' and '%s'", PyTypeName(acc), PyTypeName(x))
		}
		acc = v
	}
	return acc, nil
}

// round(number, ndigits=None), as Python's: halves go to the even neighbour;
// without ndigits the result is an int.
func builtinRound(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, nd starlark.Value = nil, starlark.None
	if err := starlark.UnpackArgs("round", args, kwargs, "number", &x, "ndigits?", &nd); err != nil {
		return nil, err
	}
	ndigits, hasDigits := 0, nd != starlark.None
	if hasDigits {
		n, ok := nd.(starlark.Int)
		if !ok {
			return nil, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", PyTypeName(nd))
		}
		v, _ := n.Int64() // a huge ndigits is clamped below anyway
		ndigits = int(max(min(v, 400), -400))
	}
	switch v := x.(type) {
	case starlark.Int:
		if !hasDigits || ndigits >= 0 {
			return v, nil
		}
		// Round to a multiple of 10^-ndigits, halves to even.
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-ndigits)), nil)
		q, r := new(big.Int).QuoRem(v.BigInt(), p, new(big.Int))
		twice := new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2))
		if c := twice.Cmp(p); c > 0 || (c == 0 && q.Bit(0) == 1) {
			if v.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
		return starlark.MakeBigInt(q.Mul(q, p)), nil
	case starlark.Float:
		f := float64(v)
		if !hasDigits {
			if math.IsNaN(f) {
				return nil, Errorf(ValueError, "cannot convert float NaN to integer")
			}
			if math.IsInf(f, 0) {
				return nil, Errorf(OverflowError, "cannot convert float infinity to integer")
			}
			return starlark.NumberToInt(starlark.Float(math.RoundToEven(f)))
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return v, nil
		}
		if ndigits >= 0 {
			// The decimal text of the exact binary value, rounded as
			// CPython does: round(2.675, 2) is 2.67.
			r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', ndigits, 64), 64)
			return starlark.Float(r), nil
		}
		p := math.Pow(10, float64(-ndigits))
		return starlark.Float(math.RoundToEven(f/p) * p), nil
	}
	return nil, Errorf(TypeError, "type %s doesn't define __round__ method", PyTypeName(x))
}

// print(*args, sep=" ", end="\n", file=None, flush=False). One call is one
// write, so lines from different threads never mix.
func (it *Interp) builtinPrint(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sep, end := " ", "\n"
	var file starlark.Value = starlark.None
	var flush bool
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		switch k {
		case "sep", "end":
			var s string
			switch v := kv[1].(type) {
			case starlark.NoneType:
				continue
			case starlark.String:
				s = string(v)
			default:
				return nil, Errorf(TypeError, "%s must be None or a string, not %s", k, PyTypeName(v))
			}
			if k == "sep" {
				sep = s
			} else {
				end = s
			}
		case "file":
			file = kv[1]
		case "flush":
			flush = bool(kv[1].Truth())
		default:
			return nil, Errorf(TypeError, "'%s' is an invalid keyword argument for print()", k)
		}
	}
	_ = flush // every print is written at once
	var sb strings.Builder
	for i, a := range args {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteString(PyStr(a))
	}
	sb.WriteString(end)
	if file == starlark.None {
		io.WriteString(it.out, sb.String())
		return starlark.None, nil
	}
	write, err := getAttr(file, "write")
	if err != nil {
		return nil, Errorf(AttributeError, "'%s' object has no attribute 'write'", PyTypeName(file))
	}
	if _, err := starlark.Call(th, write, starlark.Tuple{starlark.String(sb.String())}, nil); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

func getAttr(v starlark.Value, name string) (starlark.Value, error) {
	if h, ok := v.(starlark.HasAttrs); ok {
		if a, err := h.Attr(name); err == nil && a != nil {
			return a, nil
		}
	}
	return nil, errors.New("no attribute")
}

// input(prompt="") reads one line from stdin without its newline; at end of
// input it raises EOFError. It is an external wait: other threads run while
// it blocks, and Ctrl-C interrupts it.
func (it *Interp) builtinInput(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var prompt starlark.Value = starlark.String("")
	if err := starlark.UnpackPositionalArgs("input", args, kwargs, 0, &prompt); err != nil {
		return nil, err
	}
	if p := PyStr(prompt); p != "" {
		io.WriteString(it.out, p)
	}
	t := Current(th)
	if t == nil {
		return nil, Errorf(RuntimeError, "input: not called from a starlab thread")
	}
	var line string
	var eof bool
	err := it.sched.External(t, "input()", func(cancel <-chan struct{}) error {
		var err error
		line, eof, err = it.stdin.readLine(cancel)
		return err
	})
	if err != nil {
		return nil, err
	}
	if eof {
		return nil, Errorf(EOFError, "EOF when reading a line")
	}
	return starlark.String(line), nil
}

// str(x) is Python's str: str(b) is the repr of bytes, str(b, "utf8")
// decodes them.
func builtinStr(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value = starlark.String("")
	var encoding, errorsArg string
	if err := starlark.UnpackPositionalArgs("str", args, kwargs, 0, &x, &encoding, &errorsArg); err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case starlark.String:
		return x, nil
	case Bytes: // Python's: str(b) is its repr, str(b, "utf8") decodes it
		if encoding == "" {
			return starlark.String(x.String()), nil
		}
		return bytesDecode(string(x), starlark.Tuple{starlark.String(encoding)}, nil)
	case starlark.Bytes:
		if encoding != "" {
			if err := checkEncoding(encoding); err != nil {
				return nil, err
			}
		}
		return starlark.String(strings.ToValidUTF8(string(x), "\uFFFD")), nil
	}
	if encoding != "" {
		return nil, Errorf(TypeError, "decoding to str: need a bytes-like object, %s found", PyTypeName(x))
	}
	return starlark.String(PyStr(x)), nil
}

func builtinRepr(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs("repr", args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	return starlark.String(PyRepr(x)), nil
}

// bytes(x, encoding="utf8"): from a str (encoded as UTF-8, the encoding named
// as Python 3 allows), an int n (n zero bytes), an iterable of ints, or bytes.
func builtinBytes(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value = Bytes("")
	var encoding, errorsArg string
	if err := starlark.UnpackPositionalArgs("bytes", args, kwargs, 0, &x, &encoding, &errorsArg); err != nil {
		return nil, err
	}
	switch v := x.(type) {
	case starlark.String:
		if encoding == "" && len(args) > 0 {
			return nil, Errorf(TypeError, "string argument without an encoding")
		}
		if err := checkEncoding(encoding); err != nil {
			return nil, err
		}
		if isASCII(encoding) {
			for i, r := range []rune(string(v)) {
				if r > 127 {
					return nil, Errorf(UnicodeEncodeError, "'ascii' codec can't encode character %s in position %d: ordinal not in range(128)", asciiQuote(string(r)), i)
				}
			}
		}
		return Bytes(v), nil
	case Bytes:
		return v, nil
	case starlark.Bytes:
		return Bytes(v), nil
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n < 0 {
			return nil, Errorf(ValueError, "negative count")
		}
		if n > 1<<30 {
			return nil, Errorf(MemoryError, "bytes(%d) is too large", n)
		}
		return Bytes(make([]byte, n)), nil
	case starlark.Iterable:
		var out []byte
		iter := v.Iterate()
		defer iter.Done()
		var elem starlark.Value
		for iter.Next(&elem) {
			i, ok := elem.(starlark.Int)
			if !ok {
				return nil, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", PyTypeName(elem))
			}
			n, exact := i.Int64()
			if !exact {
				return nil, Errorf(TypeError, "'%s' object cannot be interpreted as an integer", PyTypeName(elem))
			}
			if n < 0 || n > 255 {
				return nil, Errorf(ValueError, "bytes must be in range(0, 256)")
			}
			out = append(out, byte(n))
		}
		return Bytes(out), nil
	}
	return nil, Errorf(TypeError, "cannot convert '%s' object to bytes", PyTypeName(x))
}

func isASCII(enc string) bool {
	e := strings.ToLower(strings.ReplaceAll(enc, "-", ""))
	return e == "ascii" || e == "usascii"
}

func checkEncoding(enc string) error {
	switch strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(enc, "-", ""), "_", "")) {
	case "", "utf8", "utf", "ascii", "usascii":
		return nil
	}
	return Errorf(LookupError, "unknown encoding: %s (starlab supports utf8 and ascii)", enc)
}

// PyTypeName is the Python name of v's type, for error messages: str, not
// Starlark's "string".
func PyTypeName(v starlark.Value) string {
	switch v.(type) {
	case starlark.String:
		return "str"
	case starlark.NoneType:
		return "NoneType"
	case *starlark.Builtin:
		return "builtin_function_or_method"
	case *starlark.Function:
		return "function"
	}
	return v.Type()
}

// PyStr is Python's str(x): strings as they are, everything else as PyRepr,
// except that bytes print as b'...'.
func PyStr(x starlark.Value) string {
	switch x := x.(type) {
	case starlark.String:
		return string(x)
	case *Exception:
		return x.Message()
	}
	return PyRepr(x)
}

// PyRepr is Python's repr(x): 'a' for strings, b'a' for bytes, Python's
// shapes for containers; other values as Starlark prints them.
func PyRepr(x starlark.Value) string {
	var b strings.Builder
	writeRepr(&b, x, 0)
	return b.String()
}

func writeRepr(b *strings.Builder, x starlark.Value, depth int) {
	if depth > 50 {
		b.WriteString("...")
		return
	}
	switch x := x.(type) {
	case starlark.String:
		b.WriteString(pyQuote(string(x)))
	case starlark.Bytes:
		b.WriteString(bytesRepr(string(x)))
	case *Exception:
		b.WriteString(x.Repr())
	case *starlark.Function:
		// Python's <function f at 0x7f...>; Starlark calls a lambda "lambda".
		name := x.Name()
		if name == "lambda" {
			name = "<lambda>"
		}
		b.WriteString("<function " + name + " at 0x" + hexAddr(unsafe.Pointer(x)) + ">")
	case *starlark.List:
		b.WriteByte('[')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, x.Index(i), depth+1)
		}
		b.WriteByte(']')
	case starlark.Tuple:
		b.WriteByte('(')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *starlark.Dict:
		b.WriteByte('{')
		for i, kv := range x.Items() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, kv[0], depth+1)
			b.WriteString(": ")
			writeRepr(b, kv[1], depth+1)
		}
		b.WriteByte('}')
	case *starlark.Set:
		if x.Len() == 0 {
			b.WriteString("set()")
			return
		}
		b.WriteByte('{')
		iter := x.Iterate()
		defer iter.Done()
		var e starlark.Value
		for i := 0; iter.Next(&e); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		b.WriteByte('}')
	default:
		s := x.String()
		if x.Type() == "range" && !strings.Contains(s, ",") {
			s = "range(0, " + strings.TrimPrefix(s, "range(") // Python shows the start
		}
		b.WriteString(s)
	}
}

// bytesRepr is Python's repr of bytes: b'ab\x00' with single quotes unless
// the data holds a single quote and no double one.
func bytesRepr(s string) string { return rtQuote([]byte(s), true) }

// SortedAttrNames is a helper for HasAttrs implementations.
func SortedAttrNames[M ~map[string]V, V any](m M) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// lineReader feeds input() from stdin. One goroutine reads ahead at most one
// line, so a reader blocked in the OS can be abandoned when input() is
// interrupted, and the next input() gets that line.
type lineReader struct {
	r     io.Reader
	once  sync.Once
	lines chan lineResult
	stop  chan struct{}
	stopO sync.Once
}

type lineResult struct {
	line string
	eof  bool
	err  error
}

var errInputCancelled = errors.New("input cancelled")

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: r, lines: make(chan lineResult), stop: make(chan struct{})}
}

func (lr *lineReader) readLine(cancel <-chan struct{}) (string, bool, error) {
	lr.once.Do(func() { go lr.loop() })
	select {
	case res := <-lr.lines:
		return res.line, res.eof, res.err
	case <-cancel:
		return "", false, errInputCancelled
	case <-lr.stop:
		return "", true, nil
	}
}

func (lr *lineReader) loop() {
	br := bufio.NewReader(lr.r)
	for {
		line, err := br.ReadString('\n')
		res := lineResult{line: strings.TrimRight(line, "\r\n")}
		if err != nil {
			if line == "" {
				res.eof = true
				if err != io.EOF {
					res.err = Errorf(OSError, "reading stdin: %v", err)
				}
			}
		}
		select {
		case lr.lines <- res:
		case <-lr.stop:
			return
		}
		if res.eof {
			for {
				select {
				case lr.lines <- res:
				case <-lr.stop:
					return
				}
			}
		}
	}
}

func (lr *lineReader) close() { lr.stopO.Do(func() { close(lr.stop) }) }
