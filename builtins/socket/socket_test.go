package socket_test

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// Interop tests: starlab's sockets against real Python 3 peers on
// 127.0.0.1, every byte checked. Ports are picked by the OS (port 0).

// upperServerPy is a Python ThreadingTCPServer: each line comes back upper
// case; "BIG n" is answered with n bytes of a pattern.
const upperServerPy = `
import socketserver, sys
class H(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            if line.startswith(b"BIG "):
                n = int(line.split()[1])
                pattern = bytes(range(256)) * (n // 256 + 1)
                self.wfile.write(pattern[:n])
            else:
                self.wfile.write(line.upper())
socketserver.ThreadingTCPServer.daemon_threads = True
with socketserver.ThreadingTCPServer(("127.0.0.1", 0), H) as srv:
    print("port:", srv.server_address[1], flush=True)
    srv.serve_forever()  # until the test kills it
`

// starClient connects several threads to a Python server.
const starClientStar = `
port = int(sys.argv[1])
results = {}

def recv_exactly(s, n):
    buf = b""
    for _ in range(n):
        if len(buf) == n:
            break
        chunk = s.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf

def client(i):
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    for j in range(50):
        line = bytes("client %d line %d\n" % (i, j), "utf8")
        s.sendall(line)
        assert_eq(f.readline(), line.decode().upper().encode())
    s.sendall(b"BIG 100000\n")
    data = f.read(100000)
    assert_eq(len(data), 100000)
    for k in [0, 1, 255, 256, 99999]:
        assert_eq(data[k], k % 256)
    f.close()
    s.close()
    results[i] = "ok"

threads = [threading.Thread(target = client, args = (i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert_eq(len(results), 4)
print("done")
`

func TestInteropStarlabClientPythonServer(t *testing.T) {
	runtest.NeedPython(t)
	t.Parallel()
	py := runtest.StartPython(t, upperServerPy)
	port := py.Stdout.WaitLine(t, "port: ", 20*time.Second)
	run := runtest.Start(t, "client.star", starClientStar, port)
	run.RequireExit(t, 0, 30*time.Second)
	assert.Contains(t, run.Stdout.String(), "done")
	assert.Empty(t, run.Stderr.String())
}

const udpEchoPy = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("port:", s.getsockname()[1], flush=True)
s.settimeout(30)
while True:
    data, addr = s.recvfrom(65535)
    if data == b"quit":
        break
    s.sendto(data[::-1], addr)
`

const udpClientStar = `
port = int(sys.argv[1])
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(10)
for i in range(100):
    msg = bytes("datagram %d " % i, "utf8") + b"x" * (i * 97 % 4000)
    c.sendto(msg, ("127.0.0.1", port))
    data, addr = c.recvfrom(65535)
    assert_eq(data, bytes(reversed(list(msg.elems()))))
    assert_eq(addr, ("127.0.0.1", port))
c.sendto(b"quit", ("127.0.0.1", port))
c.close()
print("udp ok")
`

const udpServerStar = `
def handle(self):
    data = self.rfile.read()
    self.wfile.write(b"<" + data + b">")

server = socketserver.ThreadingUDPServer(("127.0.0.1", 0), socketserver.DatagramRequestHandler(handle = handle))
t = threading.Thread(target = server.serve_forever)
t.start()
print("port:", server.server_address[1])
input()
server.shutdown()
server.server_close()
t.join()
`

const udpClientPy = `
import socket, sys
port = int(sys.argv[1])
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(10)
for i in range(100):
    msg = ("datagram %d " % i).encode() + b"y" * (i * 131 % 8000)
    c.sendto(msg, ("127.0.0.1", port))
    data, addr = c.recvfrom(65535)
    assert data == b"<" + msg + b">", (i, len(data))
    assert addr == ("127.0.0.1", port), addr
print("ok")
`

func TestInteropUDPBothWays(t *testing.T) {
	runtest.NeedPython(t)
	t.Parallel()
	t.Run("starlab client, python server", func(t *testing.T) {
		py := runtest.StartPython(t, udpEchoPy)
		port := py.Stdout.WaitLine(t, "port: ", 20*time.Second)
		run := runtest.Start(t, "udp_client.star", udpClientStar, port)
		run.RequireExit(t, 0, 30*time.Second)
		py.RequireSuccess(t, 10*time.Second)
	})
	t.Run("python client, starlab server", func(t *testing.T) {
		run := runtest.Start(t, "udp_server.star", udpServerStar)
		port := run.Stdout.WaitLine(t, "port: ", 10*time.Second)
		py := runtest.StartPython(t, udpClientPy, port)
		py.RequireSuccess(t, 30*time.Second)
		io.WriteString(run.Stdin, "stop\n")
		run.RequireExit(t, 0, 10*time.Second)
	})
}

// sendBigPy sends n random bytes to whoever connects and prints their hash.
const sendBigPy = `
import hashlib, random, socket, sys
n = int(sys.argv[1])
data = random.randbytes(n)
print("sha:", hashlib.sha256(data).hexdigest(), flush=True)
s = socket.create_server(("127.0.0.1", 0))
print("port:", s.getsockname()[1], flush=True)
s.settimeout(30)
c, _ = s.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
c.sendall(data)
c.close()
`

// recvBigStar receives until the end into a file, in 1 MiB recvs.
const recvBigStar = `
port, path = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
f = open(path, "wb")
total = 0
t0 = time.monotonic()
for _ in range(1000000):
    chunk = s.recv(1 << 20)
    if not chunk:
        break
    f.write(chunk)
    total += len(chunk)
f.close()
s.close()
print("received:", total)
print("seconds:", time.monotonic() - t0)
`

// sendFileStar serves a file to one client: its size first (a line), then
// the bytes, read and sent in 1 MiB chunks (or by sendfile).
const sendFileStar = `
path, how = sys.argv[1], sys.argv[2]
srv = socket.create_server(("127.0.0.1", 0))
print("port:", srv.getsockname()[1])
conn, addr = srv.accept()
conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
size = os.path.getsize(path)
conn.sendall(bytes("%d\n" % size, "utf8"))
f = open(path, "rb")
t0 = time.monotonic()
if how == "sendfile":
    assert_eq(conn.sendfile(f), size)
    assert_eq(f.tell(), size)
else:
    for _ in range(100000):
        chunk = f.read(1 << 20)
        if not chunk:
            break
        conn.sendall(chunk)
print("seconds:", time.monotonic() - t0)
f.close()
conn.close()
srv.close()
`

const recvFilePy = `
import hashlib, socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
f = c.makefile("rb")
size = int(f.readline())
h, n = hashlib.sha256(), 0
while n < size:
    chunk = f.read(min(1 << 20, size - n))
    if not chunk:
        break
    h.update(chunk)
    n += len(chunk)
assert f.read() == b"", "more bytes than announced"
print("got:", n, h.hexdigest())
`

func TestInteropLargeTransfer(t *testing.T) {
	runtest.NeedPython(t)
	t.Parallel()
	const size = 64 << 20
	dir := t.TempDir()

	t.Run("python to starlab", func(t *testing.T) {
		py := runtest.StartPython(t, sendBigPy, strconv.Itoa(size))
		want := py.Stdout.WaitLine(t, "sha: ", 30*time.Second)
		port := py.Stdout.WaitLine(t, "port: ", 30*time.Second)
		path := filepath.Join(dir, "received.bin")
		run := runtest.Start(t, "recv_big.star", recvBigStar, port, path)
		run.RequireExit(t, 0, 60*time.Second)
		py.RequireSuccess(t, 10*time.Second)
		require.Equal(t, strconv.Itoa(size), run.Stdout.WaitLine(t, "received: ", time.Second))
		require.Equal(t, want, fileSHA256(t, path), "the 64 MiB arrived altered")
		logRate(t, size, run.Stdout.WaitLine(t, "seconds: ", time.Second))
	})

	src := filepath.Join(dir, "source.bin")
	data := make([]byte, size)
	_, err := rand.Read(data)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(src, data, 0o644))
	sum := sha256.Sum256(data)
	want := fmt.Sprintf("%d %s", size, hex.EncodeToString(sum[:]))
	for _, how := range []string{"sendall", "sendfile"} {
		t.Run("starlab to python by "+how, func(t *testing.T) {
			run := runtest.Start(t, "send_file.star", sendFileStar, src, how)
			port := run.Stdout.WaitLine(t, "port: ", 10*time.Second)
			py := runtest.StartPython(t, recvFilePy, port)
			py.RequireSuccess(t, 60*time.Second)
			run.RequireExit(t, 0, 10*time.Second)
			require.Equal(t, want, py.Stdout.WaitLine(t, "got: ", time.Second), "the 64 MiB arrived altered")
			logRate(t, size, run.Stdout.WaitLine(t, "seconds: ", time.Second))
		})
	}
}

func readFile(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

// scanLines splits a file's text into its lines.
func scanLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func fileSHA256(t *testing.T, path string) string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	h := sha256.New()
	_, err = io.Copy(h, f)
	require.NoError(t, err)
	return hex.EncodeToString(h.Sum(nil))
}

func logRate(t *testing.T, size int, seconds string) {
	s, err := strconv.ParseFloat(seconds, 64)
	if err == nil && s > 0 {
		t.Logf("%d MiB in %.3f s: %.0f MiB/s", size>>20, s, float64(size>>20)/s)
	}
}

// leftoverStar leaves everything open: a server serving in a daemon
// thread, connections whose handlers block in recv, a UDP socket, an
// epoll, a file with unflushed data. The run must close it all.
const leftoverStar = `
path = sys.argv[1]
server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), lambda self: self.request.recv(10),
                                        daemon_threads = True, allow_reuse_address = True)
threading.Thread(target = server.serve_forever, daemon = True).start()
clients = [socket.create_connection(server.server_address) for _ in range(5)]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
ep = select.epoll()
ep.register(u.fileno(), select.EPOLLIN)
f = open(path, "w")
f.write("flushed at exit")
for _ in range(100):
    if threading.active_count() == 7:
        break
    time.sleep(0.01)
assert_eq(threading.active_count(), 7)
print("port:", server.server_address[1])
print("udp:", u.getsockname()[1])
`

func TestSocketNothingOutlivesRun(t *testing.T) {
	// Not parallel: it counts the process's goroutines and descriptors.
	fds := func() int {
		entries, err := os.ReadDir("/proc/self/fd")
		require.NoError(t, err)
		return len(entries)
	}
	settle := func(f func() bool) bool {
		for i := 0; i < 200; i++ {
			if f() {
				return true
			}
			time.Sleep(10 * time.Millisecond)
		}
		return false
	}
	runtime.GC()
	baseG, baseFD := runtime.NumGoroutine(), fds()
	path := filepath.Join(t.TempDir(), "out.txt")
	run := runtest.Start(t, "leftover.star", leftoverStar, path)
	run.RequireExit(t, 0, 20*time.Second)
	port := run.Stdout.WaitLine(t, "port: ", time.Second)
	udp := run.Stdout.WaitLine(t, "udp: ", time.Second)

	// No socket of the run is left listening or connected on the port...
	for _, line := range scanLines(readFile(t, "/proc/net/tcp")) {
		f := strings.Fields(line)
		if len(f) > 3 && strings.HasSuffix(f[1], fmt.Sprintf(":%04X", atoi(t, port))) {
			assert.NotContains(t, []string{"0A", "01"}, f[3], "a socket is still listening or connected on the server's port: %s", line)
		}
	}
	// ... so a listener and a UDP socket can take the ports again (the
	// closed connections' TIME_WAIT allows that with SO_REUSEADDR, which
	// the server asked for, as Python's servers must to rebind at once).
	l, err := net.Listen("tcp", "127.0.0.1:"+port)
	require.NoError(t, err, "the server's port is still taken after the run")
	l.Close()
	pc, err := net.ListenPacket("udp", "127.0.0.1:"+udp)
	require.NoError(t, err, "the UDP port is still taken after the run")
	pc.Close()

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "flushed at exit", string(data), "an open file is flushed and closed at exit")
	assert.True(t, settle(func() bool { return fds() <= baseFD }), "descriptors: %d before the run, %d after", baseFD, fds())
	assert.True(t, settle(func() bool { return runtime.NumGoroutine() <= baseG }),
		"goroutines: %d before the run, %d after", baseG, runtime.NumGoroutine())
}

// TestSocketCtrlCInterruptsBlockedCalls: a KeyboardInterrupt (Ctrl-C) ends
// every kind of blocking socket call at once.
func TestSocketCtrlCInterruptsBlockedCalls(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"accept": `
s = socket.create_server(("127.0.0.1", 0))
print("ready:")
s.accept()
`,
		"recv": `
a, b = socket.socketpair()
print("ready:")
a.recv(10)
`,
		"recvfrom": `
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
print("ready:")
u.recvfrom(10)
`,
		"sendall": `
a, b = socket.socketpair()
print("ready:")
a.sendall(b"x" * (64 << 20))  # nobody reads: blocks when the buffers are full
`,
		"recv with a timeout": `
a, b = socket.socketpair()
a.settimeout(60)
print("ready:")
a.recv(10)
`,
		"select": `
a, b = socket.socketpair()
print("ready:")
select.select([a], [], [])
`,
		"epoll": `
a, b = socket.socketpair()
ep = select.epoll()
ep.register(a.fileno(), select.EPOLLIN)
print("ready:")
ep.poll()
`,
		"serve_forever": `
srv = socketserver.TCPServer(("127.0.0.1", 0), lambda self: None)
print("ready:")
srv.serve_forever()
`,
		"rfile.readline": `
a, b = socket.socketpair()
f = a.makefile("rb")
print("ready:")
f.readline()
`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := runtest.Start(t, "block.star", src)
			run.Stdout.WaitLine(t, "ready:", 10*time.Second)
			time.Sleep(50 * time.Millisecond) // let it block
			start := time.Now()
			run.Interp.Interrupt()
			run.RequireExit(t, 130, 5*time.Second)
			assert.Less(t, time.Since(start), 2*time.Second, "Ctrl-C took too long")
			assert.Contains(t, run.Stderr.String(), "KeyboardInterrupt")
		})
	}
}

// A caught Ctrl-C leaves the socket usable: the next recv gets the data.
const interruptedThenUsedStar = `
a, b = socket.socketpair()
caught = []
print("ready:")
try_(lambda: a.recv(10), except_ = [(KeyboardInterrupt, lambda e: caught.append(e))])
assert_eq(len(caught), 1)
b.sendall(b"after")
assert_eq(a.recv(10), b"after")
print("still works")
`

func TestSocketCaughtInterruptKeepsSocket(t *testing.T) {
	t.Parallel()
	run := runtest.Start(t, "caught.star", interruptedThenUsedStar)
	run.Stdout.WaitLine(t, "ready:", 10*time.Second)
	time.Sleep(50 * time.Millisecond)
	run.Interp.Interrupt()
	run.RequireExit(t, 0, 5*time.Second)
	assert.True(t, strings.Contains(run.Stdout.String(), "still works"))
}
