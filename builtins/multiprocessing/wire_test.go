package multiprocessing

import (
	"bytes"
	"errors"
	"testing"

	"github.com/starlab-dev/starlab/interp"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
)

func TestWireRoundTrip(t *testing.T) {
	d := starlark.NewDict(1)
	require.NoError(t, d.SetKey(starlark.String("k"), starlark.Tuple{starlark.MakeInt(-3), starlark.Float(1.5)}))
	big := new(starlark.Int)
	*big = starlark.MakeInt(1).Lsh(100)
	set := starlark.NewSet(2)
	require.NoError(t, set.Insert(starlark.MakeInt(1)))
	v := starlark.NewList([]starlark.Value{starlark.None, starlark.True, starlark.False, starlark.String("é"), interp.Bytes("\x00"), d, *big, set})
	p, err := encodeValue(v, nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, writeFrame(&buf, p))
	got, err := readFrame(&buf)
	require.NoError(t, err)
	back, err := decodeValue(got, nil)
	require.NoError(t, err)
	eq, err := starlark.Equal(v, back)
	require.NoError(t, err)
	require.True(t, eq, "%v != %v", v, back)
}

func TestWireMalformed(t *testing.T) {
	for _, frame := range [][]byte{
		[]byte("XXXX\x01\x00\x00\x00\x00"),
		[]byte("SLMP\x02\x00\x00\x00\x00"),
		[]byte("SLMP\x01\xff\xff\xff\xff"),
		[]byte("SLMP\x01\x00\x00\x00\x05ab"),
	} {
		_, err := readFrame(bytes.NewReader(frame))
		require.True(t, errors.Is(err, errWire), "%q: %v", frame, err)
	}
	for _, p := range []string{"", "l\xff\xff\xff\xff\x0f", "s\x05ab", "d\x01lN", "Z", "NN", "r\x01k\x01", "S\x01l\x00", "I\x02zz"} {
		_, err := decodeValue([]byte(p), nil)
		require.True(t, errors.Is(err, errWire), "%q: %v", p, err)
	}
	_, err := encodeValue(starlark.NewBuiltin("f", nil), nil)
	require.ErrorContains(t, err, "cannot pickle 'builtin_function_or_method' object")
}

// FuzzDecode: no input makes the decoder panic, and whatever decodes
// encodes back to the same bytes' value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"N", "T", "i\x02", "s\x01a", "l\x02NT", "d\x01s\x01ai\x00", "t\x00", "S\x01i\x04", "f\x00\x00\x00\x00\x00\x00\x00\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		v, err := decodeValue(p, nil)
		if err != nil {
			if !errors.Is(err, errWire) {
				t.Fatalf("error not wrapping errWire: %v", err)
			}
			return
		}
		q, err := encodeValue(v, nil)
		if err != nil {
			t.Fatalf("decoded %v does not encode: %v", v, err)
		}
		if _, err := decodeValue(q, nil); err != nil {
			t.Fatalf("re-encoded %v does not decode: %v", v, err)
		}
	})
}

// TestServerMalformed: requests a proxy never sends (too few arguments,
// unknown ids, garbage) are answered with errors; the server lives on.
func TestServerMalformed(t *testing.T) {
	m := &Module{children: map[*Process]bool{}, reg: &registry{}}
	m.reg.objs = map[uint64]object{1: &valueObj{typecode: "i", items: []starlark.Value{starlark.MakeInt(0)}}}
	m.reg.next = 1
	for _, req := range []starlark.Value{
		starlark.Tuple{starlark.MakeInt(1), starlark.String("set"), starlark.Tuple{}, starlark.NewDict(0)},
		starlark.Tuple{starlark.MakeInt(1), starlark.String("setitem"), starlark.Tuple{}, starlark.NewDict(0)},
		starlark.Tuple{starlark.MakeInt(9), starlark.String("get"), starlark.Tuple{}, starlark.NewDict(0)},
		starlark.Tuple{starlark.String("x")},
		starlark.None,
	} {
		p, err := encodeValue(req, nil)
		require.NoError(t, err)
		reply, err := decodeValue(m.answer(p, nil), nil)
		require.NoError(t, err)
		require.Equal(t, starlark.String("err"), reply.(starlark.Tuple)[0], "%v", req)
	}
	reply, err := decodeValue(m.answer([]byte("garbage"), nil), nil)
	require.NoError(t, err)
	require.Equal(t, starlark.String("err"), reply.(starlark.Tuple)[0])
}
