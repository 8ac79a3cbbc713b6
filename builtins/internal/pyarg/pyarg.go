// Package pyarg reads the arguments of builtins the way CPython does, with
// CPython's error classes and words: the calling thread, and timeouts in
// seconds (one parser for every blocking call, so a NaN, a negative or a
// huge timeout fails the same way everywhere, in each call's own words).
package pyarg

import (
	"math"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// TimeoutMax is the largest timeout in seconds CPython accepts
// (PY_TIMEOUT_MAX on Linux, about 292 years): beyond it, OverflowError.
const TimeoutMax = 9223372036.0

// CurrentThread returns the scheduler thread that runs th.
func CurrentThread(th *starlark.Thread) (*interp.Thread, error) {
	t := interp.Current(th)
	if t == nil {
		return nil, interp.Errorf(interp.RuntimeError, "not called from a starlab thread")
	}
	return t, nil
}

// SecondsToDuration converts seconds to a duration; a positive timeout too
// small for a nanosecond still waits one.
func SecondsToDuration(f float64) time.Duration {
	d := time.Duration(f * float64(time.Second))
	if f > 0 && d == 0 {
		d = 1
	}
	return d
}

// TimeoutSpec says how one builtin words the errors of its timeout
// argument, since CPython's modules each word them their own way.
type TimeoutSpec struct {
	// TypeMsg is the TypeError for a value that is not a number.
	TypeMsg func(v starlark.Value) string
	// NegMsg is the ValueError for a negative number; "" means a negative
	// timeout counts as 0 (a poll), as Thread.join and select do.
	NegMsg string
	// TooLargeMsg is the OverflowError past TimeoutMax.
	TooLargeMsg string
}

// Timeout reads a timeout in seconds: None is -1 (wait forever), a number
// its duration. NaN is Python's "Invalid value NaN (not a number)".
func Timeout(v starlark.Value, spec TimeoutSpec) (time.Duration, error) {
	if v == starlark.None {
		return -1, nil
	}
	f, ok := starlark.AsFloat(v)
	if !ok {
		return 0, interp.Errorf(interp.TypeError, "%s", spec.TypeMsg(v))
	}
	if math.IsNaN(f) {
		return 0, interp.Errorf(interp.ValueError, "Invalid value NaN (not a number)")
	}
	if f < 0 {
		if spec.NegMsg == "" {
			return 0, nil
		}
		return 0, interp.Errorf(interp.ValueError, "%s", spec.NegMsg)
	}
	if f > TimeoutMax {
		return 0, interp.Errorf(interp.OverflowError, "%s", spec.TooLargeMsg)
	}
	return SecondsToDuration(f), nil
}

// CInt reads an int argument as CPython's C functions do: an int or a bool
// that fits a C int, else "'str' object cannot be interpreted as an
// integer" or "Python int too large to convert to C int".
func CInt(v starlark.Value) (int, error) {
	switch v := v.(type) {
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n > math.MaxInt32 || n < math.MinInt32 {
			return 0, interp.Errorf(interp.OverflowError, "Python int too large to convert to C int")
		}
		return int(n), nil
	case starlark.Bool:
		if v {
			return 1, nil
		}
		return 0, nil
	}
	return 0, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(v))
}

// Index reads an int argument that CPython converts to a Py_ssize_t (the
// size of read(n)): past 63 bits it is CPython's OverflowError, before
// anything is allocated for it.
func Index(v starlark.Int) (int, error) {
	n, ok := v.Int64()
	if !ok {
		return 0, interp.Errorf(interp.OverflowError, "cannot fit 'int' into an index-sized integer")
	}
	return int(n), nil
}

// Bytes reads a bytes argument: "a bytes-like object is required, not 'str'".
func Bytes(v starlark.Value) (string, error) {
	if b, ok := interp.AsBytes(v); ok {
		return b, nil
	}
	return "", interp.Errorf(interp.TypeError, "a bytes-like object is required, not '%s'", interp.PyTypeName(v))
}

// Seconds reads the timeout of select and the servers: None is -1
// (forever); typeMsg is the TypeError for a non-number, negMsg the
// ValueError for a negative one ("" makes it 0).
func Seconds(v starlark.Value, typeMsg, negMsg string) (time.Duration, error) {
	return Timeout(v, TimeoutSpec{
		TypeMsg:     func(starlark.Value) string { return typeMsg },
		NegMsg:      negMsg,
		TooLargeMsg: "timeout is too large",
	})
}

// Path reads a path argument: str or bytes.
func Path(fn string, v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Bytes:
		return string(v), nil
	case interp.Bytes:
		return string(v), nil
	}
	return "", interp.Errorf(interp.TypeError, "%s: path should be string, bytes or os.PathLike, not %s", fn, interp.PyTypeName(v))
}
