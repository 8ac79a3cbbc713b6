package exceptions

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the stand-ins for Python's exception statements and of
// the built-in exception classes, beside their code.

var Docs = pydoc.Table{
	"try_": {
		Sig:     "(body, except_=None, else_=None, finally_=None)",
		Summary: "Call body(); if it raises, the first except_ clause whose class matches handles the exception.",
		More: `except_ is a list of (class, handler) pairs, or one pair; a class may be a tuple of classes.
A handler takes the exception (or nothing); inside it, raise_() re-raises the exception.
else_ runs when body raised nothing, finally_ always.
try_ returns the value of body (or of else_), or of the handler that ran.
Example: try_(lambda: int(s), except_=(ValueError, print))`,
		Python: "try: body() / except E as e: handler(e) / else: else_() / finally: finally_()",
	},
	"raise_": {
		Sig:     "(exc=None)",
		Summary: "Raise an exception: an instance (raise_(ValueError(\"bad\"))) or a class (raise_(KeyError)); raise_() in a handler re-raises the one being handled.",
		Python:  `raise ValueError("bad"); raise (bare, in an except block)`,
	},
	"exception": {
		Sig:     "(name, base=Exception)",
		Summary: "Make a new exception class called name, a subclass of base.",
		Python:  "class name(base): pass",
		More:    `Example: InsufficientFunds = exception("InsufficientFunds", ValueError)`,
	},
	"assert_": {
		Sig:     "(cond, msg=None)",
		Summary: "Raise AssertionError(msg) unless cond is true.",
		Python:  "assert cond, msg",
	},
	"isinstance": {
		Sig:     "(x, cls)",
		Summary: "Whether x is an instance of cls: an exception class, a type function (int, str, list, dict, ...) or a tuple of those.",
	},
	"issubclass": {
		Sig:     "(cls, base)",
		Summary: "Whether the exception class cls is base or derives from it (base may be a tuple of classes).",
	},

	// The built-in classes, Python's hierarchy (help(ValueError) shows it).
	"BaseException":          {Sig: "(*args)", Summary: "The root of every exception class; catch Exception instead, so Ctrl-C and sys.exit still work."},
	"SystemExit":             {Sig: "(code=None)", Summary: "Raised by sys.exit(code): ends the program with that status."},
	"KeyboardInterrupt":      {Sig: "(*args)", Summary: "Raised in the main thread when the user presses Ctrl-C."},
	"GeneratorExit":          {Sig: "(*args)", Summary: "Python's signal to close a generator; kept for the hierarchy."},
	"Exception":              {Sig: "(*args)", Summary: "The base class of the ordinary errors: catch it to catch any of them."},
	"StopIteration":          {Sig: "(*args)", Summary: "Raised when an iterator has no more elements."},
	"ArithmeticError":        {Sig: "(*args)", Summary: "The base class of arithmetic errors."},
	"ZeroDivisionError":      {Sig: "(*args)", Summary: "Division or modulo by zero."},
	"OverflowError":          {Sig: "(*args)", Summary: "A number too large for the operation (a timeout beyond threading.TIMEOUT_MAX, ...)."},
	"AssertionError":         {Sig: "(*args)", Summary: "Raised by assert_(cond, msg) when cond is false."},
	"AttributeError":         {Sig: "(*args)", Summary: "An attribute that the object does not have (x.nope)."},
	"EOFError":               {Sig: "(*args)", Summary: "input() reached the end of standard input."},
	"ImportError":            {Sig: "(*args)", Summary: "load() could not load a file, or the name it asked for."},
	"LookupError":            {Sig: "(*args)", Summary: "The base class of IndexError and KeyError."},
	"IndexError":             {Sig: "(*args)", Summary: "A sequence index out of range."},
	"KeyError":               {Sig: "(*args)", Summary: "A dictionary key that is not there."},
	"MemoryError":            {Sig: "(*args)", Summary: "An operation asked for more memory than starlab allows."},
	"NameError":              {Sig: "(*args)", Summary: "A name that is not defined."},
	"OSError":                {Sig: "(*args)", Summary: "An operating-system error: a file, a socket, a process; the base of ConnectionError, TimeoutError, ..."},
	"IOError":                {Alias: "OSError"},
	"EnvironmentError":       {Alias: "OSError"},
	"BlockingIOError":        {Sig: "(*args)", Summary: "A non-blocking socket operation would have had to wait."},
	"ChildProcessError":      {Sig: "(*args)", Summary: "An operation on a child process failed."},
	"ConnectionError":        {Sig: "(*args)", Summary: "The base class of the connection errors."},
	"BrokenPipeError":        {Sig: "(*args)", Summary: "Writing to a socket or pipe whose other end is closed."},
	"ConnectionAbortedError": {Sig: "(*args)", Summary: "A connection attempt aborted by the peer."},
	"ConnectionRefusedError": {Sig: "(*args)", Summary: "Nobody listens at the address connected to."},
	"ConnectionResetError":   {Sig: "(*args)", Summary: "The peer reset the connection."},
	"FileExistsError":        {Sig: "(*args)", Summary: "Creating a file or directory that already exists."},
	"FileNotFoundError":      {Sig: "(*args)", Summary: "A file or directory that does not exist."},
	"InterruptedError":       {Sig: "(*args)", Summary: "A system call interrupted by a signal."},
	"IsADirectoryError":      {Sig: "(*args)", Summary: "A file operation on a directory."},
	"NotADirectoryError":     {Sig: "(*args)", Summary: "A directory operation on something that is not a directory."},
	"PermissionError":        {Sig: "(*args)", Summary: "An operation without the permission it needs."},
	"ProcessLookupError":     {Sig: "(*args)", Summary: "A process that does not exist."},
	"TimeoutError":           {Sig: "(*args)", Summary: "An operation timed out (socket.timeout is this class)."},
	"RuntimeError":           {Sig: "(*args)", Summary: "An error that fits no other class: fail(), releasing an unlocked lock, a deadlock at the prompt, ..."},
	"NotImplementedError":    {Sig: "(*args)", Summary: "Raised by a method that is left to a subclass, or a feature still to come."},
	"RecursionError":         {Sig: "(*args)", Summary: "The maximum recursion depth (1000, as in Python) was exceeded."},
	"SystemError":            {Sig: "(*args)", Summary: "An internal error of starlab: please report it."},
	"TypeError":              {Sig: "(*args)", Summary: "An operation or function applied to a value of the wrong type."},
	"ValueError":             {Sig: "(*args)", Summary: "A value of the right type but wrong: int(\"jack\"), a negative timeout, ..."},
	"UnicodeError":           {Sig: "(*args)", Summary: "Encoding or decoding text failed."},
}
