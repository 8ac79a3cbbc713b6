package multiprocessing

import (
	"strings"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// seqProxy is the proxy of a sequence, an Array or a Manager's list, which
// Python slices: arr[1:3], arr[:], arr[::-1] are a list (a str or bytes
// for an Array of 'u' or 'c', as a ctypes array's slice is), copied from
// one snapshot of the object. Only sequences are Sliceable, so v[1:2] on a
// Value or a dict is still an error. (Starlark has no slice assignment:
// arr[1:3] = [5, 6] is a syntax error; assign the items one by one.)
type seqProxy struct{ *proxy }

var _ starlark.Sliceable = seqProxy{}

// wrapProxy gives a sequence's proxy its slices.
func wrapProxy(p *proxy) starlark.Value {
	if p.kind == "SynchronizedArray" || p.kind == "ListProxy" {
		return seqProxy{p}
	}
	return p
}

// Slice takes the items from start toward end by step (indices Starlark
// computed from Len; the snapshot may differ if another process changed a
// list meanwhile, so each index is checked).
func (s seqProxy) Slice(start, end, step int) starlark.Value {
	v, err := s.invokeNoThread("tolist")
	l, ok := v.(*starlark.List)
	if err != nil || !ok {
		return starlark.NewList(nil)
	}
	var out []starlark.Value
	for i := start; (step > 0 && i < end) || (step < 0 && i > end); i += step {
		if i >= 0 && i < l.Len() {
			out = append(out, l.Index(i))
		}
	}
	if s.kind == "SynchronizedArray" && len(out) > 0 {
		// An array of 'c' slices to bytes, of 'u' to str.
		var b strings.Builder
		for _, x := range out {
			switch x := x.(type) {
			case interp.Bytes:
				b.WriteString(string(x))
			case starlark.String:
				b.WriteString(string(x))
			default:
				return starlark.NewList(out)
			}
		}
		if _, isBytes := out[0].(interp.Bytes); isBytes {
			return interp.Bytes(b.String())
		}
		return starlark.String(b.String())
	}
	return starlark.NewList(out)
}
