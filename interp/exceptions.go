package interp

import (
	"reflect"
	"strings"
	"unsafe"

	"go.starlark.net/starlark"
)

// ExceptionClass is a Python exception class such as ValueError. Calling it
// makes an *Exception, as in Python. Classes form a single-inheritance tree
// rooted at BaseException; a learner's own class comes from
// exception("MyError", ValueError).
//
// Classes are immutable once built, so the built-in ones are shared by every
// interpreter in the process.
type ExceptionClass struct {
	name   string
	module string // "" for builtins; "queue" gives the Python-style "queue.Empty"
	base   *ExceptionClass
	init   func(e *Exception) error // set by NewModuleExceptionClassInit (gevent.Timeout)
}

// NewExceptionClass returns a class named name deriving from base (nil only for
// BaseException itself).
func NewExceptionClass(name string, base *ExceptionClass) *ExceptionClass {
	return &ExceptionClass{name: name, base: base}
}

// NewModuleExceptionClass is NewExceptionClass for a class that lives in a module,
// such as queue.Empty: its qualified name is used in tracebacks.
func NewModuleExceptionClass(module, name string, base *ExceptionClass) *ExceptionClass {
	return &ExceptionClass{name: name, module: module, base: base}
}

var (
	_ starlark.Callable = (*ExceptionClass)(nil)
	_ starlark.HasAttrs = (*ExceptionClass)(nil)
)

// Name is the class's bare name ("ValueError").
func (c *ExceptionClass) Name() string { return c.name }

// QualName is the name as Python prints it in a traceback ("queue.Empty").
func (c *ExceptionClass) QualName() string {
	if c.module != "" {
		return c.module + "." + c.name
	}
	return c.name
}

// Base returns the parent class, nil for BaseException.
func (c *ExceptionClass) Base() *ExceptionClass { return c.base }

// IsSubclassOf reports whether c is other or derives from it.
func (c *ExceptionClass) IsSubclassOf(other *ExceptionClass) bool {
	for k := c; k != nil; k = k.base {
		if k == other {
			return true
		}
	}
	return false
}

func (c *ExceptionClass) String() string        { return "<class '" + c.QualName() + "'>" }
func (c *ExceptionClass) Type() string          { return "type" }
func (c *ExceptionClass) Freeze()               {}
func (c *ExceptionClass) Truth() starlark.Bool  { return true }
func (c *ExceptionClass) Hash() (uint32, error) { return pointerHash(unsafe.Pointer(c)), nil }

func (c *ExceptionClass) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__":
		return starlark.String(c.name), nil
	case "__qualname__":
		return starlark.String(c.QualName()), nil
	case "__base__":
		if c.base == nil {
			return starlark.None, nil
		}
		return c.base, nil
	}
	return nil, nil
}

func (c *ExceptionClass) AttrNames() []string {
	return []string{"__base__", "__name__", "__qualname__"}
}

// CallInternal makes an instance: ValueError("bad") → an exception whose args
// are ("bad",). Like Python, exceptions take positional arguments only.
func (c *ExceptionClass) CallInternal(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, Errorf(TypeError, "%s() takes no keyword arguments", c.name)
	}
	e := NewException(c, args...)
	if c.init != nil { // gevent.Timeout(2) is also a timer: exceptions_init.go
		if err := c.init(e); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Exception is a Python exception instance. str(e) is its message, e.args its
// arguments and type(e) its class name, as in Python.
type Exception struct {
	class *ExceptionClass
	args  starlark.Tuple
	attrs map[string]starlark.Value // extra attributes, e.g. OSError's errno

	// stack is where it was raised; set the first time it is raised or caught.
	stack starlark.CallStack

	// context is the exception that was being handled when this one was
	// raised (Python's __context__), cause the one named by
	// raise_(E, from_=cause) (__cause__). A traceback prints the chain.
	// suppressContext is __suppress_context__: set by from_, even
	// from_=None, it hides the context.
	context, cause  *Exception
	suppressContext bool
}

var _ starlark.HasAttrs = (*Exception)(nil)

// NewException makes an instance of class with the given args. For OSError and
// its subclasses, two or more args set errno and strerror as Python does.
func NewException(class *ExceptionClass, args ...starlark.Value) *Exception {
	e := &Exception{class: class, args: starlark.Tuple(args)}
	if class.IsSubclassOf(OSError) {
		// CPython's OSError: 2 to 5 arguments are (errno, strerror,
		// filename, winerror, filename2); the file names leave args.
		for _, name := range []string{"errno", "strerror", "filename", "filename2"} {
			e.SetAttr(name, starlark.None)
		}
		if n := len(args); n >= 2 && n <= 5 {
			e.SetAttr("errno", args[0])
			e.SetAttr("strerror", args[1])
			if n >= 3 {
				e.SetAttr("filename", args[2])
				if n == 5 {
					e.SetAttr("filename2", args[4])
				}
				e.args = e.args[:2]
			}
		}
	}
	return e
}

// Class returns the exception's class.
func (e *Exception) Class() *ExceptionClass { return e.class }

// Args returns e.args.
func (e *Exception) Args() starlark.Tuple { return e.args }

// Stack returns the call stack at the point it was raised (nil if never raised).
func (e *Exception) Stack() starlark.CallStack { return e.stack }

// SetContext records ctx as the exception being handled when e was raised,
// as Python does implicitly at every raise inside an except block. A context
// already set is kept (it is the innermost one), and ctx is refused if it
// would make the chain a loop: re-raising the handled exception itself, or
// one whose own chain leads back to e.
func (e *Exception) SetContext(ctx *Exception) {
	if ctx == nil || e.context != nil {
		return
	}
	for c := ctx; c != nil; c = c.context {
		if c == e {
			return
		}
	}
	e.context = ctx
}

// SetCause is `raise e from cause`: cause nil is `from None`. Either way the
// context is no longer printed.
func (e *Exception) SetCause(cause *Exception) {
	if cause == e {
		cause = nil
	}
	e.cause = cause
	e.suppressContext = true
}

// Context and Cause return __context__ and __cause__ (nil for None).
func (e *Exception) Context() *Exception { return e.context }
func (e *Exception) Cause() *Exception   { return e.cause }

// SetAttr sets an extra attribute (errno, strerror, ...). Only Go code calls it;
// exception values are otherwise immutable.
func (e *Exception) SetAttr(name string, v starlark.Value) {
	if e.attrs == nil {
		e.attrs = make(map[string]starlark.Value)
	}
	e.attrs[name] = v
}

// Message is str(e): empty for no args, str(arg) for one, the tuple's repr otherwise.
func (e *Exception) Message() string {
	if msg, ok := e.osErrorMessage(); ok {
		return msg
	}
	switch len(e.args) {
	case 0:
		return ""
	case 1:
		if e.class.IsSubclassOf(KeyError) {
			return PyRepr(e.args[0]) // Python's KeyError shows the key's repr
		}
		return PyStr(e.args[0])
	}
	return PyRepr(e.args)
}

// osErrorMessage is CPython's OSError.__str__ (Objects/exceptions.c): with
// errno and strerror (2 to 5 args) it reads "[Errno 98] Address already in
// use", followed by ": 'x.txt'" when a filename is set (the "filename"
// attribute, which Go code sets, or the third argument) and " -> 'y'" for
// filename2 (the fifth). Otherwise it is BaseException's str, ok=false.
func (e *Exception) osErrorMessage() (msg string, ok bool) {
	if !e.class.IsSubclassOf(OSError) || len(e.args) < 2 || len(e.args) > 5 {
		return "", false
	}
	filename, filename2 := e.attrs["filename"], e.attrs["filename2"] // NewException took them out of args
	msg = "[Errno " + PyStr(e.args[0]) + "] " + PyStr(e.args[1])
	if filename != nil && filename != starlark.None {
		msg += ": " + PyRepr(filename)
		if filename2 != nil && filename2 != starlark.None {
			msg += " -> " + PyRepr(filename2)
		}
	}
	return msg, true
}

// Repr is Python's repr(e): ValueError('bad').
func (e *Exception) Repr() string {
	var b strings.Builder
	b.WriteString(e.class.name)
	if len(e.args) == 1 {
		b.WriteString("(" + PyRepr(e.args[0]) + ")")
	} else {
		b.WriteString(PyRepr(e.args))
	}
	return b.String()
}

func (e *Exception) String() string        { return e.Message() }
func (e *Exception) Type() string          { return e.class.name }
func (e *Exception) Freeze()               {}
func (e *Exception) Truth() starlark.Bool  { return true }
func (e *Exception) Hash() (uint32, error) { return pointerHash(unsafe.Pointer(e)), nil }

func (e *Exception) Attr(name string) (starlark.Value, error) {
	switch name {
	case "args":
		return e.args, nil
	case "__class__":
		return e.class, nil
	case "__context__":
		return excOrNone(e.context), nil
	case "__cause__":
		return excOrNone(e.cause), nil
	case "__suppress_context__":
		return starlark.Bool(e.suppressContext), nil
	}
	if v, ok := e.attrs[name]; ok {
		return v, nil
	}
	return nil, nil
}

func (e *Exception) AttrNames() []string {
	names := []string{"__cause__", "__class__", "__context__", "__suppress_context__", "args"}
	for k := range e.attrs {
		names = append(names, k)
	}
	return names
}

func excOrNone(e *Exception) starlark.Value {
	if e == nil {
		return starlark.None
	}
	return e
}

// pointerHash hashes identity, as Python's default object hash does.
func pointerHash(p unsafe.Pointer) uint32 {
	u := uint64(uintptr(p))
	return uint32(u ^ (u >> 32))
}

// pyQuote quotes s as Python's repr does: single quotes unless s contains a
// single quote and no double quote; escapes as CPython's (one implementation,
// rtQuote, for every repr starlab prints).
func pyQuote(s string) string { return rtQuote([]byte(s), false) }

// The built-in hierarchy: every exception class of CPython 3.11's builtins,
// each under its Python base (TestHierarchyMatchesCPython checks it against
// python3). ExceptionGroup has two bases in CPython (BaseExceptionGroup and
// Exception); here it derives from Exception only, which is what an
// `except Exception` clause needs.
var (
	BaseException     = NewExceptionClass("BaseException", nil)
	SystemExit        = NewExceptionClass("SystemExit", BaseException)
	KeyboardInterrupt = NewExceptionClass("KeyboardInterrupt", BaseException)
	GeneratorExit     = NewExceptionClass("GeneratorExit", BaseException)
	Exception_        = NewExceptionClass("Exception", BaseException)

	StopIteration          = NewExceptionClass("StopIteration", Exception_)
	ArithmeticError        = NewExceptionClass("ArithmeticError", Exception_)
	ZeroDivisionError      = NewExceptionClass("ZeroDivisionError", ArithmeticError)
	OverflowError          = NewExceptionClass("OverflowError", ArithmeticError)
	AssertionError         = NewExceptionClass("AssertionError", Exception_)
	AttributeError         = NewExceptionClass("AttributeError", Exception_)
	EOFError               = NewExceptionClass("EOFError", Exception_)
	ImportError            = NewExceptionClass("ImportError", Exception_)
	LookupError            = NewExceptionClass("LookupError", Exception_)
	IndexError             = NewExceptionClass("IndexError", LookupError)
	KeyError               = NewExceptionClass("KeyError", LookupError)
	MemoryError            = NewExceptionClass("MemoryError", Exception_)
	NameError              = NewExceptionClass("NameError", Exception_)
	OSError                = NewExceptionClass("OSError", Exception_)
	BlockingIOError        = NewExceptionClass("BlockingIOError", OSError)
	ChildProcessError      = NewExceptionClass("ChildProcessError", OSError)
	ConnectionError        = NewExceptionClass("ConnectionError", OSError)
	BrokenPipeError        = NewExceptionClass("BrokenPipeError", ConnectionError)
	ConnectionAbortedError = NewExceptionClass("ConnectionAbortedError", ConnectionError)
	ConnectionRefusedError = NewExceptionClass("ConnectionRefusedError", ConnectionError)
	ConnectionResetError   = NewExceptionClass("ConnectionResetError", ConnectionError)
	FileExistsError        = NewExceptionClass("FileExistsError", OSError)
	FileNotFoundError      = NewExceptionClass("FileNotFoundError", OSError)
	InterruptedError       = NewExceptionClass("InterruptedError", OSError)
	IsADirectoryError      = NewExceptionClass("IsADirectoryError", OSError)
	NotADirectoryError     = NewExceptionClass("NotADirectoryError", OSError)
	PermissionError        = NewExceptionClass("PermissionError", OSError)
	ProcessLookupError     = NewExceptionClass("ProcessLookupError", OSError)
	TimeoutError           = NewExceptionClass("TimeoutError", OSError)
	RuntimeError           = NewExceptionClass("RuntimeError", Exception_)
	SystemError            = NewExceptionClass("SystemError", Exception_)
	NotImplementedError    = NewExceptionClass("NotImplementedError", RuntimeError)
	RecursionError         = NewExceptionClass("RecursionError", RuntimeError)
	TypeError              = NewExceptionClass("TypeError", Exception_)
	ValueError             = NewExceptionClass("ValueError", Exception_)
	UnicodeError           = NewExceptionClass("UnicodeError", ValueError)

	BaseExceptionGroup        = NewExceptionClass("BaseExceptionGroup", BaseException)
	ExceptionGroup            = NewExceptionClass("ExceptionGroup", Exception_)
	FloatingPointError        = NewExceptionClass("FloatingPointError", ArithmeticError)
	BufferError               = NewExceptionClass("BufferError", Exception_)
	ModuleNotFoundError       = NewExceptionClass("ModuleNotFoundError", ImportError)
	UnboundLocalError         = NewExceptionClass("UnboundLocalError", NameError)
	ReferenceError            = NewExceptionClass("ReferenceError", Exception_)
	StopAsyncIteration        = NewExceptionClass("StopAsyncIteration", Exception_)
	SyntaxError               = NewExceptionClass("SyntaxError", Exception_)
	IndentationError          = NewExceptionClass("IndentationError", SyntaxError)
	TabError                  = NewExceptionClass("TabError", IndentationError)
	UnicodeDecodeError        = NewExceptionClass("UnicodeDecodeError", UnicodeError)
	UnicodeEncodeError        = NewExceptionClass("UnicodeEncodeError", UnicodeError)
	UnicodeTranslateError     = NewExceptionClass("UnicodeTranslateError", UnicodeError)
	Warning                   = NewExceptionClass("Warning", Exception_)
	BytesWarning              = NewExceptionClass("BytesWarning", Warning)
	DeprecationWarning        = NewExceptionClass("DeprecationWarning", Warning)
	EncodingWarning           = NewExceptionClass("EncodingWarning", Warning)
	FutureWarning             = NewExceptionClass("FutureWarning", Warning)
	ImportWarning             = NewExceptionClass("ImportWarning", Warning)
	PendingDeprecationWarning = NewExceptionClass("PendingDeprecationWarning", Warning)
	ResourceWarning           = NewExceptionClass("ResourceWarning", Warning)
	RuntimeWarning            = NewExceptionClass("RuntimeWarning", Warning)
	SyntaxWarning             = NewExceptionClass("SyntaxWarning", Warning)
	UnicodeWarning            = NewExceptionClass("UnicodeWarning", Warning)
	UserWarning               = NewExceptionClass("UserWarning", Warning)
)

// BuiltinExceptions returns the built-in classes by name, for the predeclared
// globals and for mapping runtime errors. It is a new map each call.
func BuiltinExceptions() map[string]*ExceptionClass {
	m := make(map[string]*ExceptionClass)
	for _, c := range []*ExceptionClass{
		BaseException, SystemExit, KeyboardInterrupt, GeneratorExit, Exception_,
		StopIteration, ArithmeticError, ZeroDivisionError, OverflowError,
		AssertionError, AttributeError, EOFError, ImportError, LookupError,
		IndexError, KeyError, MemoryError, NameError, OSError, BlockingIOError,
		ChildProcessError, ConnectionError, BrokenPipeError, ConnectionAbortedError,
		ConnectionRefusedError, ConnectionResetError, FileExistsError,
		FileNotFoundError, InterruptedError, IsADirectoryError, NotADirectoryError,
		PermissionError, ProcessLookupError, TimeoutError, RuntimeError,
		NotImplementedError, RecursionError, SystemError, TypeError, ValueError, UnicodeError,
		BaseExceptionGroup, ExceptionGroup, FloatingPointError, BufferError,
		ModuleNotFoundError, UnboundLocalError, ReferenceError, StopAsyncIteration,
		SyntaxError, IndentationError, TabError, UnicodeDecodeError,
		UnicodeEncodeError, UnicodeTranslateError, Warning, BytesWarning,
		DeprecationWarning, EncodingWarning, FutureWarning, ImportWarning,
		PendingDeprecationWarning, ResourceWarning, RuntimeWarning, SyntaxWarning,
		UnicodeWarning, UserWarning,
	} {
		m[c.name] = c
	}
	// Python 3 keeps the old names as aliases of OSError.
	m["IOError"] = OSError
	m["EnvironmentError"] = OSError
	return m
}

// IdentityHash hashes a pointer-shaped value by identity, for Go-backed
// objects that, like Python's, are equal only to themselves.
func IdentityHash(p any) uint32 { return pointerHash(reflect.ValueOf(p).UnsafePointer()) }
