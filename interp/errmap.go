package interp

// This file translates the error messages of the go.starlark.net runtime into
// the exception class and message CPython would have produced for the same
// mistake. It is long because it is a table: one rule per message.
//
// Why: starlab's users are learning Python. They read tutorials, compare
// their output with a neighbour's `python3` session, and search the web for
// "TypeError: unsupported operand type(s) for +: 'int' and 'str'". An error
// worded in Starlark's dialect ("unknown binary op: int + string") teaches
// them nothing they can look up, so every runtime error is re-worded here
// before it is shown.
//
// Policy, in order of preference:
//
//  1. When the Starlark message carries everything CPython's message needs,
//     produce CPython 3.11's exact class and text, including repr-style
//     quoting ('jack', not "jack") and Python type names (str, not string).
//  2. When some detail is missing from the Starlark message (for instance
//     {}.pop("k") only says "pop: missing key", without the key), produce
//     CPython's class and the closest honest message; never invent data.
//  3. When nothing in CPython corresponds (frozen values, Starlark's own
//     limits), return RuntimeError with Starlark's text unchanged, so the
//     learner still sees what went wrong.
//
// The matching is a table of anchored regular expressions tried in order;
// the first match wins. The messages are those of go.starlark.net
// v0.0.0-20260908191801; errmap_test.go runs every case through the real
// interpreter so that a wording change in an upgrade fails loudly.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// pyErrorFromRuntime classifies the message of an error raised by the go.starlark.net
// runtime (not by starlab's own builtins) and returns the CPython exception class name
// and a message worded as CPython would word it.
//
// msg is the Msg field of a *starlark.EvalError: the bare error text, without
// the call stack. The returned class is one of ValueError, IndexError,
// KeyError, ZeroDivisionError, TypeError, AttributeError, NameError,
// UnboundLocalError, OverflowError, RecursionError or RuntimeError. The
// returned message is what follows "Class: " on the last line of a CPython
// traceback; for a KeyError that is the repr of the key ('b', not b).
//
// fail(...) becomes RuntimeError with the text given to fail. Anything not
// recognised, including "Starlark computation cancelled: ..." (which the
// caller is expected to handle before calling this), is returned as
// ("RuntimeError", msg) unchanged.
func pyErrorFromRuntime(msg string) (class string, pyMsg string) {
	for _, r := range runtimeErrorRules() {
		if m := r.re.FindStringSubmatch(msg); m != nil {
			return r.rewrite(m)
		}
	}
	return "RuntimeError", msg
}

// rtErrRule is one row of the translation table: a pattern over the whole
// Starlark message and the function that builds the CPython class and
// message from its submatches (m[0] is the whole message).
type rtErrRule struct {
	re      *regexp.Regexp
	rewrite func(m []string) (class, pyMsg string)
}

// rtRule compiles pattern, which must match the whole message (it is anchored
// with ^...$ here), and pairs it with rewrite.
func rtRule(pattern string, rewrite func(m []string) (string, string)) rtErrRule {
	return rtErrRule{re: regexp.MustCompile(`^(?:` + pattern + `)$`), rewrite: rewrite}
}

// rtFixed is a rule whose output does not depend on the message.
func rtFixed(pattern, class, pyMsg string) rtErrRule {
	return rtRule(pattern, func([]string) (string, string) { return class, pyMsg })
}

// rtKeep is a rule that only changes the class: CPython has no wording that
// can be derived from the Starlark message, but the kind of error is clear.
func rtKeep(pattern, class string) rtErrRule {
	return rtRule(pattern, func(m []string) (string, string) { return class, m[0] })
}

// Fragments shared by several patterns.
const (
	// reType is a Starlark type name as printed by Value.Type(): "int",
	// "string", "builtin_function_or_method", "string.elems", ...
	reType = `([\w.]+)`
	// rePrefix is a builtin prefix such as "len: " or "getattr: ".
	rePrefix = `(?:[\w.]+: )?`
	// reIdent is a Starlark identifier.
	reIdent = `(\w+)`
)

// runtimeErrorRules is the translation table, compiled once, on the first
// runtime error (compiling ~100 regexps at start-up would cost every run,
// the REPL's first prompt included, some 8 ms). It is read-only: nothing may
// append to or modify it. Order matters where patterns overlap: specific
// rules come first.
var runtimeErrorRules = sync.OnceValue(func() []rtErrRule {
	return []rtErrRule{
		// The caller handles cancellation (timeouts, Ctrl-C); keep it verbatim
		// and make sure no later rule rewrites a reason that happens to match.
		rtKeep(`(?s)Starlark computation cancelled.*`, "RuntimeError"),

		// fail("boom") is starlab's stand-in for `raise RuntimeError("boom")`.
		// It comes first so that a user's text can never match another rule.
		rtRule(`(?s)fail: (.*)`, func(m []string) (string, string) { return "RuntimeError", m[1] }),

		// --- recursion and names ---
		rtFixed(`Starlark stack overflow`, "RecursionError", "maximum recursion depth exceeded"),
		rtFixed(`comparison exceeded maximum recursion depth`, "RecursionError",
			"maximum recursion depth exceeded in comparison"),
		// A name defined nowhere: the resolver let it through as predeclared
		// (dialect.go) so that it fails here, when its line runs.
		rtRule(`internal error: predeclared variable `+reIdent+` is uninitialized`, func(m []string) (string, string) {
			return "NameError", fmt.Sprintf("name '%s' is not defined", m[1])
		}),
		rtRule(`global variable `+reIdent+` referenced before assignment`, func(m []string) (string, string) {
			return "NameError", fmt.Sprintf("name '%s' is not defined", m[1])
		}),
		rtRule(`local variable `+reIdent+` referenced before assignment`, func(m []string) (string, string) {
			return "UnboundLocalError",
				fmt.Sprintf("cannot access local variable '%s' where it is not associated with a value", m[1])
		}),

		// --- int() and float() conversions ---
		rtRule(`(?s)int: invalid literal with base (\d+): (.*)`, func(m []string) (string, string) {
			return "ValueError", fmt.Sprintf("invalid literal for int() with base %s: %s", m[1], rtStrRepr(m[2]))
		}),
		rtFixed(`int: base must be an integer >= 2 && <= 36`, "ValueError", "int() base must be >= 2 and <= 36, or 0"),
		rtFixed(`int: can't convert non-string with explicit base`, "TypeError",
			"int() can't convert non-string with explicit base"),
		rtFixed(`int: cannot convert float NaN to integer`, "ValueError", "cannot convert float NaN to integer"),
		rtFixed(`int: cannot convert float infinity to integer`, "OverflowError", "cannot convert float infinity to integer"),
		rtRule(`int: cannot convert `+reType+` to int`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf(
				"int() argument must be a string, a bytes-like object or a real number, not '%s'", rtPyType(m[1]))
		}),
		rtRule(`(?s)invalid float literal: (.*)`, func(m []string) (string, string) {
			return "ValueError", "could not convert string to float: " + rtStrRepr(m[1])
		}),
		rtFixed(`float: empty string`, "ValueError", "could not convert string to float: ''"),
		rtRule(`float got `+reType+`, want number or string`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("float() argument must be a string or a real number, not '%s'", rtPyType(m[1]))
		}),
		rtFixed(rePrefix+`int too large to convert to float`, "OverflowError", "int too large to convert to float"),

		// --- indexing ---
		// Starlark reports the index and the valid range; CPython names the
		// sequence type only, with its own per-type wording.
		rtFixed(`pop: index -?\d+ out of range: empty list`, "IndexError", "pop from empty list"),
		rtFixed(`pop: list index -?\d+ out of range \[-?\d+:-?\d+\]`, "IndexError", "pop index out of range"),
		rtRule(reType+` index -?\d+ out of range \[-?\d+:-?\d+\]`, func(m []string) (string, string) {
			return "IndexError", rtIndexOutOfRange(m[1])
		}),
		rtRule(`index -?\d+ out of range: empty `+reType, func(m []string) (string, string) {
			return "IndexError", rtIndexOutOfRange(m[1])
		}),
		rtRule(reType+` index: got `+reType+`, want int`, func(m []string) (string, string) {
			return "TypeError", rtBadIndexType(m[1], m[2])
		}),
		rtFixed(rePrefix+`invalid (?:start index|end index|slice step): got [\w.]+, want int`, "TypeError",
			"slice indices must be integers or None or have an __index__ method"),
		rtFixed(`zero is not a valid slice step`, "ValueError", "slice step cannot be zero"),
		rtRule(`unhandled index operation `+reType+`\[[\w.]+\]`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("'%s' object is not subscriptable", rtPyType(m[1]))
		}),
		rtRule(reType+` value does not support item assignment`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("'%s' object does not support item assignment", rtPyType(m[1]))
		}),

		// --- dict keys ---
		// CPython's KeyError message is the repr of the missing key.
		rtRule(`(?s)key (.*) not in [\w.]+`, func(m []string) (string, string) {
			return "KeyError", rtReprFromStarlark(m[1])
		}),
		// The key is not part of Starlark's message; CPython would print it.
		rtKeep(`(?:pop|remove): missing key`, "KeyError"),
		rtFixed(`popitem: empty dict`, "KeyError", "'popitem(): dictionary is empty'"),
		rtFixed(`pop: empty set`, "KeyError", "'pop from an empty set'"),
		rtRule(`(?s)key not found: (.*)`, func(m []string) (string, string) { return "KeyError", rtStrRepr(m[1]) }),
		rtRule(`(?s)format: keyword (.*) not found`, func(m []string) (string, string) {
			return "KeyError", rtStrRepr(m[1])
		}),

		// --- division by zero ---
		// Starlark does not say whether the operands were ints or floats; the
		// int wording is chosen because that is what beginners write (1/0).
		rtFixed(`floating-point division by zero`, "ZeroDivisionError", "division by zero"),
		rtFixed(`floored division by zero`, "ZeroDivisionError", "integer division or modulo by zero"),
		rtFixed(`integer modulo by zero`, "ZeroDivisionError", "integer modulo by zero"),
		rtFixed(`floating-point modulo by zero`, "ZeroDivisionError", "float modulo"),

		// --- operators ---
		rtRule(`unknown binary op: `+reType+` (.+) `+reType, func(m []string) (string, string) {
			return "TypeError", rtBinaryOpMsg(m[1], m[2], m[3])
		}),
		rtRule(`unknown unary op: (\S+) `+reType, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("bad operand type for unary %s: '%s'", m[1], rtPyType(m[2]))
		}),
		rtRule(rePrefix+reType+` (<|<=|>|>=) `+reType+` not[ ]implemented`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("'%s' not supported between instances of '%s' and '%s'",
				m[2], rtPyType(m[1]), rtPyType(m[3]))
		}),
		rtRule(`'in <string>' requires string as left operand, not `+reType, func(m []string) (string, string) {
			return "TypeError", "'in <string>' requires string as left operand, not " + rtPyType(m[1])
		}),
		rtRule(`'in bytes' requires bytes or int as left operand, not `+reType, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("a bytes-like object is required, not '%s'", rtPyType(m[1]))
		}),
		// CPython answers False here; Starlark refuses a non-int operand.
		rtRule(`'in <range>' requires integer as left operand, not `+reType, func(m []string) (string, string) {
			return "TypeError", "'in <range>' requires integer as left operand, not " + rtPyType(m[1])
		}),
		rtFixed(`negative shift count: .*`, "ValueError", "negative shift count"),
		// Starlark's size limits have no CPython counterpart (CPython would
		// succeed or run out of memory); OverflowError is the nearest class.
		rtKeep(`shift count too large: .*|repeat count .* too large|floating-point number too large|`+
			`.* out of range \(want value in (?:un)?signed \d+-bit range\)`, "OverflowError"),

		// --- hashing, len, attributes, calls ---
		rtRule(rePrefix+`unhashable(?: type)?: `+reType, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("unhashable type: '%s'", rtPyType(m[1]))
		}),
		rtRule(`len: value of type `+reType+` has no len`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("object of type '%s' has no len()", rtPyType(m[1]))
		}),
		rtRule(`(?:getattr: )?`+reType+` has no \.`+reIdent+` field or method(?: \(did you mean \.(\w+)\?\))?`,
			func(m []string) (string, string) {
				return "AttributeError", rtNoAttribute(m[1], m[2], m[3])
			}),
		rtRule(`can't assign to \.`+reIdent+` field of `+reType+`(?: \(did you mean \.(\w+)\?\))?`,
			func(m []string) (string, string) {
				return "AttributeError", rtNoAttribute(m[2], m[1], m[3])
			}),
		rtRule(`(getattr|hasattr): for parameter 2: got `+reType+`, want string`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("attribute name must be string, not '%s'", rtPyType(m[2]))
		}),
		rtRule(`invalid call of non-function \(`+reType+`\)`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("'%s' object is not callable", rtPyType(m[1]))
		}),

		// --- iteration and unpacking ---
		rtFixed(`join: for parameter 1: got [\w.]+, want iterable`, "TypeError", "can only join an iterable"),
		rtRule(rePrefix+reType+` value is not iterable`, rtNotIterable(1)),
		rtRule(`[\w.]+: (?:for parameter [^:]+: )?got `+reType+`, want iterable`, rtNotIterable(1)),
		rtRule(`zip: argument #\d+ is not iterable: `+reType, rtNotIterable(1)),
		rtRule(`argument after \* must be iterable, not `+reType, func(m []string) (string, string) {
			return "TypeError", "argument after * must be an iterable, not " + rtPyType(m[1])
		}),
		rtRule(`argument after \*\* must be a mapping, not `+reType, func(m []string) (string, string) {
			return "TypeError", "argument after ** must be a mapping, not " + rtPyType(m[1])
		}),
		rtFixed(`keywords must be strings, not [\w.]+`, "TypeError", "keywords must be strings"),
		rtRule(`too few values to unpack \(got (\d+), want (\d+)\)`, func(m []string) (string, string) {
			return "ValueError", fmt.Sprintf("not enough values to unpack (expected %s, got %s)", m[2], m[1])
		}),
		rtRule(`too many values to unpack \(got \d+, want (\d+)\)`, func(m []string) (string, string) {
			return "ValueError", fmt.Sprintf("too many values to unpack (expected %s)", m[1])
		}),
		// Starlark strings are not iterable, so `a, b = "ab"` fails here even
		// though CPython would unpack it; the message states the Starlark truth.
		rtRule(`got `+reType+` in sequence assignment`, func(m []string) (string, string) {
			msg := fmt.Sprintf("cannot unpack non-iterable %s object", rtPyType(m[1]))
			if m[1] == "string" {
				msg += strNotSequence
			}
			return "TypeError", msg
		}),
		rtRule(rePrefix+`dictionary update sequence element #(\d+) has length (\d+), want 2`, func(m []string) (string, string) {
			return "ValueError", fmt.Sprintf("dictionary update sequence element #%s has length %s; 2 is required", m[1], m[2])
		}),
		rtRule(rePrefix+`dictionary update sequence element #(\d+) (?:is not iterable|has unknown length) \([\w.]+\)`,
			func(m []string) (string, string) {
				return "TypeError", fmt.Sprintf("cannot convert dictionary update sequence element #%s to a sequence", m[1])
			}),
		rtFixed(rePrefix+`cannot .+ hash table during iteration`, "RuntimeError", "dictionary changed size during iteration"),

		// --- calling a def or lambda with the wrong arguments ---
		rtRule(`function `+reIdent+` missing (\d+) arguments? \((.*)\)`, func(m []string) (string, string) {
			names := strings.Split(m[3], ", ")
			return "TypeError", fmt.Sprintf("%s() missing %s required positional argument%s: %s",
				rtFuncName(m[1]), m[2], rtPlural(len(names)), rtNameList(names))
		}),
		rtRule(`function `+reIdent+` accepts no arguments \((\d+) given\)`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("%s() takes 0 positional arguments but %s given", rtFuncName(m[1]), rtWasWere(m[2]))
		}),
		rtRule(`function `+reIdent+` accepts (at most )?(\d+) positional arguments? \((\d+) given\)`,
			func(m []string) (string, string) {
				n, _ := strconv.Atoi(m[3])
				return "TypeError", fmt.Sprintf("%s() takes %s%s positional argument%s but %s given",
					rtFuncName(m[1]), m[2], m[3], rtPlural(n), rtWasWere(m[4]))
			}),
		rtRule(`function `+reIdent+` got an unexpected keyword argument (".*")`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("%s() got an unexpected keyword argument %s", rtFuncName(m[1]), rtReprFromStarlark(m[2]))
		}),
		rtRule(`function `+reIdent+` got multiple values for parameter (".*")`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("%s() got multiple values for argument %s", rtFuncName(m[1]), rtReprFromStarlark(m[2]))
		}),

		// --- calling a builtin with the wrong arguments ---
		rtRule(`([\w.]+): unexpected keyword arguments|([\w.]+) does not accept keyword arguments`,
			func(m []string) (string, string) {
				return "TypeError", m[1] + m[2] + "() takes no keyword arguments"
			}),
		// CPython 3.11 offers no spelling hint for keywords, so Starlark's
		// "(did you mean key?)" is dropped. sorted() delegates to list.sort(),
		// whose name CPython reports.
		rtRule(`([\w.]+): unexpected keyword argument (".*?")(?: \(did you mean \w+\?\))?`,
			func(m []string) (string, string) {
				name := m[1]
				if name == "sorted" {
					name = "sort"
				}
				return "TypeError", fmt.Sprintf("%s is an invalid keyword argument for %s()", rtReprFromStarlark(m[2]), name)
			}),
		rtRule(`([\w.]+): (?:got multiple values for keyword argument|duplicate keyword arg:) (".*")`,
			func(m []string) (string, string) {
				return "TypeError", fmt.Sprintf("%s() got multiple values for keyword argument %s", m[1], rtReprFromStarlark(m[2]))
			}),
		rtRule(`([\w.]+): missing argument for `+reIdent, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("%s() missing required argument '%s'", m[1], m[2])
		}),
		rtRule(`(\w+) requires at least one positional argument`, func(m []string) (string, string) {
			return "TypeError", m[1] + " expected at least 1 argument, got 0"
		}),
		// CPython's wording varies per builtin ("len() takes exactly one
		// argument (2 given)", "str.upper() takes no arguments (1 given)") and
		// needs the qualified method name, which Starlark does not give. Keep
		// Starlark's clear "len: got 2 arguments, want 1".
		rtKeep(`[\w.]+:? got \d+ arguments?, wants? .*`, "TypeError"),

		// --- builtins given a value of the wrong type ---
		rtRule(`(?:[\w.]+: (?:for parameter [^:]+: |for base, )?)?got `+reType+`, want int`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("'%s' object cannot be interpreted as an integer", rtPyType(m[1]))
		}),
		rtRule(`ord: got `+reType+`, want string or bytes`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("ord() expected string of length 1, but %s found", rtPyType(m[1]))
		}),
		rtRule(`ord: (?:string encodes (\d+) Unicode code points|bytes has length (\d+)), want 1`,
			func(m []string) (string, string) {
				return "TypeError", fmt.Sprintf("ord() expected a character, but string of length %s found", m[1]+m[2])
			}),
		rtRule(`join: in list, want string, got `+reType, func(m []string) (string, string) {
			// CPython also gives the position: "sequence item 0: ...".
			return "TypeError", fmt.Sprintf("sequence item: expected str instance, %s found", rtPyType(m[1]))
		}),
		rtRule(`(startswith|endswith): got `+reType+`, want string or tuple of string`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("%s first arg must be str or a tuple of str, not %s", m[1], rtPyType(m[2]))
		}),
		rtRule(`split: got `+reType+` for separator, want string`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("must be str or None, not %s", rtPyType(m[1]))
		}),
		// Any other "got T, want U": the class is right, the words are Starlark's
		// with the Python name for T.
		rtRule(`(.*\bgot )`+reType+`(, want .*)`, func(m []string) (string, string) {
			return "TypeError", m[1] + rtPyType(m[2]) + m[3]
		}),

		// --- values of the right type but wrong content ---
		rtFixed(`remove: element not found`, "ValueError", "list.remove(x): x not in list"),
		// CPython says "3 is not in list"; Starlark does not give the value.
		rtFixed(`index: value not in list`, "ValueError", "list.index(x): x not in list"),
		rtFixed(`r?index: substring not found`, "ValueError", "substring not found"),
		rtFixed(`[\w.]+: empty separator`, "ValueError", "empty separator"),
		rtFixed(`chr: Unicode code point .* out of range .*`, "ValueError", "chr() arg not in range(0x110000)"),
		rtFixed(`range: step argument must not be zero`, "ValueError", "range() arg 3 must not be zero"),
		rtRule(`(max|min): argument is an empty sequence`, func(m []string) (string, string) {
			return "ValueError", m[1] + "() arg is an empty sequence"
		}),

		// --- the % operator and str.format ---
		rtRule(`%([diu]) format requires integer: cannot convert `+reType+` to int`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("%%%s format: a real number is required, not %s", m[1], rtPyType(m[2]))
		}),
		rtRule(`%(\w) format requires integer: cannot convert `+reType+` to int`, func(m []string) (string, string) {
			return "TypeError", fmt.Sprintf("%%%s format: an integer is required, not %s", m[1], rtPyType(m[2]))
		}),
		rtRule(`%\w format requires float, not `+reType, func(m []string) (string, string) {
			return "TypeError", "must be real number, not " + rtPyType(m[1])
		}),
		rtFixed(`%c format requires a single-character string`, "TypeError", "%c requires int or char"),
		rtFixed(`%c format requires a valid Unicode code point, got -?\d+`, "OverflowError", "%c arg not in range(0x110000)"),
		rtFixed(`not enough arguments for format string`, "TypeError", "not enough arguments for format string"),
		rtFixed(`too many arguments for format string`, "TypeError", "not all arguments converted during string formatting"),
		rtFixed(`format requires a mapping`, "TypeError", "format requires a mapping"),
		rtRule(`unknown conversion %(.)`, func(m []string) (string, string) {
			// CPython adds "at index N", which Starlark does not report.
			r, _ := utf8.DecodeRuneInString(m[1])
			return "ValueError", fmt.Sprintf("unsupported format character '%s' (0x%x)", m[1], r)
		}),
		rtFixed(`format: unmatched '\{' in format`, "ValueError", "Single '{' encountered in format string"),
		rtFixed(`format: single '\}' in format`, "ValueError", "Single '}' encountered in format string"),
		rtRule(`format: unknown conversion "(.*)"`, func(m []string) (string, string) {
			return "ValueError", "Unknown conversion specifier " + m[1]
		}),
		rtRule(`format: (cannot switch from .*)`, func(m []string) (string, string) { return "ValueError", m[1] }),
		// CPython names the index ("Replacement index 1 out of range ...").
		rtFixed(`format: tuple index out of range`, "IndexError", "Replacement index out of range for positional args tuple"),
	}
})

// rtPyType returns the Python spelling of the Starlark type name t. Only
// "string" differs; int, float, bool, list, tuple, dict, set, bytes, range,
// NoneType, function and builtin_function_or_method are spelled the same in
// both languages.
func rtPyType(t string) string {
	if t == "string" {
		return "str"
	}
	return t
}

// rtFuncName returns the name CPython shows for a function: Starlark calls
// every lambda "lambda", CPython "<lambda>".
func rtFuncName(name string) string {
	if name == "lambda" {
		return "<lambda>"
	}
	return name
}

// rtPlural returns "s" unless n is 1.
func rtPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// rtWasWere renders CPython's "1 was given" / "2 were given".
func rtWasWere(n string) string {
	if n == "1" {
		return "1 was"
	}
	return n + " were"
}

// rtNameList quotes parameter names the way CPython lists missing ones:
// 'a' / 'a' and 'b' / 'a', 'b', and 'c'.
func rtNameList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	switch len(q) {
	case 1:
		return q[0]
	case 2:
		return q[0] + " and " + q[1]
	}
	return strings.Join(q[:len(q)-1], ", ") + ", and " + q[len(q)-1]
}

// rtIndexOutOfRange returns CPython's IndexError text for sequence type t.
func rtIndexOutOfRange(t string) string {
	switch t {
	case "range":
		return "range object index out of range"
	case "list", "tuple":
		return t + " index out of range"
	case "string":
		return "string index out of range"
	}
	return "index out of range" // bytes and anything else
}

// rtBadIndexType returns CPython's TypeError text for seq[index] where index
// has the wrong type.
func rtBadIndexType(seq, index string) string {
	switch seq {
	case "string":
		return fmt.Sprintf("string indices must be integers, not '%s'", rtPyType(index))
	case "bytes":
		return "byte indices must be integers or slices, not " + rtPyType(index)
	}
	return fmt.Sprintf("%s indices must be integers or slices, not %s", rtPyType(seq), rtPyType(index))
}

// rtIsSequence reports whether Starlark type t supports repetition by an int.
func rtIsSequence(t string) bool {
	switch t {
	case "string", "bytes", "list", "tuple":
		return true
	}
	return false
}

// rtBinaryOpMsg returns CPython's TypeError text for `x op y` with
// unsupported operand types (Starlark types l and r).
func rtBinaryOpMsg(l, op, r string) string {
	switch {
	case op == "in" || op == "not in":
		return fmt.Sprintf("argument of type '%s' is not iterable", rtPyType(r))
	case op == "+" && l == "bytes":
		return fmt.Sprintf("can't concat %s to bytes", rtPyType(r))
	case op == "+" && (l == "string" || l == "list" || l == "tuple"):
		return fmt.Sprintf("can only concatenate %s (not \"%s\") to %s", rtPyType(l), rtPyType(r), rtPyType(l))
	case op == "*" && rtIsSequence(l):
		return fmt.Sprintf("can't multiply sequence by non-int of type '%s'", rtPyType(r))
	case op == "*" && rtIsSequence(r):
		return fmt.Sprintf("can't multiply sequence by non-int of type '%s'", rtPyType(l))
	}
	return fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, rtPyType(l), rtPyType(r))
}

// rtNoAttribute returns CPython's AttributeError text, with the spelling hint
// CPython 3.11 prints under the traceback when Starlark found one.
func rtNoAttribute(t, name, hint string) string {
	s := fmt.Sprintf("'%s' object has no attribute '%s'", rtPyType(t), name)
	if stand, ok := rtStandIns[rtPyType(t)+"."+name]; ok {
		// A Python method Starlark lacks: say what starlab offers instead.
		return s + " (in starlab: " + stand + ")"
	}
	if hint != "" {
		s += fmt.Sprintf(". Did you mean: '%s'?", hint)
	}
	return s
}

// rtStandIns are the stand-ins for the Python methods that the course uses
// and Starlark's types lack (DESIGN §3).
var rtStandIns = map[string]string{
	"str.encode": `bytes(s, "utf8") encodes a string, as s.encode() does`,
}

// strNotSequence follows Python's message where a Starlark string is not
// the sequence of characters a Python str is: it names the way.
const strNotSequence = " (in starlab a str is not a sequence: iterate over s.codepoints() for its characters, " +
	"s.elems() for its bytes; len(s) counts bytes, len(s.codepoints()) characters)"

// rtNotIterable builds a rewrite for "'T' object is not iterable" where T is
// submatch i.
func rtNotIterable(i int) func(m []string) (string, string) {
	return func(m []string) (string, string) {
		msg := fmt.Sprintf("'%s' object is not iterable", rtPyType(m[i]))
		if m[i] == "string" {
			msg += strNotSequence
		}
		return "TypeError", msg
	}
}

// rtStrRepr returns repr(s) as CPython prints it: single quotes unless the
// text contains a single quote and no double quote, and backslash escapes
// for control and other non-printable characters. Printability follows Go's
// strconv.IsPrint, which agrees with Python's str.isprintable for all but a
// few exotic code points. Bytes that are not valid UTF-8 (which a Python
// str cannot hold) are shown as \xNN.
func rtStrRepr(s string) string {
	return rtQuote([]byte(s), false)
}

// rtQuote renders b as a Python str literal (isBytes false) or bytes
// literal (isBytes true), the way repr() does.
func rtQuote(b []byte, isBytes bool) string {
	quote := byte('\'')
	if strings.ContainsRune(string(b), '\'') && !strings.ContainsRune(string(b), '"') {
		quote = '"'
	}
	var sb strings.Builder
	if isBytes {
		sb.WriteByte('b')
	}
	sb.WriteByte(quote)
	for len(b) > 0 {
		r, size := rune(b[0]), 1
		if !isBytes && r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b)
			if r == utf8.RuneError && size == 1 {
				r = -1 // invalid byte
			}
		}
		c := b[0]
		b = b[size:]
		switch {
		case r == '\\' || r == rune(quote):
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0 || (isBytes && r >= 0x7f):
			fmt.Fprintf(&sb, `\x%02x`, c)
		case strconv.IsPrint(r):
			sb.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			fmt.Fprintf(&sb, `\U%08x`, r)
		}
	}
	sb.WriteByte(quote)
	return sb.String()
}

// rtReprFromStarlark converts the Starlark repr of a value (as embedded in
// "key ... not in dict") to its CPython repr. Starlark writes strings with
// double quotes ("b", b"k"), Python with single quotes ('b', b'k'); every
// string and bytes literal is decoded and re-quoted, everything else (ints,
// None, True, tuples' punctuation) is the same in both languages and is
// copied as is.
func rtReprFromStarlark(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); {
		isBytes := false
		switch {
		case s[i] == '"':
		case s[i] == 'b' && i+1 < len(s) && s[i+1] == '"' && (i == 0 || !rtIsIdentByte(s[i-1])):
			isBytes = true
			i++
		default:
			sb.WriteByte(s[i])
			i++
			continue
		}
		lit, n, ok := rtUnquote(s[i:])
		if !ok {
			sb.WriteString(s[i:]) // not a literal after all: copy the rest
			break
		}
		sb.WriteString(rtQuote(lit, isBytes))
		i += n
	}
	return sb.String()
}

func rtIsIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// rtUnquote decodes the double-quoted literal at the start of s, as
// written by go.starlark.net's syntax.Quote, and returns its bytes and the
// number of bytes of s it spans.
func rtUnquote(s string) (lit []byte, n int, ok bool) {
	if s == "" || s[0] != '"' {
		return nil, 0, false
	}
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			return lit, i + 1, true
		case c != '\\':
			lit = append(lit, c)
			i++
			continue
		case i+1 >= len(s):
			return nil, 0, false
		}
		e := s[i+1]
		i += 2
		if simple := rtSimpleEscape(e); simple != 0 {
			lit = append(lit, simple)
			continue
		}
		var width int
		switch e {
		case 'x':
			width = 2
		case 'u':
			width = 4
		case 'U':
			width = 8
		}
		if width == 0 || i+width > len(s) {
			return nil, 0, false
		}
		v, err := strconv.ParseUint(s[i:i+width], 16, 32)
		if err != nil {
			return nil, 0, false
		}
		i += width
		if e == 'x' {
			lit = append(lit, byte(v))
		} else {
			lit = utf8.AppendRune(lit, rune(v))
		}
	}
	return nil, 0, false
}

// rtSimpleEscape decodes the one-letter escapes syntax.Quote emits (\n, \",
// ...); it returns 0 for any other letter.
func rtSimpleEscape(e byte) byte {
	switch e {
	case 'a':
		return '\a'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return '\v'
	case '\\', '"':
		return e
	}
	return 0
}
