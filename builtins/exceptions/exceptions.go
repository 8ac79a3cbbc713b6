package exceptions

import (
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// Globals returns try_, raise_, exception, assert_, isinstance,
// issubclass and every built-in exception class, for one run.
func Globals(it *interp.Interp) starlark.StringDict {
	d := starlark.StringDict{
		"try_": starlark.NewBuiltin("try_", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return tryBuiltin(it, th, args, kwargs)
		}),
		"raise_":     starlark.NewBuiltin("raise_", raiseBuiltin),
		"exception":  starlark.NewBuiltin("exception", exceptionClassBuiltin),
		"assert_":    starlark.NewBuiltin("assert_", assertBuiltin),
		"isinstance": starlark.NewBuiltin("isinstance", isinstanceBuiltin),
		"issubclass": starlark.NewBuiltin("issubclass", issubclassBuiltin),
	}
	for name, class := range interp.BuiltinExceptions() {
		d[name] = class
	}
	return d
}

// tryBuiltin is try_(body, except_=[(E, handler), ...], else_=fn, finally_=fn).
// The first clause whose class matches handles the exception, as in Python;
// a handler gets the exception if it takes an argument. It returns the value
// of body (or of else_ when given), or of the handler that ran.
func tryBuiltin(it *interp.Interp, th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var body, excepts, elseFn, finallyFn starlark.Value = nil, starlark.None, starlark.None, starlark.None
	if err := starlark.UnpackArgs("try_", args, kwargs, "body", &body, "except_?", &excepts, "else_?", &elseFn, "finally_?", &finallyFn); err != nil {
		return nil, err
	}
	if err := checkCallable("try_", "body", body); err != nil {
		return nil, err
	}
	for _, fn := range []struct {
		name string
		v    starlark.Value
	}{{"else_", elseFn}, {"finally_", finallyFn}} {
		if fn.v != starlark.None {
			if err := checkCallable("try_", fn.name, fn.v); err != nil {
				return nil, err
			}
		}
	}
	clauses, err := parseClauses(excepts)
	if err != nil {
		return nil, err
	}
	t := interp.Current(th)
	if t == nil {
		return nil, interp.Errorf(interp.RuntimeError, "try_: not called from a starlab thread")
	}

	result, err := starlark.Call(th, body, nil, nil)
	if err != nil && !interp.IsKilled(err) {
		exc := interp.ExceptionFromError(err)
		// A KeyboardInterrupt or RecursionError comes from cancelling the
		// thread, which is sticky: clear it, or finally_ and the handler
		// could not run, and a caught Ctrl-C would come back by itself.
		if exc.Class().IsSubclassOf(interp.KeyboardInterrupt) || exc.Class().IsSubclassOf(interp.RecursionError) || exc.Class().IsSubclassOf(interp.MemoryError) {
			it.Sched().ClearInterrupt(t)
		}
		if h := matchClause(clauses, exc); h != nil {
			t.PushHandling(exc)
			result, err = callHandler(th, h, exc)
			t.PopHandling()
			err = chainContext(err, exc)
		}
	} else if err == nil && elseFn != starlark.None {
		result, err = starlark.Call(th, elseFn, nil, nil)
	}
	if finallyFn != starlark.None && !interp.IsKilled(err) {
		if _, ferr := starlark.Call(th, finallyFn, nil, nil); ferr != nil {
			// An exception in finally replaces the one in flight, which
			// becomes its __context__, as in Python.
			if inFlight := interp.ExceptionFromError(err); inFlight != nil {
				ferr = chainContext(ferr, inFlight)
			}
			return nil, ferr
		}
	}
	return result, err
}

// chainContext gives an exception that escapes a handler its __context__,
// the exception the handler was handling, as every raise inside an except
// block does in Python. The error is re-raised as that one exception value,
// so an outer try_ sees the same object, chain included.
func chainContext(err error, handled *interp.Exception) error {
	if err == nil || interp.IsKilled(err) {
		return err
	}
	exc := interp.ExceptionFromError(err)
	if exc == nil {
		return err
	}
	exc.SetContext(handled)
	return interp.Raise(exc)
}

type clause struct {
	classes []*interp.ExceptionClass
	handler starlark.Value
}

// parseClauses reads except_: a list of (class_or_tuple, handler) pairs, or a
// single pair.
func parseClauses(v starlark.Value) ([]clause, error) {
	if v == starlark.None {
		return nil, nil
	}
	if pair, ok := v.(starlark.Tuple); ok && len(pair) == 2 {
		if _, isClass := pair[0].(*interp.ExceptionClass); isClass {
			c, err := parseClause(pair)
			if err != nil {
				return nil, err
			}
			return []clause{c}, nil
		}
	}
	seq, ok := v.(starlark.Indexable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "try_: except_ must be a list of (exception class, handler) pairs, not %s", v.Type())
	}
	var out []clause
	for i := 0; i < seq.Len(); i++ {
		pair, ok := seq.Index(i).(starlark.Tuple)
		if !ok || len(pair) != 2 {
			return nil, interp.Errorf(interp.TypeError, "try_: except_[%d] must be a pair (exception class, handler), not %s", i, seq.Index(i).Type())
		}
		c, err := parseClause(pair)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func parseClause(pair starlark.Tuple) (clause, error) {
	classes, err := classList("try_", pair[0])
	if err != nil {
		return clause{}, err
	}
	if err := checkCallable("try_", "an except_ handler", pair[1]); err != nil {
		return clause{}, err
	}
	return clause{classes: classes, handler: pair[1]}, nil
}

// classList reads an exception class or a tuple of them (Python's
// `except (A, B):`).
func classList(fn string, v starlark.Value) ([]*interp.ExceptionClass, error) {
	switch v := v.(type) {
	case *interp.ExceptionClass:
		return []*interp.ExceptionClass{v}, nil
	case starlark.Tuple:
		var out []*interp.ExceptionClass
		for _, e := range v {
			c, ok := e.(*interp.ExceptionClass)
			if !ok {
				return nil, interp.Errorf(interp.TypeError, "%s: catching classes that do not inherit from BaseException is not allowed (got %s)", fn, interp.PyRepr(e))
			}
			out = append(out, c)
		}
		return out, nil
	}
	return nil, interp.Errorf(interp.TypeError, "%s: catching classes that do not inherit from BaseException is not allowed (got %s)", fn, interp.PyRepr(v))
}

func matchClause(clauses []clause, exc *interp.Exception) starlark.Value {
	for _, c := range clauses {
		for _, class := range c.classes {
			if exc.Class().IsSubclassOf(class) {
				return c.handler
			}
		}
	}
	return nil
}

// callHandler calls h(exc), or h() if h is a Starlark function without parameters.
func callHandler(th *starlark.Thread, h starlark.Value, exc *interp.Exception) (starlark.Value, error) {
	if fn, ok := h.(*starlark.Function); ok && fn.NumParams() == 0 {
		return starlark.Call(th, fn, nil, nil)
	}
	return starlark.Call(th, h, starlark.Tuple{exc}, nil)
}

func checkCallable(fn, what string, v starlark.Value) error {
	if _, ok := v.(starlark.Callable); !ok {
		return interp.Errorf(interp.TypeError, "%s: %s must be callable, not %s", fn, what, interp.PyRepr(v))
	}
	return nil
}

// raiseBuiltin is raise_(exc_or_class, from_=cause) or, inside a handler,
// raise_() to re-raise. from_ is Python's `raise E from cause`: the cause is
// printed first, joined by "The above exception was the direct cause of the
// following exception:"; from_=None hides the context, as `from None` does.
func raiseBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value = starlark.None
	var from starlark.Value // nil: no from_ given
	if err := starlark.UnpackArgs("raise_", args, kwargs, "exc?", &v, "from_?", &from); err != nil {
		return nil, err
	}
	var exc *interp.Exception
	switch v := v.(type) {
	case starlark.NoneType:
		if t := interp.Current(th); t != nil {
			if exc := t.Handling(); exc != nil {
				return nil, interp.Raise(exc)
			}
		}
		return nil, interp.Errorf(interp.RuntimeError, "No active exception to reraise")
	case *interp.Exception:
		exc = v
	case *interp.ExceptionClass:
		exc = interp.NewException(v)
	default:
		return nil, interp.Errorf(interp.TypeError, "exceptions must derive from BaseException")
	}
	switch c := from.(type) {
	case nil:
	case starlark.NoneType:
		exc.SetCause(nil)
	case *interp.Exception:
		exc.SetCause(c)
	case *interp.ExceptionClass:
		exc.SetCause(interp.NewException(c))
	default:
		return nil, interp.Errorf(interp.TypeError, "exception causes must derive from BaseException")
	}
	return nil, interp.Raise(exc)
}

// exceptionClassBuiltin is exception(name, base=Exception): a new exception class.
func exceptionClassBuiltin(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var base starlark.Value = interp.Exception_
	if err := starlark.UnpackPositionalArgs("exception", args, kwargs, 1, &name, &base); err != nil {
		return nil, err
	}
	bc, ok := base.(*interp.ExceptionClass)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "exception: base must be an exception class such as Exception or ValueError, not %s", interp.PyRepr(base))
	}
	if name == "" {
		return nil, interp.Errorf(interp.ValueError, "exception: name must not be empty")
	}
	return interp.NewExceptionClass(name, bc), nil
}

// assertBuiltin is assert_(cond, msg=None).
func assertBuiltin(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cond starlark.Value
	var msg starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs("assert_", args, kwargs, 1, &cond, &msg); err != nil {
		return nil, err
	}
	if cond.Truth() {
		return starlark.None, nil
	}
	if msg == starlark.None {
		return nil, interp.Raise(interp.NewException(interp.AssertionError))
	}
	return nil, interp.Raise(interp.NewException(interp.AssertionError, msg))
}

// builtinTypes are the Starlark builtins that stand for Python's types in
// isinstance(x, int), and the Starlark type names of their values.
var builtinTypes = map[string][]string{
	"int":   {"int", "bool"}, // bool is a subclass of int in Python
	"float": {"float"},
	"str":   {"string"},
	"bytes": {"bytes"},
	"bool":  {"bool"},
	"list":  {"list"},
	"tuple": {"tuple"},
	"dict":  {"dict"},
	"set":   {"set"},
}

// isinstanceBuiltin is isinstance(x, cls): cls an exception class, a builtin
// type function (int, str, list, ...) or a tuple of those.
func isinstanceBuiltin(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, cls starlark.Value
	if err := starlark.UnpackPositionalArgs("isinstance", args, kwargs, 2, &x, &cls); err != nil {
		return nil, err
	}
	ok, err := isInstance(x, cls)
	return starlark.Bool(ok), err
}

func isInstance(x, cls starlark.Value) (bool, error) {
	switch c := cls.(type) {
	case starlark.Tuple:
		for _, e := range c {
			ok, err := isInstance(x, e)
			if ok || err != nil {
				return ok, err
			}
		}
		return false, nil
	case *interp.ExceptionClass:
		e, ok := x.(*interp.Exception)
		return ok && e.Class().IsSubclassOf(c), nil
	case *starlark.Builtin:
		if names, ok := builtinTypes[c.Name()]; ok {
			for _, n := range names {
				if x.Type() == n {
					return true, nil
				}
			}
			return false, nil
		}
	case interface{ IsInstance(starlark.Value) bool }:
		return c.IsInstance(x), nil
	}
	return false, interp.Errorf(interp.TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union")
}

// issubclassBuiltin is issubclass(C, B) for exception classes.
func issubclassBuiltin(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var c, base starlark.Value
	if err := starlark.UnpackPositionalArgs("issubclass", args, kwargs, 2, &c, &base); err != nil {
		return nil, err
	}
	if pc, ok := c.(*interp.PyClass); ok { // issubclass(bool, int), issubclass(int, (str, int))
		bases := starlark.Tuple{base}
		if t, ok := base.(starlark.Tuple); ok {
			bases = t
		}
		for _, b := range bases {
			if bc, ok := b.(*interp.PyClass); ok && (bc.Name() == pc.Name() || bc.Name() == "int" && pc.Name() == "bool") {
				return starlark.True, nil
			}
		}
		return starlark.False, nil
	}
	cc, ok := c.(*interp.ExceptionClass)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "issubclass() arg 1 must be a class")
	}
	bases, err := classList("issubclass", base)
	if err != nil {
		return nil, interp.Errorf(interp.TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union")
	}
	for _, b := range bases {
		if cc.IsSubclassOf(b) {
			return starlark.True, nil
		}
	}
	return starlark.False, nil
}
