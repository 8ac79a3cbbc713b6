package random

import (
	"math"
	"sort"
	"unicode/utf8"

	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
)

// Drawing from sequences: choice, choices, shuffle and sample, each drawing
// from the generator exactly as Lib/random.py does.

// randSeq is a population for choice, sample and choices: Python indexes a
// str by code point, so a string is split into its characters first.
type randSeq struct {
	v     starlark.Value
	seq   starlark.Indexable
	chars []string
}

func asRandSeq(v starlark.Value) (randSeq, bool) {
	if s, ok := v.(starlark.String); ok {
		var chars []string
		for _, r := range string(s) {
			chars = append(chars, string(r))
		}
		if !utf8.ValidString(string(s)) {
			chars = nil
			for i := 0; i < len(s); i++ {
				chars = append(chars, string(s[i]))
			}
		}
		return randSeq{v: v, chars: chars}, true
	}
	if seq, ok := v.(starlark.Indexable); ok {
		return randSeq{v: v, seq: seq}, true
	}
	return randSeq{}, false
}

func (s randSeq) Len() int {
	if s.seq == nil {
		return len(s.chars)
	}
	return s.seq.Len()
}

func (s randSeq) Index(i int) starlark.Value {
	if s.seq == nil {
		return starlark.String(s.chars[i])
	}
	return s.seq.Index(i)
}

// lenner is a value len() accepts (a str is not a starlark.Sequence).
type lenner interface{ Len() int }

// randNotSubscriptable is the error for a population that has no index: a
// len-less value fails at len() first, as in Python.
func randNotSubscriptable(v starlark.Value) error {
	if _, ok := v.(lenner); ok {
		return interp.Errorf(interp.TypeError, "'%s' object is not subscriptable", interp.PyTypeName(v))
	}
	return interp.Errorf(interp.TypeError, "object of type '%s' has no len()", interp.PyTypeName(v))
}

// choice is choice(seq): one element at random.
func (m *randomModule) choice(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs("choice", args, kwargs, "seq", &v); err != nil {
		return nil, err
	}
	seq, ok := asRandSeq(v)
	if !ok {
		if l, ok := v.(lenner); ok && l.Len() == 0 {
			return nil, interp.Errorf(interp.IndexError, "Cannot choose from an empty sequence")
		}
		return nil, randNotSubscriptable(v)
	}
	n := seq.Len()
	if n == 0 {
		return nil, interp.Errorf(interp.IndexError, "Cannot choose from an empty sequence")
	}
	return seq.Index(int(m.gen().randbelowInt(uint64(n)))), nil
}

// shuffle is shuffle(x): x shuffled in place (Fisher-Yates, as Python does it).
func (m *randomModule) shuffle(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs("shuffle", args, kwargs, "x", &v); err != nil {
		return nil, err
	}
	x, ok := v.(starlark.HasSetIndex)
	if !ok {
		l, ok := v.(lenner)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "object of type '%s' has no len()", interp.PyTypeName(v))
		}
		if l.Len() <= 1 {
			return starlark.None, nil // Python swaps nothing, so it never notices
		}
		if _, isIndexable := v.(starlark.Indexable); !isIndexable {
			return nil, interp.Errorf(interp.TypeError, "'%s' object is not subscriptable", interp.PyTypeName(v))
		}
		return nil, interp.Errorf(interp.TypeError, "'%s' object does not support item assignment", interp.PyTypeName(v))
	}
	g := m.gen()
	for i := x.Len() - 1; i >= 1; i-- {
		j := int(g.randbelowInt(uint64(i + 1)))
		xi, xj := x.Index(i), x.Index(j)
		if err := x.SetIndex(i, xj); err != nil {
			return nil, err
		}
		if err := x.SetIndex(j, xi); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

// sample is sample(population, k, *, counts=None): k distinct picks, in
// Lib/random.py's two ways (a pool for small populations, a set of taken
// indexes for large ones), so the draws match Python's.
func (m *randomModule) sample(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pop, counts starlark.Value = nil, starlark.None
	var k int
	if len(args) > 2 { // counts is keyword-only
		return nil, interp.Errorf(interp.TypeError, "Random.sample() takes 3 positional arguments but %d were given", len(args)+1)
	}
	if err := starlark.UnpackArgs("sample", args, kwargs, "population", &pop, "k", &k, "counts?", &counts); err != nil {
		return nil, err
	}
	seq, ok := asRandSeq(pop)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "Population must be a sequence.  For dicts or sets, use sorted(d).")
	}
	n := seq.Len()
	if counts != starlark.None {
		cum, err := cumulativeCounts(counts)
		if err != nil {
			return nil, err
		}
		if len(cum) != n {
			return nil, interp.Errorf(interp.ValueError, "The number of counts does not match the population")
		}
		total := cum[len(cum)-1]
		cum = cum[:len(cum)-1]
		if total <= 0 {
			return nil, interp.Errorf(interp.ValueError, "Total of counts must be greater than zero")
		}
		picks, err := m.sampleIndexes(int(min(total, math.MaxInt32)), k)
		if err != nil {
			return nil, err
		}
		out := make([]starlark.Value, len(picks))
		for i, s := range picks {
			// bisect_right(cum_counts, s)
			j := sort.Search(len(cum), func(x int) bool { return cum[x] > int64(s) })
			out[i] = seq.Index(j)
		}
		return starlark.NewList(out), nil
	}
	picks, err := m.sampleIndexes(n, k)
	if err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(picks))
	for i, j := range picks {
		out[i] = seq.Index(j)
	}
	return starlark.NewList(out), nil
}

// sampleIndexes is sample(range(n), k).
func (m *randomModule) sampleIndexes(n, k int) ([]int, error) {
	if k < 0 || k > n {
		return nil, interp.Errorf(interp.ValueError, "Sample larger than population or is negative")
	}
	if err := m.sched.CheckAlloc(int64(k), 8+16+48); err != nil { // indexes, result, the set of taken ones
		return nil, err
	}
	g := m.gen()
	result := make([]int, k)
	setsize := 21 // size of a small set minus size of an empty list
	if k > 5 {
		setsize += int(math.Pow(4, math.Ceil(math.Log(float64(k*3))/math.Log(4))))
	}
	if n <= setsize {
		pool := make([]int, n)
		for i := range pool {
			pool[i] = i
		}
		for i := 0; i < k; i++ {
			j := int(g.randbelowInt(uint64(n - i)))
			result[i] = pool[j]
			pool[j] = pool[n-i-1]
		}
		return result, nil
	}
	selected := make(map[int]bool, k)
	for i := 0; i < k; i++ {
		j := int(g.randbelowInt(uint64(n)))
		for selected[j] {
			j = int(g.randbelowInt(uint64(n)))
		}
		selected[j] = true
		result[i] = j
	}
	return result, nil
}

// cumulativeCounts is list(accumulate(counts)) for sample's integer counts.
func cumulativeCounts(v starlark.Value) ([]int64, error) {
	it, ok := v.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "'%s' object is not iterable", interp.PyTypeName(v))
	}
	iter := it.Iterate()
	defer iter.Done()
	var out []int64
	var total int64
	var x starlark.Value
	for iter.Next(&x) {
		var c int64
		switch x := x.(type) {
		case starlark.Int:
			c, ok = x.Int64()
			if !ok {
				return nil, interp.Errorf(interp.OverflowError, "counts are too large")
			}
		case starlark.Bool:
			c = int64(boolToInt(x))
		default:
			return nil, interp.Errorf(interp.TypeError, "Counts must be integers")
		}
		total += c
		out = append(out, total)
	}
	if len(out) == 0 {
		return nil, interp.Errorf(interp.IndexError, "pop from empty list")
	}
	return out, nil
}

// choices is choices(population, weights=None, *, cum_weights=None, k=1):
// k picks with replacement, drawn as Lib/random.py draws them.
func (m *randomModule) choices(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pop, weights, cumWeights starlark.Value = nil, starlark.None, starlark.None
	var k starlark.Value = starlark.MakeInt(1)
	if len(args) > 2 { // cum_weights and k are keyword-only
		return nil, interp.Errorf(interp.TypeError, "Random.choices() takes from 2 to 3 positional arguments but %d were given", len(args)+1)
	}
	if err := starlark.UnpackArgs("choices", args, kwargs, "population", &pop, "weights?", &weights, "cum_weights?", &cumWeights, "k?", &k); err != nil {
		return nil, err
	}
	kInt, ok := k.(starlark.Int)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(k))
	}
	k64, ok := kInt.Int64()
	if !ok || k64 > math.MaxInt32 {
		return nil, interp.Raise(interp.NewException(interp.MemoryError)) // CPython builds a list of k
	}
	if err := m.sched.CheckAlloc(k64, 16); err != nil {
		return nil, err
	}
	nk := int(k64)
	var err error
	seq, ok := asRandSeq(pop)
	if !ok {
		return nil, randNotSubscriptable(pop)
	}
	n := seq.Len()
	g := m.gen()
	var out []starlark.Value
	pick := func(i int) error {
		if i >= n {
			return interp.Errorf(interp.IndexError, "%s index out of range", seqIndexName(pop))
		}
		out = append(out, seq.Index(i))
		return nil
	}
	if cumWeights == starlark.None && weights == starlark.None {
		for range max(nk, 0) {
			if err := pick(int(math.Floor(g.random() * float64(n)))); err != nil {
				return nil, err
			}
		}
		return starlark.NewList(out), nil
	}
	var cum []float64
	if cumWeights == starlark.None {
		if _, isInt := weights.(starlark.Int); isInt {
			return nil, interp.Errorf(interp.TypeError, "The number of choices must be a keyword argument: k=%s", weights)
		}
		if cum, err = randFloats(weights, true); err != nil {
			return nil, err
		}
	} else if weights != starlark.None {
		return nil, interp.Errorf(interp.TypeError, "Cannot specify both weights and cumulative weights")
	} else if cum, err = randFloats(cumWeights, false); err != nil {
		return nil, err
	}
	if len(cum) != n {
		return nil, interp.Errorf(interp.ValueError, "The number of weights does not match the population")
	}
	if n == 0 {
		return nil, interp.Errorf(interp.IndexError, "list index out of range") // cum_weights[-1]
	}
	total := cum[n-1]
	if total <= 0 {
		return nil, interp.Errorf(interp.ValueError, "Total of weights must be greater than zero")
	}
	if math.IsInf(total, 0) || math.IsNaN(total) {
		return nil, interp.Errorf(interp.ValueError, "Total of weights must be finite")
	}
	hi := n - 1
	for range max(nk, 0) {
		// bisect(cum_weights, random() * total, 0, hi): bisect_right
		x := g.random() * total
		i := sort.Search(hi, func(j int) bool { return cum[j] > x })
		if err := pick(i); err != nil {
			return nil, err
		}
	}
	return starlark.NewList(out), nil
}

// seqIndexName is how Python names a sequence in "... index out of range".
func seqIndexName(v starlark.Value) string {
	switch v.(type) {
	case starlark.String:
		return "string"
	case starlark.Tuple:
		return "tuple"
	case *starlark.List:
		return "list"
	}
	return v.Type() + " object"
}

// randFloats reads numbers, accumulated when accumulate is set.
func randFloats(v starlark.Value, accumulate bool) ([]float64, error) {
	it, ok := v.(starlark.Iterable)
	if !ok {
		return nil, interp.Errorf(interp.TypeError, "'%s' object is not iterable", interp.PyTypeName(v))
	}
	iter := it.Iterate()
	defer iter.Done()
	var out []float64
	var total float64
	var x starlark.Value
	for iter.Next(&x) {
		f, ok := randNumber(x)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "unsupported operand type(s) for +: 'float' and '%s'", interp.PyTypeName(x))
		}
		if accumulate {
			total += f
			f = total
		}
		out = append(out, f)
	}
	return out, nil
}
