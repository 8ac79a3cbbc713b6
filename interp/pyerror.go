package interp

import (
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// PyError is the Go error that carries a raised Python exception through the
// Starlark interpreter: builtins return one to raise, try_ unwraps it to catch.
type PyError struct {
	Exc *Exception
}

func (e *PyError) Error() string {
	if msg := e.Exc.Message(); msg != "" {
		return e.Exc.class.QualName() + ": " + msg
	}
	return e.Exc.class.QualName()
}

// Raise returns the error that raises exc.
func Raise(exc *Exception) error { return &PyError{Exc: exc} }

// Errorf raises an instance of class with a formatted message, the usual way
// for a builtin to fail: return nil, interp.Errorf(interp.RuntimeError, "release unlocked lock").
func Errorf(class *ExceptionClass, format string, args ...any) error {
	return &PyError{Exc: NewException(class, starlark.String(fmt.Sprintf(format, args...)))}
}

// Cancellation reasons. go.starlark.net reports a cancelled thread as an error
// "Starlark computation cancelled: REASON", which ExceptionFromError maps back.
const (
	cancelledPrefix  = "Starlark computation cancelled: "
	reasonInterrupt  = "KeyboardInterrupt"
	reasonKilled     = "starlab: thread stopped"
	reasonRecursion  = "maximum recursion depth exceeded"
	reasonStepBudget = "starlab: step budget exhausted"
)

// errKilled unwinds a thread that the scheduler is stopping (a daemon thread at
// exit, every thread after a deadlock). It is not a Python exception: try_
// never catches it and nothing is printed for it.
var errKilled = errors.New(reasonKilled)

// IsKilled reports whether err is the scheduler stopping a thread rather than a
// Python exception. try_ must let such errors pass.
func IsKilled(err error) bool {
	if errors.Is(err, errKilled) {
		return true
	}
	return err != nil && strings.Contains(err.Error(), cancelledPrefix+reasonKilled)
}

// ExceptionFromError turns any error that came out of Starlark code into the
// Python exception a learner would see: a raised exception as it is, a runtime
// error of go.starlark.net mapped to its Python class and CPython's wording.
// It returns nil for errKilled, which is not an exception. The exception's
// traceback is the error's call stack if it has none yet.
func ExceptionFromError(err error) *Exception {
	if err == nil || IsKilled(err) {
		return nil
	}
	var stack starlark.CallStack
	var evalErr *starlark.EvalError
	if errors.As(err, &evalErr) {
		stack = evalErr.CallStack
	}
	var exc *Exception
	var pyErr *PyError
	if errors.As(err, &pyErr) {
		exc = pyErr.Exc
	} else {
		msg := err.Error()
		if evalErr != nil {
			msg = evalErr.Msg
		}
		exc = exceptionFromMessage(msg)
	}
	if exc.stack == nil {
		exc.stack = stack
	}
	return exc
}

// exceptionFromMessage maps an error message of the Starlark runtime.
func exceptionFromMessage(msg string) *Exception {
	if reason, ok := strings.CutPrefix(msg, cancelledPrefix); ok {
		switch reason {
		case reasonInterrupt:
			return NewException(KeyboardInterrupt)
		case reasonRecursion:
			return NewException(RecursionError, starlark.String(reasonRecursion))
		case reasonMemory:
			return NewException(MemoryError)
		case reasonStepBudget:
			return NewException(RuntimeError, starlark.String("the run used up its step budget (an endless loop?)"))
		}
	}
	class, pyMsg := pyErrorFromRuntime(msg)
	c := BuiltinExceptions()[class]
	if c == nil {
		c = RuntimeError
	}
	if c == KeyError && pyMsg != "" {
		// KeyError's argument is the key itself (its message is the key's
		// repr); the mapped message is that repr, a literal we can read back.
		if key, err := starlark.EvalOptions(&syntax.FileOptions{}, &starlark.Thread{}, "<key>", pyMsg, nil); err == nil {
			return NewException(c, key)
		}
	}
	return NewException(c, starlark.String(pyMsg))
}
