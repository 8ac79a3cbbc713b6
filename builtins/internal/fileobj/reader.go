package fileobj

import (
	"bytes"
	"fmt"
	"unicode/utf8"
	"unsafe"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// reader is the read buffer of a file object: a file from open(), a
// socket's makefile(), a request handler's rfile. It implements Python's
// BufferedReader semantics on top of a source that fills a buffer:
// read(n) returns n bytes unless the source ends first, readline stops
// after b"\n". Text mode adds decoding and, with newline=None, universal
// newlines: "\r\n" and "\r" read as "\n".
type reader struct {
	buf []byte // buf[r:] is read from the source but not yet by the script
	r   int
	eof bool // the source ended (cleared by a seek)

	// fill reads from the source into p, blocking if it must; (0, nil) at
	// its end. It may give the baton up (a socket, a pipe).
	fill  func(th *starlark.Thread, p []byte) (int, error)
	chunk int // how much one fill asks for

	translate bool // universal newlines
	pendingCR bool // the last byte filled was a '\r' turned into '\n'
}

const ioChunk = 64 << 10

func (r *reader) buffered() int { return len(r.buf) - r.r }

// reset drops the buffer (after a seek).
func (r *reader) reset() {
	r.buf, r.r, r.eof, r.pendingCR = r.buf[:0], 0, false, false
}

// more reads once from the source into the buffer; false at the end.
func (r *reader) more(th *starlark.Thread) (bool, error) {
	if r.eof {
		return false, nil
	}
	if r.r > 0 {
		n := copy(r.buf, r.buf[r.r:])
		r.buf, r.r = r.buf[:n], 0
	}
	if cap(r.buf)-len(r.buf) < r.chunk {
		nb := make([]byte, len(r.buf), max(2*cap(r.buf), len(r.buf)+r.chunk))
		copy(nb, r.buf)
		r.buf = nb
	}
	start := len(r.buf)
	n, err := r.fill(th, r.buf[start:start+r.chunk])
	if err != nil {
		return false, err
	}
	if n == 0 {
		r.eof = true
		r.pendingCR = false
		return false, nil
	}
	r.buf = r.buf[:start+n]
	if r.translate {
		r.translateFrom(start)
	}
	return true, nil
}

// translateFrom applies universal newlines to buf[start:] in place.
func (r *reader) translateFrom(start int) {
	buf := r.buf
	i, w := start, start
	if r.pendingCR && i < len(buf) && buf[i] == '\n' {
		i++ // the "\n" of a "\r\n" split between two fills
	}
	r.pendingCR = false
	for ; i < len(buf); i++ {
		c := buf[i]
		if c == '\r' {
			buf[w] = '\n'
			w++
			if i+1 < len(buf) {
				if buf[i+1] == '\n' {
					i++
				}
			} else {
				r.pendingCR = true
			}
			continue
		}
		buf[w] = c
		w++
	}
	r.buf = buf[:w]
}

// take returns the next n buffered bytes, copied (the buffer is reused).
func (r *reader) take(n int) []byte {
	out := make([]byte, n)
	copy(out, r.buf[r.r:r.r+n])
	r.r += n
	return out
}

// readBytes is read(n) of a binary file: n bytes, fewer only at the end;
// n < 0 reads to the end.
func (r *reader) readBytes(th *starlark.Thread, n int) ([]byte, error) {
	if n >= 0 && r.buffered() >= n {
		return r.take(n), nil
	}
	if r.translate {
		for n < 0 || r.buffered() < n {
			ok, err := r.more(th)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
		}
		if n < 0 || n > r.buffered() {
			n = r.buffered()
		}
		return r.take(n), nil
	}
	// Read straight into the result: a big read(n) copies nothing twice.
	// A huge n (read(1 << 40) of a small file) grows the result as it comes.
	size := n
	if n < 0 || n > r.buffered()+(16<<20) {
		size = max(r.buffered()+r.chunk, 2*r.chunk)
	}
	out := make([]byte, r.buffered(), size)
	copy(out, r.buf[r.r:])
	r.buf, r.r = r.buf[:0], 0
	for !r.eof && (n < 0 || len(out) < n) {
		if len(out) == cap(out) {
			newCap := 2 * cap(out)
			if n >= 0 && newCap > n {
				newCap = n
			}
			nb := make([]byte, len(out), newCap)
			copy(nb, out)
			out = nb
		}
		m, err := r.fill(th, out[len(out):cap(out)])
		if err != nil {
			// Keep what was read for the next call, as BufferedReader does.
			r.buf = append(r.buf[:0], out...)
			return nil, err
		}
		if m == 0 {
			r.eof = true
			break
		}
		out = out[:len(out)+m]
	}
	return out, nil
}

// readLineBytes is readline(limit) of a binary file: up to and including
// b"\n", at most limit bytes if limit >= 0.
func (r *reader) readLineBytes(th *starlark.Thread, limit int) ([]byte, error) {
	scanned := 0
	for {
		unread := r.buf[r.r:]
		end := len(unread)
		if limit >= 0 && limit < end {
			end = limit
		}
		if i := bytes.IndexByte(unread[scanned:end], '\n'); i >= 0 {
			return r.take(scanned + i + 1), nil
		}
		if limit >= 0 && len(unread) >= limit {
			return r.take(limit), nil
		}
		scanned = len(unread)
		ok, err := r.more(th)
		if err != nil {
			return nil, err
		}
		if !ok {
			return r.take(r.buffered()), nil
		}
	}
}

// readText is read(n) of a text file: n characters (fewer at the end), all
// of them if n < 0.
func (r *reader) readText(th *starlark.Thread, n int, enc string) (string, error) {
	if n < 0 {
		b, err := r.readBytes(th, -1)
		if err != nil {
			return "", err
		}
		return Decode(b, enc, true)
	}
	return r.scanText(th, n, false, enc)
}

// readLineText is readline(limit) of a text file, limit in characters.
func (r *reader) readLineText(th *starlark.Thread, limit int, enc string) (string, error) {
	return r.scanText(th, limit, true, enc)
}

// scanText takes up to limit characters (limit < 0: no limit), stopping
// after a "\n" if line is set.
func (r *reader) scanText(th *starlark.Thread, limit int, line bool, enc string) (string, error) {
	i, count := 0, 0
	for {
		unread := r.buf[r.r:]
		for i < len(unread) && (limit < 0 || count < limit) {
			c := unread[i]
			size := 1
			if c >= utf8.RuneSelf && isUTF8(enc) {
				if !utf8.FullRune(unread[i:]) && !r.eof {
					break // the rest of this character is still to come
				}
				_, size = utf8.DecodeRune(unread[i:])
			}
			i += size
			count++
			if line && c == '\n' {
				return Decode(r.take(i), enc, true)
			}
		}
		if limit >= 0 && count >= limit {
			return Decode(r.take(i), enc, true)
		}
		ok, err := r.more(th)
		if err != nil {
			return "", err
		}
		if !ok {
			return Decode(r.take(r.buffered()), enc, true)
		}
	}
}

func isUTF8(enc string) bool { return enc == "utf-8" }

// Decode decodes b as enc ("utf-8", "ascii" or "latin-1"), raising
// UnicodeDecodeError as CPython does for bad input when strict.
func Decode(b []byte, enc string, strict bool) (string, error) {
	switch enc {
	case "ascii":
		for i, c := range b {
			if c >= 0x80 {
				return "", unicodeDecodeError(enc, c, i, "ordinal not in range(128)")
			}
		}
		return unsafe.String(unsafe.SliceData(b), len(b)), nil
	case "latin-1":
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return string(rs), nil
	}
	if utf8.Valid(b) {
		return unsafe.String(unsafe.SliceData(b), len(b)), nil
	}
	for i := 0; i < len(b); {
		ru, size := utf8.DecodeRune(b[i:])
		if ru == utf8.RuneError && size <= 1 {
			reason := "invalid continuation byte"
			switch c := b[i]; {
			case c < 0xc2 || c > 0xf4:
				reason = "invalid start byte"
			case !utf8.FullRune(b[i:]):
				reason = "unexpected end of data"
			}
			return "", unicodeDecodeError("utf-8", b[i], i, reason)
		}
		i += size
	}
	return string(b), nil
}

// UnicodeDecodeError is a ValueError (through UnicodeError), as in Python.
var unicodeDecodeErrorClass = interp.NewExceptionClass("UnicodeDecodeError", interp.UnicodeError)

func unicodeDecodeError(enc string, c byte, pos int, reason string) error {
	return interp.Raise(interp.NewException(unicodeDecodeErrorClass,
		starlark.String(fmt.Sprintf("'%s' codec can't decode byte 0x%02x in position %d: %s", enc, c, pos, reason))))
}

// Encode encodes s for a text file of encoding enc.
func Encode(s string, enc string) ([]byte, error) {
	switch enc {
	case "ascii", "latin-1":
		limit := rune(0x80)
		reason := "ordinal not in range(128)"
		if enc == "latin-1" {
			limit, reason = 0x100, "ordinal not in range(256)"
		}
		out := make([]byte, 0, len(s))
		pos := 0
		for _, ru := range s {
			if ru >= limit {
				return nil, interp.Raise(interp.NewException(interp.UnicodeError,
					starlark.String(fmt.Sprintf("'%s' codec can't encode character '\\u%04x' in position %d: %s", enc, ru, pos, reason))))
			}
			out = append(out, byte(ru))
			pos++
		}
		return out, nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s)), nil
}

// Encoding normalises an encoding name: "utf-8", "ascii" or "latin-1".
func Encoding(name string) (string, bool) {
	n := bytes.ToLower([]byte(name))
	n = bytes.ReplaceAll(n, []byte("_"), []byte("-"))
	switch string(n) {
	case "utf-8", "utf8", "u8", "utf":
		return "utf-8", true
	case "ascii", "us-ascii", "646":
		return "ascii", true
	case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", "8859", "cp819":
		return "latin-1", true
	}
	return "", false
}
