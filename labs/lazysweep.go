package labs

import (
	"fmt"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// lazyRuns is what grade.sweep returns without stop_when: the runs in seed
// order, computed on demand, a few seeds ahead of the reader, in parallel.
// A check that fails at the first bad run (`for run in grade.sweep(...)`:
// grade.fail) so costs a few runs, not 200: a class's wrong submissions
// are most of its grading time otherwise. A run once computed is kept (a
// grader may read the sweep twice), with its globals bounded (summary.go).
// It behaves as a list: len, index, iteration, slicing; type() is "list".
type lazyRuns struct {
	g      *grader
	o      runOptions
	first  int
	n      int
	window int           // how many seeds may be computed ahead of the reader
	sem    chan struct{} // the sweep's parallelism
	mu     sync.Mutex
	next   int // the next seed index to start
	done   []chan struct{}
	runs   []starlark.Value
}

func (g *grader) lazySweep(o runOptions, first, n int) *lazyRuns {
	p := g.opts.parallel()
	s := &lazyRuns{g: g, o: o, first: first, n: n, window: 2 * p, sem: make(chan struct{}, p),
		done: make([]chan struct{}, n), runs: make([]starlark.Value, n)}
	for i := range s.done {
		s.done[i] = make(chan struct{})
	}
	return s
}

// get returns run i, starting it and the window after it first.
func (s *lazyRuns) get(i int) starlark.Value {
	s.mu.Lock()
	for s.next < s.n && s.next <= i+s.window {
		go s.compute(s.next)
		s.next++
	}
	s.mu.Unlock()
	<-s.done[i]
	return s.runs[i]
}

func (s *lazyRuns) compute(i int) {
	defer close(s.done[i])
	s.sem <- struct{}{}
	defer func() { <-s.sem }()
	o := s.o
	o.seed = int64(s.first + i)
	s.runs[i] = s.g.execute(o)
}

func (s *lazyRuns) String() string        { return fmt.Sprintf("<sweep of %d runs>", s.n) }
func (s *lazyRuns) Type() string          { return "list" }
func (s *lazyRuns) Freeze()               {}
func (s *lazyRuns) Truth() starlark.Bool  { return s.n > 0 }
func (s *lazyRuns) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: list") }
func (s *lazyRuns) Len() int              { return s.n }
func (s *lazyRuns) Index(i int) starlark.Value {
	return s.get(i)
}
func (s *lazyRuns) Iterate() starlark.Iterator { return &lazyIter{s: s} }

func (s *lazyRuns) Slice(start, end, step int) starlark.Value {
	var out []starlark.Value
	for i := start; (step > 0 && i < end) || (step < 0 && i > end); i += step {
		out = append(out, s.get(i))
	}
	return starlark.NewList(out)
}

type lazyIter struct {
	s *lazyRuns
	i int
}

func (it *lazyIter) Next(p *starlark.Value) bool {
	if it.i >= it.s.n {
		return false
	}
	*p = it.s.get(it.i)
	it.i++
	return true
}
func (it *lazyIter) Done() {}

// Binary makes `[run] + grade.sweep(...)` and `sweep + [run]` lists, as
// they are with a real list: graders combine a first run with a sweep.
func (s *lazyRuns) Binary(op syntax.Token, y starlark.Value, side starlark.Side) (starlark.Value, error) {
	if op != syntax.PLUS {
		return nil, nil
	}
	other, ok := y.(starlark.Indexable)
	if !ok {
		return nil, nil
	}
	if _, isList := y.(*starlark.List); !isList {
		if _, isSweep := y.(*lazyRuns); !isSweep {
			return nil, nil
		}
	}
	mine := make([]starlark.Value, 0, s.n+other.Len())
	for i := 0; i < s.n; i++ {
		mine = append(mine, s.get(i))
	}
	theirs := make([]starlark.Value, 0, other.Len())
	for i := 0; i < other.Len(); i++ {
		theirs = append(theirs, other.Index(i))
	}
	if side == starlark.Left {
		return starlark.NewList(append(mine, theirs...)), nil
	}
	return starlark.NewList(append(theirs, mine...)), nil
}

var (
	_ starlark.Sliceable = (*lazyRuns)(nil)
	_ starlark.Iterable  = (*lazyRuns)(nil)
	_ starlark.HasBinary = (*lazyRuns)(nil)
)
