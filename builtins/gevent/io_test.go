package gevent_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// downloads is the course's gevent example against a local server: three
// greenlets each urlopen a page that takes 300 ms.
const downloads = `
def f(url):
    print('GET: %s' % url)
    resp = urllib.request.urlopen(url)
    data = resp.read()
    print('%d bytes received from %s.' % (len(data), url))

start = time.monotonic()
gevent.joinall([
    gevent.spawn(f, BASE + '/python'),
    gevent.spawn(f, BASE + '/yahoo'),
    gevent.spawn(f, BASE + '/github'),
])
print("took %s" % (time.monotonic() - start))
`

// TestDownloads: patched, the downloads overlap (all GETs first, about
// 300 ms in all); unpatched, urlopen blocks the hub and they run one after
// the other (about 900 ms), as the course says.
func TestDownloads(t *testing.T) {
	srv := runtest.SlowHTTPServer(t, 300*time.Millisecond, 1234)
	for _, patched := range []bool{true, false} {
		src := fmt.Sprintf("BASE = %q\n", srv.URL)
		if patched {
			src += "gevent.monkey.patch_all()\n"
		}
		src += downloads
		code, out, stderr := runtest.Outcome(t, "downloads.star", []byte(src), interp.SchedConfig{})
		require.Equal(t, 0, code, stderr)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 7, out)
		var took float64
		fmt.Sscanf(lines[6], "took %f", &took)
		assert.Equal(t, 3, strings.Count(out, "1234 bytes received from "+srv.URL))
		if patched {
			for i := 0; i < 3; i++ {
				assert.True(t, strings.HasPrefix(lines[i], "GET: "), "patched: the three GETs come first:\n%s", out)
			}
			assert.Less(t, took, 0.6, "patched downloads overlap")
		} else {
			for i := 0; i < 6; i += 2 {
				assert.True(t, strings.HasPrefix(lines[i], "GET: ") && strings.Contains(lines[i+1], "bytes received"), "unpatched: one at a time:\n%s", out)
			}
			assert.GreaterOrEqual(t, took, 0.85, "unpatched downloads do not overlap")
		}
	}
}

// TestEchoServerOneThread: with sockets patched, one thread serves 20
// clients at once, each handled by a greenlet, the clients greenlets of the
// same thread too.
func TestEchoServerOneThread(t *testing.T) {
	src := `
gevent.monkey.patch_all()
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(50)
port = srv.getsockname()[1]
state = {"open": 0, "max": 0}

def handle(conn):
    state["open"] += 1
    state["max"] = max(state["max"], state["open"])
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
    conn.close()
    state["open"] -= 1

def serve():
    while True:
        conn, addr = srv.accept()
        gevent.spawn(handle, conn)

gevent.spawn(serve)

def client(i):
    c = socket.create_connection(("127.0.0.1", port))
    time.sleep(0.1)  # patched: the other clients connect meanwhile
    c.sendall(bytes("hello %d" % i, "utf8"))
    r = c.recv(1024)
    c.close()
    return r.decode()

start = time.monotonic()
cs = [gevent.spawn(client, i) for i in range(20)]
gevent.joinall(cs, raise_error = True)
took = time.monotonic() - start
assert_eq([c.value for c in cs], ["hello %d" % i for i in range(20)])
assert_(state["max"] >= 10, "many clients were served at once: %d" % state["max"])
assert_(took < 1, "20 clients of 0.1 s each in one thread took %s" % took)
print("ok", len(threading.enumerate()) >= 1)
`
	code, out, stderr := runtest.Outcome(t, "echo.star", []byte(src), interp.SchedConfig{})
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, stderr)
	assert.Equal(t, "ok True\n", out)
}
