package interp_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// TestNewBytes: a value a module makes with interp.NewBytes (what recv and
// read return) is Python's bytes in a script.
func TestNewBytes(t *testing.T) {
	buf := []byte("hi\xff")
	b := interp.NewBytes(buf)
	buf[0] = 'X' // NewBytes copies
	assert.Equal(t, `b'hi\xff'`, b.String())
	assert.Equal(t, starlark.MakeInt('h'), b.Index(0))

	{
		var stdout, stderr bytes.Buffer
		it := interp.New(interp.Options{
			Stdout: &stdout, Stderr: &stderr,
			Predeclared: func(*interp.Interp) starlark.StringDict {
				return starlark.StringDict{"data": interp.NewBytes([]byte("GET / HTTP/1.1\r\n"))}
			},
		})
		code := it.Run("t.star", []byte(`print(data[0], data.split()[0], data.decode().strip(), type(data), str(data)[:6])`))
		require.Equal(t, 0, code, stderr.String())
		assert.Equal(t, "71 b'GET' GET / HTTP/1.1 <class 'bytes'> b'GET \n", stdout.String())
	}
}
