package builtins

import (
	crand "crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// The random module. Its generator is CPython's own: the Mersenne Twister
// (MT19937), seeded the way CPython seeds it, and every function draws from it
// exactly as Lib/random.py does. So after random.seed(42) a script gets the
// very numbers Python gets (random(), randint, choice, shuffle, sample, ...).
//
// The generator is per run. Without random.seed it is seeded on first use:
// from the OS in real-time mode, as CPython does, and from the run's seed in
// sim mode, so that a sim run replays byte for byte. Only the baton holder
// calls into the module, so the generator needs no lock.

// newRandomModule builds the random module for one run.
func newRandomModule(it *interp.Interp) *starlarkstruct.Module {
	m := &randomModule{sched: it.Sched()}
	fn := func(name string, f func(*randomModule, *starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return f(m, th, b, args, kwargs)
		})
	}
	return &starlarkstruct.Module{
		Name: "random",
		Members: starlark.StringDict{
			"random":      fn("random", (*randomModule).random),
			"uniform":     fn("uniform", (*randomModule).uniform),
			"randint":     fn("randint", (*randomModule).randint),
			"randrange":   fn("randrange", (*randomModule).randrange),
			"getrandbits": fn("getrandbits", (*randomModule).getrandbits),
			"choice":      fn("choice", (*randomModule).choice),
			"choices":     fn("choices", (*randomModule).choices),
			"shuffle":     fn("shuffle", (*randomModule).shuffle),
			"sample":      fn("sample", (*randomModule).sample),
			"seed":        fn("seed", (*randomModule).seed),
		},
	}
}

type randomModule struct {
	sched *interp.Scheduler
	mt    *mt19937 // nil until first use
}

// gen returns the run's generator, seeding it on first use.
func (m *randomModule) gen() *mt19937 {
	if m.mt == nil {
		m.mt = new(mt19937)
		m.seedDefault()
	}
	return m.mt
}

// seedDefault is seed(None): the OS's randomness in real-time mode, the run's
// seed in sim mode, so that a sim run replays.
func (m *randomModule) seedDefault() {
	if m.sched.Sim() {
		m.mt.seedUint64(uint64(m.sched.Seed())) // --seed 42 draws what random.seed(42) would
		return
	}
	var buf [mtN * 4]byte
	if _, err := crand.Read(buf[:]); err != nil {
		panic(err) // crypto/rand never fails on Linux and Go >= 1.24 (it crashes instead)
	}
	key := make([]uint32, mtN)
	for i := range key {
		key[i] = binary.LittleEndian.Uint32(buf[4*i:])
	}
	m.mt.initByArray(key)
}

func (m *randomModule) random(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("random", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.Float(m.gen().random()), nil
}

// uniform is a + (b-a) * random().
func (m *randomModule) uniform(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var a, bv starlark.Value
	if err := starlark.UnpackArgs("uniform", args, kwargs, "a", &a, "b", &bv); err != nil {
		return nil, err
	}
	fa, okA := randNumber(a)
	fb, okB := randNumber(bv)
	if !okA || !okB {
		return nil, interp.Errorf(interp.TypeError, "unsupported operand type(s) for -: '%s' and '%s'", interp.PyTypeName(bv), interp.PyTypeName(a))
	}
	return starlark.Float(fa + (fb-fa)*m.gen().random()), nil
}

// randNumber is a number's value as a float (bools are ints in Python).
func randNumber(v starlark.Value) (float64, bool) {
	switch x := v.(type) {
	case starlark.Bool:
		if x {
			return 1, true
		}
		return 0, true
	case starlark.Int, starlark.Float:
		f, _ := starlark.AsFloat(x)
		return f, true
	}
	return 0, false
}

// randint is randrange(a, b+1), errors included.
func (m *randomModule) randint(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var a, bv starlark.Value
	if err := starlark.UnpackArgs("randint", args, kwargs, "a", &a, "b", &bv); err != nil {
		return nil, err
	}
	var stop starlark.Value
	switch x := bv.(type) {
	case starlark.Int:
		stop = x.Add(starlark.MakeInt(1))
	case starlark.Bool:
		stop = starlark.MakeInt(1 + boolToInt(x))
	case starlark.Float:
		stop = x + 1
	default:
		return nil, interp.Errorf(interp.TypeError, "can only concatenate %s (not \"int\") to %s", interp.PyTypeName(bv), interp.PyTypeName(bv))
	}
	return m.randrangeImpl(a, stop, nil)
}

func boolToInt(b starlark.Bool) int {
	if b {
		return 1
	}
	return 0
}

// randrange is randrange(start, stop=None, step=1), Lib/random.py's.
func (m *randomModule) randrange(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var start, stop, step starlark.Value = nil, starlark.None, nil
	if err := starlark.UnpackArgs("randrange", args, kwargs, "start", &start, "stop?", &stop, "step?", &step); err != nil {
		return nil, err
	}
	return m.randrangeImpl(start, stop, step)
}

func (m *randomModule) randrangeImpl(start, stop, step starlark.Value) (starlark.Value, error) {
	istart, err := randrangeIndex(start, "arg 1")
	if err != nil {
		return nil, err
	}
	if stop == starlark.None {
		// Python checks `step is not _ONE`: an explicit 1 passes.
		if step != nil {
			if i, ok := step.(starlark.Int); !ok || i.Sign() != 1 || i.BigInt().Cmp(big.NewInt(1)) != 0 {
				return nil, interp.Errorf(interp.TypeError, "Missing a non-None stop argument")
			}
		}
		if istart.Sign() > 0 {
			return starlark.MakeBigInt(m.gen().randbelow(istart)), nil
		}
		return nil, interp.Errorf(interp.ValueError, "empty range for randrange()")
	}
	istop, err := randrangeIndex(stop, "stop")
	if err != nil {
		return nil, err
	}
	width := new(big.Int).Sub(istop, istart)
	istep := big.NewInt(1)
	if step != nil {
		if istep, err = randrangeIndex(step, "step"); err != nil {
			return nil, err
		}
	}
	if istep.IsInt64() && istep.Int64() == 1 {
		if width.Sign() > 0 {
			return starlark.MakeBigInt(width.Add(istart, m.gen().randbelow(width))), nil
		}
		return nil, interp.Errorf(interp.ValueError, "empty range for randrange() (%s, %s, %s)", istart, istop, width)
	}
	var n *big.Int
	switch istep.Sign() {
	case 1: // (width + istep - 1) // istep
		n = bigFloorDiv(new(big.Int).Sub(new(big.Int).Add(width, istep), big.NewInt(1)), istep)
	case -1: // (width + istep + 1) // istep
		n = bigFloorDiv(new(big.Int).Add(new(big.Int).Add(width, istep), big.NewInt(1)), istep)
	default:
		return nil, interp.Errorf(interp.ValueError, "zero step for randrange()")
	}
	if n.Sign() <= 0 {
		return nil, interp.Errorf(interp.ValueError, "empty range for randrange()")
	}
	r := m.gen().randbelow(n)
	return starlark.MakeBigInt(r.Add(istart, r.Mul(istep, r))), nil
}

// bigFloorDiv is Python's a // b.
func bigFloorDiv(a, b *big.Int) *big.Int {
	q, mod := new(big.Int).QuoRem(a, b, new(big.Int))
	if mod.Sign() != 0 && (mod.Sign() < 0) != (b.Sign() < 0) {
		q.Sub(q, big.NewInt(1))
	}
	return q
}

// randrangeIndex converts an argument of randrange as Python 3.11 does: ints
// as they are, integral floats accepted (Python also warns), anything else
// through int() with its errors.
func randrangeIndex(v starlark.Value, what string) (*big.Int, error) {
	switch x := v.(type) {
	case starlark.Int:
		return x.BigInt(), nil
	case starlark.Bool:
		return big.NewInt(int64(boolToInt(x))), nil
	case starlark.Float:
		f := float64(x)
		switch {
		case math.IsNaN(f):
			return nil, interp.Errorf(interp.ValueError, "cannot convert float NaN to integer")
		case math.IsInf(f, 0):
			return nil, interp.Errorf(interp.OverflowError, "cannot convert float infinity to integer")
		case f != math.Trunc(f):
			return nil, interp.Errorf(interp.ValueError, "non-integer %s for randrange()", what)
		}
		i, _ := big.NewFloat(f).Int(nil)
		return i, nil
	case starlark.String:
		// int("5") is 5, which is not equal to "5": Python then says non-integer.
		s := strings.ReplaceAll(strings.TrimSpace(string(x)), "_", "")
		if _, err := strconv.ParseInt(s, 10, 64); err == nil && s != "" {
			return nil, interp.Errorf(interp.ValueError, "non-integer %s for randrange()", what)
		}
		return nil, interp.Errorf(interp.ValueError, "invalid literal for int() with base 10: %s", interp.PyRepr(x))
	}
	return nil, interp.Errorf(interp.TypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'", interp.PyTypeName(v))
}

// getrandbits is getrandbits(k): an int of k random bits.
func (m *randomModule) getrandbits(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var kv starlark.Int
	if err := starlark.UnpackPositionalArgs("getrandbits", args, kwargs, 1, &kv); err != nil {
		return nil, err
	}
	k, err := cIntArg(kv) // k is a C int in CPython: OverflowError past it
	if err != nil {
		return nil, err
	}
	if k < 0 {
		return nil, interp.Errorf(interp.ValueError, "number of bits must be non-negative")
	}
	if err := m.sched.CheckAlloc(int64(k)/8, 3); err != nil { // the words, the big.Int, the result
		return nil, err
	}
	return starlark.MakeBigInt(m.gen().getrandbits(k)), nil
}

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

// seed is seed(a=None, version=2), CPython's: an int seeds with all its bits
// (of its absolute value), a str or bytes with its bytes and their SHA-512, a
// float with its hash.
func (m *randomModule) seed(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var a starlark.Value = starlark.None
	version := 2
	if err := starlark.UnpackArgs("seed", args, kwargs, "a?", &a, "version?", &version); err != nil {
		return nil, err
	}
	if m.mt == nil {
		m.mt = new(mt19937)
	}
	var n *big.Int
	switch x := a.(type) {
	case starlark.NoneType:
		m.seedDefault()
		return starlark.None, nil
	case starlark.Int:
		n = new(big.Int).Abs(x.BigInt())
	case starlark.Bool: // not an exact int: CPython seeds with hash(True), which is 1
		n = big.NewInt(int64(boolToInt(x)))
	case starlark.Float:
		n = new(big.Int).SetUint64(uint64(pyFloatHash(float64(x))))
	case starlark.String, starlark.Bytes:
		s := interp.PyStr(x)
		if bs, ok := x.(starlark.Bytes); ok {
			s = string(bs)
		}
		if version == 1 {
			n = seedVersion1(x, s)
			break
		}
		// version 2: int.from_bytes(a + sha512(a).digest()), big-endian
		sum := sha512.Sum512([]byte(s))
		n = new(big.Int).SetBytes(append([]byte(s), sum[:]...))
	default:
		return nil, interp.Errorf(interp.TypeError, "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
	}
	m.mt.seedBig(n)
	return starlark.None, nil
}

// seedVersion1 is seed(a, version=1) for str and bytes (Python 2's scheme).
func seedVersion1(v starlark.Value, s string) *big.Int {
	var cps []uint64
	if _, isBytes := v.(starlark.Bytes); isBytes {
		for i := 0; i < len(s); i++ {
			cps = append(cps, uint64(s[i])) // decoded as latin-1
		}
	} else {
		for _, r := range s {
			cps = append(cps, uint64(r))
		}
	}
	var x uint64
	if len(cps) > 0 {
		x = cps[0] << 7
	}
	for _, c := range cps {
		x = (1000003 * x) ^ c
	}
	x ^= uint64(len(cps))
	// a = -2 if x == -1 else x; x is unsigned here, so never -1; seed uses abs.
	return new(big.Int).SetUint64(x)
}

// pyFloatHash is CPython's hash(float) (Python/pyhash.c, _Py_HashDouble).
// A NaN hashes by identity in CPython; here it is 0, so runs replay.
func pyFloatHash(v float64) int64 {
	const bits = 61
	const modulus = (uint64(1) << bits) - 1
	switch {
	case math.IsInf(v, 1):
		return 314159
	case math.IsInf(v, -1):
		return -314159
	case math.IsNaN(v):
		return 0
	}
	m, e := math.Frexp(v)
	sign := int64(1)
	if m < 0 {
		sign = -1
		m = -m
	}
	var x uint64
	for m != 0 {
		x = ((x << 28) & modulus) | x>>(bits-28)
		m *= 268435456.0 // 2**28
		e -= 28
		y := uint64(m)
		m -= float64(y)
		x += y
		if x >= modulus {
			x -= modulus
		}
	}
	if e >= 0 {
		e %= bits
	} else {
		e = bits - 1 - ((-1 - e) % bits)
	}
	x = ((x << uint(e)) & modulus) | x>>(bits-uint(e))
	h := int64(x) * sign
	if h == -1 {
		h = -2
	}
	return h
}

// mt19937 is the Mersenne Twister, as Modules/_randommodule.c has it.
type mt19937 struct {
	state [mtN]uint32
	index int
}

const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

func (g *mt19937) initGenrand(s uint32) {
	mt := &g.state
	mt[0] = s
	for i := 1; i < mtN; i++ {
		mt[i] = 1812433253*(mt[i-1]^(mt[i-1]>>30)) + uint32(i)
	}
	g.index = mtN
}

func (g *mt19937) initByArray(key []uint32) {
	g.initGenrand(19650218)
	mt := &g.state
	i, j := 1, 0
	k := max(mtN, len(key))
	for ; k > 0; k-- {
		mt[i] = (mt[i] ^ ((mt[i-1] ^ (mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= mtN {
			mt[0] = mt[mtN-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = mtN - 1; k > 0; k-- {
		mt[i] = (mt[i] ^ ((mt[i-1] ^ (mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= mtN {
			mt[0] = mt[mtN-1]
			i = 1
		}
	}
	mt[0] = 0x80000000 // MSB is 1, assuring a non-zero initial array
}

// seedBig seeds with a non-negative int: its 32-bit words, least significant
// first (at least one word).
func (g *mt19937) seedBig(n *big.Int) {
	words := (n.BitLen() + 31) / 32
	if words == 0 {
		words = 1
	}
	buf := n.FillBytes(make([]byte, 4*words)) // big-endian
	key := make([]uint32, words)
	for i := range key {
		key[i] = binary.BigEndian.Uint32(buf[4*(words-1-i):])
	}
	g.initByArray(key)
}

func (g *mt19937) seedUint64(n uint64) { g.seedBig(new(big.Int).SetUint64(n)) }

func (g *mt19937) uint32() uint32 {
	mt := &g.state
	if g.index >= mtN {
		var kk int
		for kk = 0; kk < mtN-mtM; kk++ {
			y := (mt[kk] & mtUpperMask) | (mt[kk+1] & mtLowerMask)
			mt[kk] = mt[kk+mtM] ^ (y >> 1) ^ (-(y & 1) & mtMatrixA)
		}
		for ; kk < mtN-1; kk++ {
			y := (mt[kk] & mtUpperMask) | (mt[kk+1] & mtLowerMask)
			mt[kk] = mt[kk+(mtM-mtN)] ^ (y >> 1) ^ (-(y & 1) & mtMatrixA)
		}
		y := (mt[mtN-1] & mtUpperMask) | (mt[0] & mtLowerMask)
		mt[mtN-1] = mt[mtM-1] ^ (y >> 1) ^ (-(y & 1) & mtMatrixA)
		g.index = 0
	}
	y := mt[g.index]
	g.index++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// random is random.random(): 53 random bits in [0, 1).
func (g *mt19937) random() float64 {
	a, b := g.uint32()>>5, g.uint32()>>6
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

// getrandbits is getrandbits(k), k >= 0: 32-bit words, least significant
// first, the last one cut to the bits that remain.
func (g *mt19937) getrandbits(k int) *big.Int {
	if k <= 64 {
		return new(big.Int).SetUint64(g.getrandbits64(k))
	}
	words := (k-1)/32 + 1
	buf := make([]byte, 4*words)
	for i := 0; i < words; i, k = i+1, k-32 {
		r := g.uint32()
		if k < 32 {
			r >>= 32 - k
		}
		binary.BigEndian.PutUint32(buf[4*(words-1-i):], r)
	}
	return new(big.Int).SetBytes(buf)
}

// getrandbits64 is getrandbits(k) for k <= 64, without allocating.
func (g *mt19937) getrandbits64(k int) uint64 {
	if k == 0 {
		return 0
	}
	if k <= 32 {
		return uint64(g.uint32() >> (32 - k))
	}
	lo := uint64(g.uint32())
	hi := g.uint32() >> (64 - k)
	return lo | uint64(hi)<<32
}

// randbelowInt is _randbelow(n) for 0 < n: getrandbits(n.bit_length())
// until the draw is below n.
func (g *mt19937) randbelowInt(n uint64) uint64 {
	k := bits.Len64(n)
	r := g.getrandbits64(k)
	for r >= n {
		r = g.getrandbits64(k)
	}
	return r
}

// randbelow is _randbelow(n) for any n > 0.
func (g *mt19937) randbelow(n *big.Int) *big.Int {
	if n.IsUint64() {
		return new(big.Int).SetUint64(g.randbelowInt(n.Uint64()))
	}
	k := n.BitLen()
	r := g.getrandbits(k)
	for r.Cmp(n) >= 0 {
		r = g.getrandbits(k)
	}
	return r
}
