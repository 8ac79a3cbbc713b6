package queue

import (
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// pqLess is a < b, with the error a learner would get from Python.
func pqLess(a, b starlark.Value) (bool, error) {
	return starlark.Compare(syntax.LT, a, b)
}

type pqJournal [][2]int

func (j *pqJournal) swap(h []starlark.Value, a, b int) {
	h[a], h[b] = h[b], h[a]
	*j = append(*j, [2]int{a, b})
}

func (j pqJournal) undo(h []starlark.Value) {
	for i := len(j) - 1; i >= 0; i-- {
		a, b := j[i][0], j[i][1]
		h[a], h[b] = h[b], h[a]
	}
}

// pqPush restores the heap after its last element was appended (heappush).
func pqPush(h []starlark.Value) error {
	var j pqJournal
	if err := pqSiftDown(h, 0, len(h)-1, &j); err != nil {
		j.undo(h)
		return err
	}
	return nil
}

// pqPop removes the smallest item (heappop) and returns it and the heap.
func pqPop(h []starlark.Value) (starlark.Value, []starlark.Value, error) {
	n := len(h) - 1
	last := h[n]
	if n == 0 {
		h[0] = nil
		return last, h[:0], nil
	}
	top := h[0]
	h[0] = last
	var j pqJournal
	if err := pqSiftUp(h[:n], 0, &j); err != nil {
		j.undo(h[:n])
		h[0] = top
		return nil, h, err
	}
	h[n] = nil
	return top, h[:n], nil
}

// pqSiftDown is heapq._siftdown: move h[pos] up towards startpos while it is
// smaller than its parent.
func pqSiftDown(h []starlark.Value, startpos, pos int, j *pqJournal) error {
	for pos > startpos {
		parent := (pos - 1) >> 1
		less, err := pqLess(h[pos], h[parent])
		if err != nil {
			return err
		}
		if !less {
			break
		}
		j.swap(h, pos, parent)
		pos = parent
	}
	return nil
}

// pqSiftUp is heapq._siftup: move h[pos] down to a leaf along the smaller
// children, then back up into place.
func pqSiftUp(h []starlark.Value, pos int, j *pqJournal) error {
	end, start := len(h), pos
	child := 2*pos + 1
	for child < end {
		if right := child + 1; right < end {
			less, err := pqLess(h[child], h[right])
			if err != nil {
				return err
			}
			if !less {
				child = right
			}
		}
		j.swap(h, pos, child)
		pos = child
		child = 2*pos + 1
	}
	return pqSiftDown(h, start, pos, j)
}
