package multiprocessing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"

	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
)

// The wire format: how values cross between a parent and its children.
//
// A message is a frame: the magic "SLMP", a version byte, a big-endian
// uint32 payload length, and the payload. The payload is one value,
// written as a tag byte and its body:
//
//	'N' None   'T' True   'F' False
//	'i' int     a zig-zag varint        'I' big int  its decimal text, as 's'
//	'f' float   8 bytes, IEEE 754, big-endian
//	's' str     uvarint length, UTF-8   'b' bytes    uvarint length, bytes
//	'l' list, 't' tuple, 'S' set        uvarint count, then the items
//	'd' dict    uvarint count, then key, value, key, value...
//	'g' a top-level function of the script, by name (as pickle does)
//	'r' a shared object: its kind (as 's') and its id (uvarint)
//
// Everything else refuses to cross with pickle's error. Decoding trusts
// nothing: every length is checked against what is left, nesting is
// bounded, and a bad message is an error, never a panic.

const (
	wireMagic   = "SLMP"
	wireVersion = 1
	maxFrame    = 64 << 20 // 64 MiB: more is a corrupt length, not a message
	maxDepth    = 200
)

// errWire is wrapped by every decoding error.
var errWire = errors.New("multiprocessing: malformed message")

func wireErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errWire, fmt.Sprintf(format, args...))
}

// writeFrame writes payload as one frame.
func writeFrame(w io.Writer, payload []byte) error {
	buf := make([]byte, 0, 9+len(payload))
	buf = append(buf, wireMagic...)
	buf = append(buf, wireVersion)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(payload)))
	buf = append(buf, payload...)
	_, err := w.Write(buf)
	return err
}

// readFrame reads one frame and returns its payload; io.EOF when the peer
// closed between frames.
func readFrame(r io.Reader) ([]byte, error) {
	var hdr [9]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return nil, wireErrorf("truncated header")
		}
		return nil, err
	}
	if string(hdr[:4]) != wireMagic {
		return nil, wireErrorf("bad magic %q", hdr[:4])
	}
	if hdr[4] != wireVersion {
		return nil, wireErrorf("version %d, want %d", hdr[4], wireVersion)
	}
	n := binary.BigEndian.Uint32(hdr[5:])
	if n > maxFrame {
		return nil, wireErrorf("frame of %d bytes", n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return nil, wireErrorf("truncated frame")
	}
	return payload, nil
}

// Ref is a shared object as it crosses: its kind and its id in the
// parent's table.
type Ref struct {
	Kind string
	ID   uint64
}

// FuncRef is a top-level function crossing by name.
type FuncRef struct{ Name string }

// encoder turns values into bytes. refOf says how a shared object or a
// function crosses (ok false: it can't).
type encoder struct {
	buf   []byte
	refOf func(v starlark.Value) (any, error)
}

func (e *encoder) uvarint(n uint64) { e.buf = binary.AppendUvarint(e.buf, n) }
func (e *encoder) str(tag byte, s string) {
	e.buf = append(e.buf, tag)
	e.uvarint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) encode(v starlark.Value, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("maximum recursion depth exceeded while pickling an object")
	}
	switch v := v.(type) {
	case starlark.NoneType:
		e.buf = append(e.buf, 'N')
	case starlark.Bool:
		if v {
			e.buf = append(e.buf, 'T')
		} else {
			e.buf = append(e.buf, 'F')
		}
	case starlark.Int:
		if n, ok := v.Int64(); ok {
			e.buf = append(e.buf, 'i')
			e.buf = binary.AppendVarint(e.buf, n)
		} else {
			e.str('I', v.String())
		}
	case starlark.Float:
		e.buf = append(e.buf, 'f')
		e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(float64(v)))
	case starlark.String:
		e.str('s', string(v))
	case interp.Bytes:
		e.str('b', string(v))
	case starlark.Bytes:
		e.str('b', string(v))
	case *starlark.List:
		e.buf = append(e.buf, 'l')
		return e.items(v.Len(), v.Index, depth)
	case starlark.Tuple:
		e.buf = append(e.buf, 't')
		return e.items(v.Len(), v.Index, depth)
	case *starlark.Set:
		e.buf = append(e.buf, 'S')
		var items []starlark.Value
		it := v.Iterate()
		var x starlark.Value
		for it.Next(&x) {
			items = append(items, x)
		}
		it.Done()
		return e.items(len(items), func(i int) starlark.Value { return items[i] }, depth)
	case *starlark.Dict:
		e.buf = append(e.buf, 'd')
		items := v.Items()
		e.uvarint(uint64(len(items)))
		for _, kv := range items {
			if err := e.encode(kv[0], depth+1); err != nil {
				return err
			}
			if err := e.encode(kv[1], depth+1); err != nil {
				return err
			}
		}
	default:
		if e.refOf == nil {
			return cantPickle(v)
		}
		r, err := e.refOf(v)
		if err != nil {
			return err
		}
		switch r := r.(type) {
		case Ref:
			e.str('r', r.Kind)
			e.uvarint(r.ID)
		case FuncRef:
			e.str('g', r.Name)
		}
	}
	return nil
}

func (e *encoder) items(n int, at func(int) starlark.Value, depth int) error {
	e.uvarint(uint64(n))
	for i := 0; i < n; i++ {
		if err := e.encode(at(i), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// decoder reads values; resolve turns a Ref or a FuncRef into a value of
// this process (nil: refs are malformed here).
type decoder struct {
	buf     []byte
	resolve func(r any) (starlark.Value, error)
}

func (d *decoder) byte1() (byte, error) {
	if len(d.buf) == 0 {
		return 0, wireErrorf("truncated value")
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b, nil
}

func (d *decoder) uvarint() (uint64, error) {
	n, k := binary.Uvarint(d.buf)
	if k <= 0 {
		return 0, wireErrorf("bad length")
	}
	d.buf = d.buf[k:]
	return n, nil
}

// count reads a count of items, each at least one byte long.
func (d *decoder) count() (int, error) {
	n, err := d.uvarint()
	if err != nil {
		return 0, err
	}
	if n > uint64(len(d.buf)) {
		return 0, wireErrorf("count %d beyond the message", n)
	}
	return int(n), nil
}

func (d *decoder) bytesN() (string, error) {
	n, err := d.uvarint()
	if err != nil {
		return "", err
	}
	if n > uint64(len(d.buf)) {
		return "", wireErrorf("length %d beyond the message", n)
	}
	s := string(d.buf[:n])
	d.buf = d.buf[n:]
	return s, nil
}

func (d *decoder) decode(depth int) (starlark.Value, error) {
	if depth > maxDepth {
		return nil, wireErrorf("nested too deep")
	}
	tag, err := d.byte1()
	if err != nil {
		return nil, err
	}
	switch tag {
	case 'N':
		return starlark.None, nil
	case 'T':
		return starlark.True, nil
	case 'F':
		return starlark.False, nil
	case 'i':
		n, k := binary.Varint(d.buf)
		if k <= 0 {
			return nil, wireErrorf("bad int")
		}
		d.buf = d.buf[k:]
		return starlark.MakeInt64(n), nil
	case 'I':
		s, err := d.bytesN()
		if err != nil {
			return nil, err
		}
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, wireErrorf("bad big int")
		}
		return starlark.MakeBigInt(b), nil
	case 'f':
		if len(d.buf) < 8 {
			return nil, wireErrorf("truncated float")
		}
		f := math.Float64frombits(binary.BigEndian.Uint64(d.buf))
		d.buf = d.buf[8:]
		return starlark.Float(f), nil
	case 's':
		s, err := d.bytesN()
		return starlark.String(s), err
	case 'b':
		s, err := d.bytesN()
		return interp.Bytes(s), err
	case 'l', 't', 'S':
		n, err := d.count()
		if err != nil {
			return nil, err
		}
		items := make([]starlark.Value, n)
		for i := range items {
			if items[i], err = d.decode(depth + 1); err != nil {
				return nil, err
			}
		}
		switch tag {
		case 'l':
			return starlark.NewList(items), nil
		case 't':
			return starlark.Tuple(items), nil
		}
		s := starlark.NewSet(n)
		for _, x := range items {
			if err := s.Insert(x); err != nil {
				return nil, wireErrorf("set item: %v", err)
			}
		}
		return s, nil
	case 'd':
		n, err := d.count()
		if err != nil {
			return nil, err
		}
		dict := starlark.NewDict(n)
		for i := 0; i < n; i++ {
			k, err := d.decode(depth + 1)
			if err != nil {
				return nil, err
			}
			v, err := d.decode(depth + 1)
			if err != nil {
				return nil, err
			}
			if err := dict.SetKey(k, v); err != nil {
				return nil, wireErrorf("dict key: %v", err)
			}
		}
		return dict, nil
	case 'r', 'g':
		s, err := d.bytesN()
		if err != nil {
			return nil, err
		}
		var r any = FuncRef{Name: s}
		if tag == 'r' {
			id, err := d.uvarint()
			if err != nil {
				return nil, err
			}
			r = Ref{Kind: s, ID: id}
		}
		if d.resolve == nil {
			return nil, wireErrorf("unexpected reference")
		}
		return d.resolve(r)
	}
	return nil, wireErrorf("unknown tag %q", tag)
}

// Encode encodes v as a payload; refOf handles what is not plain data.
func encodeValue(v starlark.Value, refOf func(starlark.Value) (any, error)) ([]byte, error) {
	e := &encoder{refOf: refOf}
	if err := e.encode(v, 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// decodeValue decodes a whole payload: trailing bytes are an error.
func decodeValue(p []byte, resolve func(any) (starlark.Value, error)) (starlark.Value, error) {
	d := &decoder{buf: p, resolve: resolve}
	v, err := d.decode(0)
	if err != nil {
		return nil, err
	}
	if len(d.buf) != 0 {
		return nil, wireErrorf("%d bytes after the value", len(d.buf))
	}
	return v, nil
}
