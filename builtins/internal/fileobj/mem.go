package fileobj

import "go.starlark.net/starlark"

// Mem is the backend of a BytesIO: bytes in memory. A datagram request
// handler reads its request from one (rfile) and writes its reply into
// another (wfile), whose bytes the server then sends back.
type Mem struct {
	data []byte
	read int // how much of data Fill has given out
}

// Bytes returns the whole buffer (getvalue()).
func (m *Mem) Bytes() []byte { return m.data }

// Fill gives the bytes not given yet; a BytesIO never blocks.
func (m *Mem) Fill(_ *starlark.Thread, p []byte) (int, error) {
	n := copy(p, m.data[m.read:])
	m.read += n
	return n, nil
}

// Write appends p.
func (m *Mem) Write(_ *starlark.Thread, p []byte) error {
	m.data = append(m.data, p...)
	return nil
}

// Flush, Close, Fileno and Err: memory has nothing to flush or release, no
// descriptor, and no errors of its own.
func (m *Mem) Flush() error        { return nil }
func (m *Mem) Close() error        { return nil }
func (m *Mem) Fileno() (int, bool) { return 0, false }
func (m *Mem) Err(err error) error { return err }

// NewBytesReader is a BytesIO holding data, to read (a datagram handler's rfile).
func NewBytesReader(data []byte) starlark.Value {
	return New(&Mem{data: data}, Options{Name: starlark.None, TypeName: "BytesIO", Binary: true, Read: true, Iterable: true})
}

// NewBytesWriter is an empty BytesIO to write to (a datagram handler's
// wfile); Of(v).Backend().(*Mem).Bytes() is what was written.
func NewBytesWriter() starlark.Value {
	return New(&Mem{}, Options{Name: starlark.None, TypeName: "BytesIO", Binary: true, Write: true, Iterable: true})
}
