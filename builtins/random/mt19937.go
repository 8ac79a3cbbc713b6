package random

import (
	"encoding/binary"
	"math/big"
	"math/bits"
)

const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// mt19937 is the Mersenne Twister, as Modules/_randommodule.c has it.
type mt19937 struct {
	state [mtN]uint32
	index int
}

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
