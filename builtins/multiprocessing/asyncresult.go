package multiprocessing

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// asyncResult is AsyncResult (apply_async) and MapResult (map_async):
// the outcome of n tasks, filled in by the pool's result-handler thread.
type asyncResult struct {
	m       *Module
	n       int
	isMap   bool
	success starlark.Value // callback
	failure starlark.Value // error_callback

	mu     sync.Mutex
	got    int
	values []starlark.Value
	exc    *interp.Exception
	done   chan struct{}
	// item, for imap, gets each outcome as it comes (imap.go); an error
	// then doesn't end the others.
	item func(index int, v starlark.Value, exc *interp.Exception)
}

func newAsyncResult(m *Module, n int, isMap bool, callback, errorCallback starlark.Value) *asyncResult {
	return &asyncResult{m: m, n: n, isMap: isMap, success: callback, failure: errorCallback,
		values: make([]starlark.Value, n), done: make(chan struct{})}
}

func (r *asyncResult) finished() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// deliver records one task's outcome; the last one (or a map's first
// error) runs the callback in st, the result-handler thread, then makes
// the result ready, as CPython does.
func (r *asyncResult) deliver(st *starlark.Thread, o outcome) {
	r.mu.Lock()
	if r.finished() {
		r.mu.Unlock()
		return
	}
	r.got++
	if r.item != nil {
		r.item(o.task.index, o.value, o.exc)
	}
	if o.exc != nil && r.exc == nil {
		r.exc = o.exc
	} else if o.exc == nil {
		r.values[o.task.index] = o.value
	}
	last := r.got == r.n || (r.exc != nil && r.item == nil)
	r.mu.Unlock()
	if last {
		r.finish(st)
	}
}

func (r *asyncResult) finish(st *starlark.Thread) {
	var cb starlark.Value
	var arg starlark.Value
	if r.exc != nil {
		cb, arg = r.failure, r.exc
	} else {
		cb, arg = r.success, r.value()
	}
	if cb != nil && cb != starlark.None && st != nil {
		if _, err := starlark.Call(st, cb, starlark.Tuple{arg}, nil); err != nil {
			if exc := interp.ExceptionFromError(err); exc != nil {
				var b strings.Builder
				fmt.Fprintf(&b, "Exception in thread %s:\n", st.Name)
				r.m.it.PrintException(&b, exc)
				io.WriteString(r.m.it.Stderr(), b.String())
			}
		}
	}
	close(r.done)
	if s := r.m.it.Sched(); s.Sim() {
		s.Signal() // its getters wait through the scheduler (waitDone)
	}
}

func (r *asyncResult) value() starlark.Value {
	if r.isMap {
		return starlark.NewList(append([]starlark.Value(nil), r.values...))
	}
	return r.values[0]
}

func (r *asyncResult) String() string {
	if r.isMap {
		return fmt.Sprintf("<multiprocessing.pool.MapResult object at 0x%x>", interp.IdentityHash(r))
	}
	return fmt.Sprintf("<multiprocessing.pool.ApplyResult object at 0x%x>", interp.IdentityHash(r))
}
func (r *asyncResult) Type() string          { return "ApplyResult" }
func (r *asyncResult) Freeze()               {}
func (r *asyncResult) Truth() starlark.Bool  { return true }
func (r *asyncResult) Hash() (uint32, error) { return interp.IdentityHash(r), nil }
func (r *asyncResult) AttrNames() []string {
	return []string{"get", "ready", "successful", "wait"}
}

func (r *asyncResult) Attr(name string) (starlark.Value, error) {
	switch name {
	case "get", "wait":
		return starlark.NewBuiltin(name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var timeout starlark.Value = starlark.None
			if err := starlark.UnpackArgs(name, args, kwargs, "timeout?", &timeout); err != nil {
				return nil, err
			}
			d, err := waitTimeout(timeout)
			if err != nil {
				return nil, err
			}
			if err := waitDone(th, "AsyncResult."+name, r.done, d); err != nil {
				return nil, err
			}
			if name == "wait" {
				return starlark.None, nil
			}
			if !r.finished() {
				return nil, interp.Raise(interp.NewException(r.m.timeoutError))
			}
			if r.exc != nil {
				return nil, interp.Raise(r.exc)
			}
			return r.value(), nil
		}), nil
	case "ready":
		return starlark.NewBuiltin(name, func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			return starlark.Bool(r.finished()), nil
		}), nil
	case "successful":
		return starlark.NewBuiltin(name, func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
			if !r.finished() {
				return nil, interp.Errorf(interp.ValueError, "%s not ready", r.String())
			}
			return starlark.Bool(r.exc == nil), nil
		}), nil
	}
	return nil, nil
}

// method runs one of Pool's methods.
func (p *Pool) method(th *starlark.Thread, name string, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	switch name {
	case "close":
		p.close()
		return starlark.None, nil
	case "terminate":
		p.terminate()
		return starlark.None, nil
	case "join":
		return starlark.None, p.join(th)
	case "apply", "apply_async":
		var fn starlark.Value
		var fargs starlark.Value = starlark.Tuple{}
		var kwds starlark.Value = starlark.NewDict(0)
		var cb, ecb starlark.Value = starlark.None, starlark.None
		pairs := []any{"func", &fn, "args?", &fargs, "kwds?", &kwds}
		if name == "apply_async" {
			pairs = append(pairs, "callback?", &cb, "error_callback?", &ecb)
		}
		if err := starlark.UnpackArgs(name, args, kwargs, pairs...); err != nil {
			return nil, err
		}
		tup, err := asTuple(fargs)
		if err != nil {
			return nil, err
		}
		kd, ok := kwds.(*starlark.Dict)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "%s() argument after ** must be a mapping, not %s", fn.String(), kwds.Type())
		}
		r := newAsyncResult(p.m, 1, false, cb, ecb)
		if err := p.submit(fn, []starlark.Tuple{tup}, kd, r); err != nil {
			return nil, err
		}
		if name == "apply" {
			return getResult(th, r)
		}
		return r, nil
	case "map", "map_async", "starmap", "starmap_async", "imap", "imap_unordered":
		var fn, iterable starlark.Value
		var chunksize starlark.Value = starlark.None
		var cb, ecb starlark.Value = starlark.None, starlark.None
		pairs := []any{"func", &fn, "iterable", &iterable, "chunksize?", &chunksize}
		if strings.HasSuffix(name, "_async") {
			pairs = append(pairs, "callback?", &cb, "error_callback?", &ecb)
		}
		if err := starlark.UnpackArgs(name, args, kwargs, pairs...); err != nil {
			return nil, err
		}
		it, ok := iterable.(starlark.Iterable)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "'%s' object is not iterable", iterable.Type())
		}
		var calls []starlark.Tuple
		iter := it.Iterate()
		var x starlark.Value
		for iter.Next(&x) {
			if strings.HasPrefix(name, "starmap") {
				tup, err := asTuple(x)
				if err != nil {
					iter.Done()
					return nil, err
				}
				calls = append(calls, tup)
			} else {
				calls = append(calls, starlark.Tuple{x})
			}
		}
		iter.Done()
		r := newAsyncResult(p.m, len(calls), true, cb, ecb)
		var lazy *imapIter
		if strings.HasPrefix(name, "imap") {
			lazy = newIMapIter(p.m, len(calls), name == "imap_unordered")
			r.item = lazy.add
		}
		if len(calls) == 0 {
			r.finish(th)
		} else if err := p.submit(fn, calls, starlark.NewDict(0), r); err != nil {
			return nil, err
		}
		switch name {
		case "map_async", "starmap_async":
			return r, nil
		case "imap", "imap_unordered":
			return lazy, nil
		}
		return getResult(th, r)
	}
	return nil, noMethod("Pool", name)
}

func getResult(th *starlark.Thread, r *asyncResult) (starlark.Value, error) {
	if err := waitDone(th, "AsyncResult.get", r.done, -1); err != nil {
		return nil, err
	}
	if r.exc != nil {
		return nil, interp.Raise(r.exc)
	}
	return r.value(), nil
}

func asTuple(v starlark.Value) (starlark.Tuple, error) {
	if t, ok := v.(starlark.Tuple); ok {
		return t, nil
	}
	it, ok := v.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "argument after * must be an iterable, not %s", v.Type())
	}
	var out starlark.Tuple
	iter := it.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		out = append(out, x)
	}
	return out, nil
}
