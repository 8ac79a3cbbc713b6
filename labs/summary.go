package labs

import (
	"fmt"
	"runtime"
	"sort"

	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
)

// GradeOptions tune a grading without changing its verdict.
type GradeOptions struct {
	// Parallel is how many runs of a sweep go at once (default GOMAXPROCS).
	// A class graded with --jobs N gives each submission 1: the
	// submissions, not the seeds, fill the cores.
	Parallel int
	// CPU, if not nil, is a semaphore shared by the submissions of a class:
	// a sim-mode run (CPU-bound: virtual time never waits) holds a slot while
	// it runs, a real-time run (mostly waiting in time.sleep) does not, so
	// more submissions than cores can be in flight without overloading them.
	CPU chan struct{}
}

func (o GradeOptions) acquireCPU() (release func()) {
	if o.CPU == nil {
		return func() {}
	}
	o.CPU <- struct{}{}
	return func() { <-o.CPU }
}

func (o GradeOptions) parallel() int {
	if o.Parallel > 0 {
		return o.Parallel
	}
	return runtime.GOMAXPROCS(0)
}

// sweepGlobalsBudget bounds what one run of a sweep keeps of the script's
// globals, in units of about 16 bytes (a value; a string counts its length
// too): 64Ki units, about 1 MiB a run, so 200 seeds keep at most ~200 MiB
// whatever the submission allocates. (Issue 15 measured 4.8 GB for a lab 03
// submission holding a 1M-element list, when every run kept its globals.)
const sweepGlobalsBudget = 1 << 16

// boundedGlobals copies the data of a run's globals (None, bools, numbers,
// strings, bytes, lists, tuples, dicts, sets) into new values, so that the
// run's own heap can be freed as soon as it ends. Within budget each value
// is copied whole; a value that doesn't fit, and any value that isn't data
// (a function, a Lock, a class: each may hold the whole module alive), is
// replaced by a string that says what it was, e.g.
// "<list of 1000000 items: too large to keep from a sweep>".
// A grader that reads a global's data from a sweep's runs sees it as it was.
func boundedGlobals(globals starlark.StringDict, budget int) *starlark.Dict {
	c := &copier{left: budget}
	names := make([]string, 0, len(globals))
	for k := range globals {
		names = append(names, k)
	}
	sort.Strings(names) // the budget goes to the same values every time
	d := starlark.NewDict(len(names))
	for _, k := range names {
		d.SetKey(starlark.String(k), c.value(globals[k], 0))
	}
	return d
}

type copier struct{ left int }

func (c *copier) value(v starlark.Value, depth int) starlark.Value {
	saved := c.left
	out, ok := c.copy(v, depth)
	if ok {
		return out
	}
	c.left = saved
	desc := fmt.Sprintf("<%s", v.Type())
	if s, ok := v.(starlark.Sequence); ok {
		desc += fmt.Sprintf(" of %d items", s.Len())
	} else if s, ok := v.(starlark.String); ok {
		desc += fmt.Sprintf(" of %d bytes", len(s))
	}
	if isData(v) {
		desc += ": too large to keep from a sweep>"
	} else {
		desc += ": not kept from a sweep, only data is>"
	}
	return starlark.String(desc)
}

func isData(v starlark.Value) bool {
	switch v.(type) {
	case starlark.NoneType, starlark.Bool, starlark.Int, starlark.Float, starlark.String, starlark.Bytes,
		*starlark.List, starlark.Tuple, *starlark.Dict, *starlark.Set:
		return true
	}
	return false
}

// copy copies v within the budget; false when it does not fit or is not data.
func (c *copier) copy(v starlark.Value, depth int) (starlark.Value, bool) {
	c.left--
	if c.left < 0 || depth > 64 {
		return nil, false
	}
	switch v := v.(type) {
	case starlark.NoneType, starlark.Bool, starlark.Float:
		return v, true
	case starlark.Int:
		if _, ok := v.Int64(); !ok {
			c.left -= v.BigInt().BitLen() / 128
		}
		return v, true // immutable, and holds nothing else alive
	case starlark.String:
		c.left -= len(v) / 16
		if c.left < 0 {
			return nil, false
		}
		return starlark.String(string(v)), true // a substring may share a huge backing array
	case starlark.Bytes:
		c.left -= len(v) / 16
		if c.left < 0 {
			return nil, false
		}
		return starlark.Bytes(string(v)), true
	case interp.Bytes:
		c.left -= len(v) / 16
		if c.left < 0 {
			return nil, false
		}
		return interp.Bytes(string(v)), true // a slice may share a huge backing array
	case *starlark.List:
		if v.Len() > c.left {
			return nil, false
		}
		elems := make([]starlark.Value, v.Len())
		for i := range elems {
			e, ok := c.copy(v.Index(i), depth+1)
			if !ok {
				return nil, false
			}
			elems[i] = e
		}
		return starlark.NewList(elems), true
	case starlark.Tuple:
		if len(v) > c.left {
			return nil, false
		}
		elems := make(starlark.Tuple, len(v))
		for i := range v {
			e, ok := c.copy(v[i], depth+1)
			if !ok {
				return nil, false
			}
			elems[i] = e
		}
		return elems, true
	case *starlark.Dict:
		if v.Len() > c.left {
			return nil, false
		}
		d := starlark.NewDict(v.Len())
		for _, kv := range v.Items() {
			k, ok := c.copy(kv[0], depth+1)
			if !ok {
				return nil, false
			}
			e, ok := c.copy(kv[1], depth+1)
			if !ok {
				return nil, false
			}
			if d.SetKey(k, e) != nil {
				return nil, false
			}
		}
		return d, true
	case *starlark.Set:
		if v.Len() > c.left {
			return nil, false
		}
		s := starlark.NewSet(v.Len())
		iter := v.Iterate()
		defer iter.Done()
		var x starlark.Value
		for iter.Next(&x) {
			e, ok := c.copy(x, depth+1)
			if !ok || s.Insert(e) != nil {
				return nil, false
			}
		}
		return s, true
	}
	return nil, false
}
