package multiprocessing

import (
	"fmt"
	"io"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// imapIter is what Pool.imap and Pool.imap_unordered return, CPython's
// IMapIterator: the results come out as the tasks finish, not once they
// all have. imap yields them in the order of the arguments (result k waits
// for task k), imap_unordered in the order they finish. The pool's result
// handler adds each outcome (add); next() waits for the next one.
type imapIter struct {
	cond      // guards the fields below; waits go through it
	m         *Module
	unordered bool
	n         int
	values    []starlark.Value
	excs      []*interp.Exception
	have      []bool
	arrived   []int // indices in the order they finished
	pos       int   // results taken so far
}

func newIMapIter(m *Module, n int, unordered bool) *imapIter {
	return &imapIter{m: m, unordered: unordered, n: n, values: make([]starlark.Value, n),
		excs: make([]*interp.Exception, n), have: make([]bool, n)}
}

// add records task index's outcome (the result handler calls it).
func (it *imapIter) add(index int, v starlark.Value, exc *interp.Exception) {
	it.mu.Lock()
	defer it.mu.Unlock()
	if index < 0 || index >= it.n || it.have[index] {
		return
	}
	it.values[index], it.excs[index], it.have[index] = v, exc, true
	it.arrived = append(it.arrived, index)
	it.broadcastLocked()
}

// readyLocked reports whether the next result is in (or none is left).
func (it *imapIter) readyLocked() bool {
	if it.pos >= it.n {
		return true
	}
	if it.unordered {
		return it.pos < len(it.arrived)
	}
	return it.have[it.pos]
}

// next waits for the next result, at most d (d < 0: no limit), and takes
// it: done when there is none left; multiprocessing.TimeoutError when d
// passes first; a task's exception as it was raised in the worker.
func (it *imapIter) next(t *interp.Thread, d time.Duration) (v starlark.Value, done bool, err error) {
	it.mu.Lock()
	ready := it.readyLocked()
	it.mu.Unlock()
	if !ready && d != 0 {
		// Wait for broadcasts until the next result is in: each add
		// closes the channel handed out here (real mode), and the result
		// handler calls Signal after it (sim mode); waitDone serves both.
		clock := t.Sched().Now
		end := clock() + d
		for {
			it.mu.Lock()
			if it.readyLocked() {
				it.mu.Unlock()
				break
			}
			if it.changed == nil {
				it.changed = make(chan struct{})
			}
			changed := it.changed
			it.mu.Unlock()
			left := time.Duration(-1)
			if d > 0 {
				if left = end - clock(); left <= 0 {
					break
				}
			}
			if err := waitDone(t.S, "IMapIterator.next", changed, left); err != nil {
				return nil, false, err
			}
		}
	}
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.pos >= it.n {
		return nil, true, nil
	}
	if !it.readyLocked() {
		return nil, false, interp.Raise(interp.NewException(it.m.timeoutError))
	}
	k := it.pos
	if it.unordered {
		k = it.arrived[it.pos]
	}
	it.pos++
	if exc := it.excs[k]; exc != nil {
		return nil, false, interp.Raise(exc)
	}
	return it.values[k], false, nil
}

func (it *imapIter) kindName() string {
	if it.unordered {
		return "IMapUnorderedIterator"
	}
	return "IMapIterator"
}

func (it *imapIter) String() string {
	return fmt.Sprintf("<multiprocessing.pool.%s object at 0x%x>", it.kindName(), interp.IdentityHash(it))
}
func (it *imapIter) Type() string          { return it.kindName() }
func (it *imapIter) Freeze()               {}
func (it *imapIter) Truth() starlark.Bool  { return true }
func (it *imapIter) Hash() (uint32, error) { return interp.IdentityHash(it), nil }
func (it *imapIter) AttrNames() []string   { return []string{"next"} }

// Attr is next(timeout=None): the next result; StopIteration at the end.
func (it *imapIter) Attr(name string) (starlark.Value, error) {
	if name != "next" {
		return nil, nil
	}
	return starlark.NewBuiltin("next", func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var timeout starlark.Value = starlark.None
		if err := starlark.UnpackArgs("next", args, kwargs, "timeout?", &timeout); err != nil {
			return nil, err
		}
		d, err := waitTimeout(timeout)
		if err != nil {
			return nil, err
		}
		t, err := pyarg.CurrentThread(th)
		if err != nil {
			return nil, err
		}
		v, done, err := it.next(t, d)
		if err != nil {
			return nil, err
		}
		if done {
			return nil, interp.Raise(interp.NewException(interp.StopIteration))
		}
		return v, nil
	}), nil
}

// Iterate lets `for x in pool.imap(f, xs)` take each result as it comes.
// A Starlark for loop can't raise from its iterator, so a task's exception
// ends the loop and is printed as CPython prints an uncaught one, naming
// it.next() as the way to catch it.
func (it *imapIter) Iterate() starlark.Iterator { return &imapStep{it} }

type imapStep struct{ it *imapIter }

func (s *imapStep) Next(p *starlark.Value) bool {
	t := s.it.m.it.Sched().Holder() // the thread running the loop
	if t == nil {
		return false
	}
	v, done, err := s.it.next(t, -1)
	if done {
		return false
	}
	if err != nil {
		if exc := interp.ExceptionFromError(err); exc != nil {
			var b strings.Builder
			fmt.Fprintf(&b, "Exception in a task of %s (a for loop can't raise it in starlab: call next() on the iterator to catch it):\n", s.it.kindName())
			s.it.m.it.PrintException(&b, exc)
			io.WriteString(s.it.m.it.Stderr(), b.String())
		}
		return false
	}
	*p = v
	return true
}

func (s *imapStep) Done() {}
