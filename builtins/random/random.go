package random

import (
	crand "crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"math"
	"math/big"
	"strconv"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// New builds the random module for one run.
func New(it *interp.Interp) *starlarkstruct.Module {
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
	k, err := pyarg.CInt(kv) // k is a C int in CPython: OverflowError past it
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
	case starlark.String, starlark.Bytes, interp.Bytes:
		s := interp.PyStr(x)
		if bs, ok := interp.AsBytes(x); ok {
			s = bs
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
	if _, isBytes := interp.AsBytes(v); isBytes {
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
