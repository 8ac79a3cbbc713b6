// Package exceptions is Python's exception statements and built-in
// exception classes for starlab scripts.
//
// Starlark has no try/except, raise, class or assert statements. These
// builtins stand in for them, with Python's semantics:
//
//	try:                          try_(body,
//	    body()                         except_=[(ValueError, on_value),
//	except ValueError as e:                     ((KeyError, IndexError), on_lookup)],
//	    on_value(e)                    else_=on_success,
//	except (KeyError, IndexError):     finally_=cleanup)
//	    ...
//	raise ValueError("bad")       raise_(ValueError("bad"))
//	raise                         raise_()
//	class MyError(ValueError)     MyError = exception("MyError", ValueError)
//	assert x > 0, "msg"           assert_(x > 0, "msg")
//
// The classes themselves (ValueError, OSError and its errno subclasses, ...)
// and the mapping of Starlark's runtime errors to them live in interp,
// which raises them too; this package gives scripts the statements'
// stand-ins and the names.
package exceptions
