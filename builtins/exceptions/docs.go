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
		Sig:     "(exc=None, from_=None)",
		Summary: "Raise an exception: an instance (raise_(ValueError(\"bad\"))) or a class (raise_(KeyError)); raise_() in a handler re-raises the one being handled.",
		More: `from_=cause chains the exceptions: the traceback prints the cause first, then
"The above exception was the direct cause of the following exception:". Without it, an
exception raised inside a handler shows the one being handled ("During handling of the
above exception, another exception occurred:"); from_=None hides that.`,
		Python: `raise ValueError("bad"); raise ValueError("bad") from e; raise (bare, in an except block)`,
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

	// The rest of CPython 3.11's classes, for the hierarchy and for pasted code.
	"BaseExceptionGroup":        {Sig: "(msg, excs)", Summary: "Python's group of several exceptions; kept for the hierarchy."},
	"ExceptionGroup":            {Sig: "(msg, excs)", Summary: "Python's group of several Exceptions; kept for the hierarchy."},
	"FloatingPointError":        {Sig: "(*args)", Summary: "A floating-point operation failed; CPython no longer raises it."},
	"BufferError":               {Sig: "(*args)", Summary: "A buffer operation failed; kept for the hierarchy."},
	"ModuleNotFoundError":       {Sig: "(*args)", Summary: "import named a module starlab does not have (No module named 'x')."},
	"UnboundLocalError":         {Sig: "(*args)", Summary: "A local variable used before its assignment in the function ran."},
	"ReferenceError":            {Sig: "(*args)", Summary: "A weak reference to an object that is gone; kept for the hierarchy."},
	"StopAsyncIteration":        {Sig: "(*args)", Summary: "The end of an asynchronous iterator; kept for the hierarchy."},
	"SyntaxError":               {Sig: "(*args)", Summary: "Code that does not parse; starlab reports it before the script runs."},
	"IndentationError":          {Sig: "(*args)", Summary: "A SyntaxError about indentation (a block not indented as expected)."},
	"TabError":                  {Sig: "(*args)", Summary: "An IndentationError: tabs and spaces mixed inconsistently."},
	"UnicodeDecodeError":        {Sig: "(*args)", Summary: "Bytes that are not valid text in the encoding asked for."},
	"UnicodeEncodeError":        {Sig: "(*args)", Summary: "Text that the encoding asked for cannot represent."},
	"UnicodeTranslateError":     {Sig: "(*args)", Summary: "A Unicode translation failed; kept for the hierarchy."},
	"Warning":                   {Sig: "(*args)", Summary: "The base class of warnings: exceptions that Python usually prints and goes on."},
	"BytesWarning":              {Sig: "(*args)", Summary: "A warning about bytes and str mixed up."},
	"DeprecationWarning":        {Sig: "(*args)", Summary: "A warning about a feature that is going away."},
	"EncodingWarning":           {Sig: "(*args)", Summary: "A warning about an encoding left to its default."},
	"FutureWarning":             {Sig: "(*args)", Summary: "A warning about a behaviour that will change."},
	"ImportWarning":             {Sig: "(*args)", Summary: "A warning about a module import."},
	"PendingDeprecationWarning": {Sig: "(*args)", Summary: "A warning about a feature that will be deprecated."},
	"ResourceWarning":           {Sig: "(*args)", Summary: "A warning about a resource (a file, a socket) left open."},
	"RuntimeWarning":            {Sig: "(*args)", Summary: "A warning about dubious run-time behaviour."},
	"SyntaxWarning":             {Sig: "(*args)", Summary: "A warning about dubious syntax."},
	"UnicodeWarning":            {Sig: "(*args)", Summary: "A warning about Unicode."},
	"UserWarning":               {Sig: "(*args)", Summary: "The default class of a program's own warnings."},
}
