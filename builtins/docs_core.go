package builtins

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// Docs of the globals that are not in a module: starlab's core builtins
// (interp's print, input, str, repr, bytes, and help) and Starlark's
// universe (len, range, ...). See docs.go.

var coreDocs = pydoc.Table{
	"print": {
		Sig:     `(*args, sep=" ", end="\n", file=None, flush=False)`,
		Summary: "Write the arguments, separated by sep and followed by end, to standard output (or to file).",
		More:    "One call is one write: lines printed by different threads never mix.",
	},
	"input": {
		Sig:     `(prompt="")`,
		Summary: "Show prompt, read one line from standard input and return it without its newline; EOFError at the end of input.",
		More:    "Other threads run while input() waits; Ctrl-C interrupts it with KeyboardInterrupt.",
	},
	"str": {
		Sig:     `(x="", encoding=None)`,
		Summary: "The string form of x; str(b) is the bytes' repr (b'...'), as in Python; str(b, \"utf8\") and b.decode() decode.",
		Python:  `str(x); for bytes, b.decode() or str(b, "utf8")`,
	},
	"repr": {
		Sig:     "(x)",
		Summary: "The printable representation of x, as Python writes it: 'a' for a string, b'a' for bytes.",
	},
	"bytes": {
		Sig:     `(x=b"", encoding=None)`,
		Summary: "Bytes from a str (encoded as UTF-8), from an int n (n zero bytes), or from an iterable of ints.",
		Python:  `bytes(x) or s.encode(); bytes(s, "utf8") works in both`,
	},
	"sum": {
		Sig:     "(iterable, start=0)",
		Summary: "start plus the sum of the numbers of iterable (lists and tuples concatenate from a start of their kind).",
	},
	"round": {
		Sig:     "(number, ndigits=None)",
		Summary: "number rounded to ndigits decimals (halves to the even neighbour); without ndigits, an int.",
	},
	"help": {
		Sig:     "(x=None)",
		Summary: "Show the documentation of x: a module, class, function, method, object, or a name given as a string; help() alone lists the modules.",
	},
}

var universeDocs = pydoc.Table{
	"None":  {Summary: "The value that stands for nothing: what a function without return returns."},
	"True":  {Summary: "The true bool."},
	"False": {Summary: "The false bool."},
	"abs":   {Sig: "(x)", Summary: "The absolute value of the number x."},
	"all":   {Sig: "(iterable)", Summary: "True if every element of iterable is true (or it is empty)."},
	"any":   {Sig: "(iterable)", Summary: "True if at least one element of iterable is true."},
	"bool":  {Sig: "(x=False)", Summary: "The truth of x as True or False."},
	"chr":   {Sig: "(i)", Summary: "The one-character string of the Unicode code point i."},
	"dict":  {Sig: "(pairs=[], **kwargs)", Summary: "A new dictionary, from key/value pairs, another dict, or keyword arguments."},
	"dir": {
		Sig:     "(x)",
		Summary: "The sorted names of the attributes of x: dir(threading), dir(q).",
		Python:  "dir(x); Starlark's dir needs an argument (Python's dir() alone lists the local names)",
	},
	"enumerate": {Sig: "(iterable, start=0)", Summary: "A list of (index, element) pairs.", Python: "enumerate(iterable, start=0), which Python makes lazily"},
	"fail": {
		Sig:     `(*args, sep=" ")`,
		Summary: "Stop with an error made of the arguments; starlab raises it as a RuntimeError.",
		Python:  `raise RuntimeError(msg); prefer raise_(ValueError("msg")) for a precise class`,
	},
	"float":    {Sig: "(x=0.0)", Summary: "A float from a number or a string such as \"1.5\"."},
	"getattr":  {Sig: "(x, name, default)", Summary: "The attribute of x called name; default (if given) when there is none."},
	"hasattr":  {Sig: "(x, name)", Summary: "Whether x has an attribute called name."},
	"hash":     {Sig: "(x)", Summary: "An integer hash of the string or bytes x.", Python: "hash(x), which Python also accepts for any hashable value"},
	"int":      {Sig: "(x=0, base=10)", Summary: "An int from a number (truncated) or a string in the given base (whitespace around it is ignored, as int(\" 42\\n\") in Python); ValueError for a bad string."},
	"len":      {Sig: "(x)", Summary: "The number of elements of a string, bytes, list, tuple, dict, set or range."},
	"list":     {Sig: "(iterable=[])", Summary: "A new list of the elements of iterable."},
	"max":      {Sig: "(iterable, key=None) or max(a, b, ...)", Summary: "The largest element (by key(element) if key is given)."},
	"min":      {Sig: "(iterable, key=None) or min(a, b, ...)", Summary: "The smallest element (by key(element) if key is given)."},
	"ord":      {Sig: "(s)", Summary: "The Unicode code point of the one-character string s (or the value of a one-byte bytes)."},
	"range":    {Sig: "(stop) or range(start, stop, step=1)", Summary: "The integers from start (default 0) up to, not including, stop, by step."},
	"reversed": {Sig: "(iterable)", Summary: "A new list of the elements of iterable, last first.", Python: "list(reversed(iterable)): Python's reversed returns an iterator"},
	"set":      {Sig: "(iterable=[])", Summary: "A new set of the elements of iterable."},
	"sorted":   {Sig: "(iterable, key=None, reverse=False)", Summary: "A new sorted list of the elements of iterable."},
	"tuple":    {Sig: "(iterable=())", Summary: "A new tuple of the elements of iterable."},
	"type":     {Sig: "(x)", Summary: "The class of x, as in Python: type(1) == int, type(e) == ValueError, type(x).__name__ is its name; print(type(\"s\")) shows <class 'str'>."},
	"format":   {Sig: "(x, spec=\"\")", Summary: "x formatted by Python's format-spec mini-language: format(3.14159, \".2f\") is '3.14', format(1234567, \",\") is '1,234,567'."},
	"divmod":   {Sig: "(a, b)", Summary: "The pair (a // b, a % b), with Python's floor semantics."},
	"pow":      {Sig: "(base, exp, mod=None)", Summary: "base to the power exp (modulo mod if given).", Python: "base ** exp: Starlark has no ** operator"},
	"hex":      {Sig: "(n)", Summary: "The int n in hexadecimal with Python's prefix: hex(255) is '0xff'."},
	"oct":      {Sig: "(n)", Summary: "The int n in octal with Python's prefix: oct(8) is '0o10'."},
	"bin":      {Sig: "(n)", Summary: "The int n in binary with Python's prefix: bin(5) is '0b101'."},
	"callable": {Sig: "(x)", Summary: "Whether x can be called: a function, a builtin, a class."},
	"id":       {Sig: "(x)", Summary: "An integer that identifies the object x: two names for one list have the same id."},
	"iter":     {Sig: "(iterable)", Summary: "An iterator over a list, tuple, range, dict or set, for next(it); a for loop over it consumes what is left."},
	"next":     {Sig: "(iterator, default)", Summary: "The next element of an iterator from iter(); default, or StopIteration, when there is none."},
	"map":      {Sig: "(func, *iterables)", Summary: "A list of func applied to the elements (in step, for several iterables).", Python: "list(map(func, *iterables)): Python's map is lazy"},
	"filter":   {Sig: "(func, iterable)", Summary: "A list of the elements for which func is true (the true elements, for func None).", Python: "list(filter(func, iterable)): Python's filter is lazy"},
	"exit":     {Sig: "(code=None)", Summary: "End the program, as sys.exit(code) does."},
	"quit":     {Sig: "(code=None)", Summary: "End the program, as sys.exit(code) does."},
	"__import__": {Sig: "(module, *names)", Summary: "What an import statement runs: every module is predeclared, so import only checks that it exists (ModuleNotFoundError otherwise) and binds it.",
		Python: "import threading; from queue import Queue: written as in Python, starlab rewrites them to this"},
	"__b__":       {Sig: "(text)", Summary: "What a b\"...\" literal runs: Python's bytes, with Python's methods, b[0] an int."},
	"__globals__": {Sig: "()", Summary: "What a script with a global statement runs first: the object that keeps the variables declared global (__g__)."},
	"__percent__": {Sig: "(format, args)", Summary: "What \"...\" % args runs when the format is a string literal: Python's printf-style formatting (%5.2f, %-10s, %05d, %(name)s, ...)."},
	"__method__":  {Sig: "(x, name, *args, **kwargs)", Summary: "What x.name(...) runs for the Python methods Starlark lacks: str.format, center, ljust, rjust, zfill, swapcase, encode, ...; b.decode(); list.sort, reverse, copy, count; tuple.index, count; dict.copy. Any other x's own method is called."},
	"zip":         {Sig: "(*iterables)", Summary: "A list of tuples: the first elements of each iterable, then the second ones, ...", Python: "list(zip(*iterables))"},
}

// keywordDocs answer help("while") and the like: the statements Starlark
// has, and the Python ones it lacks with their stand-ins.
var keywordDocs = map[string]string{
	"def":      "def name(params): defines a function; a block ends with a blank line at the prompt.",
	"lambda":   "lambda params: expr makes a small function, as in Python.",
	"if":       "if cond: ... elif cond: ... else: ..., as in Python.",
	"for":      "for x in iterable: ..., as in Python (break and continue work).",
	"while":    "while cond: ..., as in Python; starlab allows it at top level too.",
	"return":   "return value ends a function, as in Python.",
	"pass":     "pass does nothing, as in Python.",
	"load":     `load("other.star", "name") takes name from another file, where Python writes from other import name.`,
	"try":      "Starlark has no try statement: use try_(body, except_=[(ValueError, handler)], else_=fn, finally_=fn). See help(try_).",
	"except":   "Starlark has no try statement: use try_(body, except_=[(ValueError, handler)]). See help(try_).",
	"raise":    `Starlark has no raise statement: use raise_(ValueError("msg")), or raise_() to re-raise. See help(raise_).`,
	"class":    `Starlark has no classes: exception("MyError", ValueError) makes an exception class; threading.Thread(run=fn) stands in for a Thread subclass.`,
	"with":     "Starlark has no with statement: call lock.acquire() before and lock.release() after (in finally_ of try_ if it must always run).",
	"assert":   `Starlark has no assert statement: use assert_(cond, "msg"). See help(assert_).`,
	"global":   `global n works in a script, as in Python (starlab keeps the variable in a cell of the module); at the prompt, keep shared state in a container, state = {"n": 0}; state["n"] += 1.`,
	"nonlocal": `Starlark has no nonlocal statement: keep shared state in a container, state = {"n": 0}; state["n"] += 1.`,
	"import":   "import threading and from queue import Queue work as in Python; the modules are already there, so import only checks the name.",
}
