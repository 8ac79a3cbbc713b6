package labs_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// The socket examples of labs/examples/sockets, run against real clients:
// Python 3 ones and starlab's own, several at once, every byte checked.
// (They are not in labs/examples itself: TestCourseExamples runs those in
// sim mode, where real sockets are refused.)

const socketExamples = "examples/sockets/"

func readExample(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(socketExamples + name)
	require.NoError(t, err)
	return string(src)
}

// freePort is a TCP port on 127.0.0.1 that is free now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// stopServer sends Ctrl-C to a server example, which must end with
// KeyboardInterrupt (130), as Python's serve_forever does.
func stopServer(t *testing.T, r *runtest.Background) {
	t.Helper()
	r.Interp.Interrupt()
	r.RequireExit(t, 130, 10*time.Second)
	assert.Contains(t, r.Stderr.String(), "KeyboardInterrupt")
}

func TestExampleEchoServerAndClient(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	server := runtest.Start(t, "echo_server.star", readExample(t, "echo_server.star"), port)
	server.Stdout.WaitLine(t, "echo server listening on 127.0.0.1:"+port, 10*time.Second)

	// The course's client: lines from input(), replies printed.
	client := runtest.Start(t, "echo_client.star", readExample(t, "echo_client.star"), port)
	io.WriteString(client.Stdin, "hello\n你好, 世界\nexit\n")
	client.RequireExit(t, 0, 10*time.Second)
	assert.Contains(t, client.Stdout.String(), "server reply: hello\n")
	assert.Contains(t, client.Stdout.String(), "server reply: 你好, 世界\n")
	assert.Contains(t, client.Stdout.String(), "bye")
	server.Stdout.WaitLine(t, "closed ('127.0.0.1', ", 5*time.Second)

	// Python clients, one at a time (the server serves one at a time),
	// random bytes up to 1000 at a time (the server reads 1024 at a time;
	// longer messages meet Nagle and delayed ACKs, as in Python), every byte checked.
	for i := 0; i < 3; i++ {
		py := runtest.StartPython(t, runtest.EchoClientsPy, port, "1", "50", "1000")
		py.RequireSuccess(t, 30*time.Second)
	}
	assert.Equal(t, 4, strings.Count(server.Stdout.String(), "connected by ('127.0.0.1', "))
	stopServer(t, server)
}

func TestExampleThreadingServer(t *testing.T) {
	runtest.NeedPython(t)
	t.Parallel()
	port := freePort(t)
	server := runtest.Start(t, "threading_server.star", readExample(t, "threading_server.star"), port)
	server.Stdout.WaitLine(t, "serving on 127.0.0.1:"+port, 10*time.Second)
	const clients = 20
	// 10 rounds: the handler writes twice per message (data, then the notice),
	// which meets Nagle and delayed ACKs, as in Python: ~40 ms a round.
	py := runtest.StartPython(t, runtest.EchoClientsPy, port, strconv.Itoa(clients), "10", "512", "本次数发送完毕")
	py.RequireSuccess(t, 60*time.Second)
	stopServer(t, server)
	assert.Equal(t, clients, strings.Count(server.Stdout.String(), "New Conn: ('127.0.0.1', "), "one handler per client")
	assert.NotContains(t, server.Stderr.String(), "Exception occurred")
}

func TestExampleSelectEchoServer(t *testing.T) {
	runtest.NeedPython(t)
	t.Parallel()
	port := freePort(t)
	server := runtest.Start(t, "select_echo_server.star", readExample(t, "select_echo_server.star"), port)
	server.Stdout.WaitLine(t, "select echo server on 127.0.0.1:"+port, 10*time.Second)
	py := runtest.StartPython(t, runtest.EchoClientsPy, port, "20", "20", "65536")
	py.RequireSuccess(t, 60*time.Second)
	t.Logf("select server: %s bytes echoed to 20 clients at once", py.Stdout.WaitLine(t, "ok ", time.Second))
	stopServer(t, server)
}

// fileClientPy speaks file_server's protocol: put FILE..., then get each back.
const fileClientPy = `
import os, socket, sys
port, prefix, outdir, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
s = socket.create_connection(("127.0.0.1", port), timeout=30)
f = s.makefile("rb")
for path in files:
    data = open(path, "rb").read()
    name = prefix + os.path.basename(path)
    s.sendall(b"put %s %d\n" % (name.encode(), len(data)) + data)
    assert f.readline() == b"ok %d\n" % len(data)
for path in files:
    name = prefix + os.path.basename(path)
    s.sendall(b"get %s\n" % name.encode())
    line = f.readline()
    assert line.startswith(b"ok "), line
    size = int(line[3:])
    data = f.read(size)
    assert len(data) == size
    open(os.path.join(outdir, name), "wb").write(data)
s.sendall(b"get no-such-file\n")
assert f.readline() == b"error no such file: no-such-file\n"
print("ok")
`

func TestExampleFileServer(t *testing.T) {
	runtest.NeedPython(t)
	t.Parallel()
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	sizes := map[string]int{"empty.bin": 0, "one.bin": 1, "small.txt": 1000, "odd.bin": 1<<20 + 7, "big.bin": 6 << 20}
	contents := map[string][]byte{}
	var files []string
	for name, size := range sizes {
		data := make([]byte, size)
		_, err := rand.Read(data)
		require.NoError(t, err)
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		contents[name] = data
		files = append(files, path)
	}
	port := freePort(t)
	server := runtest.Start(t, "file_server.star", readExample(t, "file_server.star"), port, store)
	server.Stdout.WaitLine(t, "file server on 127.0.0.1:"+port, 10*time.Second)

	// Three starlab clients and three Python clients at once, each with
	// its own names, putting every file and getting it back.
	var wg sync.WaitGroup
	type result struct {
		who, prefix, out string
		check            func()
	}
	var results []result
	for i := 0; i < 3; i++ {
		prefix := fmt.Sprintf("star%d-", i)
		out := filepath.Join(dir, prefix+"out")
		require.NoError(t, os.MkdirAll(out, 0o755))
		var script strings.Builder
		for _, p := range files {
			fmt.Fprintf(&script, "put %s %s%s\n", p, prefix, filepath.Base(p))
		}
		for _, p := range files {
			fmt.Fprintf(&script, "get %s%s %s\n", prefix, filepath.Base(p), filepath.Join(out, prefix+filepath.Base(p)))
		}
		script.WriteString("get no-such-file " + filepath.Join(out, "x") + "\nquit\n")
		client := runtest.Start(t, "file_client.star", readExample(t, "file_client.star"), port)
		io.WriteString(client.Stdin, script.String())
		results = append(results, result{"starlab client " + prefix, prefix, out, func() {
			client.RequireExit(t, 0, 60*time.Second)
			assert.Contains(t, client.Stdout.String(), "get no-such-file failed: error no such file: no-such-file")
		}})
	}
	for i := 0; i < 3; i++ {
		prefix := fmt.Sprintf("py%d-", i)
		out := filepath.Join(dir, prefix+"out")
		require.NoError(t, os.MkdirAll(out, 0o755))
		py := runtest.StartPython(t, fileClientPy, append([]string{port, prefix, out}, files...)...)
		results = append(results, result{"python client " + prefix, prefix, out, func() { py.RequireSuccess(t, 60*time.Second) }})
	}
	for _, r := range results {
		wg.Add(1)
		go func() { defer wg.Done(); r.check() }()
	}
	wg.Wait()
	for _, r := range results {
		for name, want := range contents {
			stored, err := os.ReadFile(filepath.Join(store, r.prefix+name))
			if assert.NoError(t, err, "%s: %s not stored", r.who, name) {
				assert.True(t, bytes.Equal(want, stored), "%s: %s stored altered (%d bytes, want %d)", r.who, name, len(stored), len(want))
			}
			got, err := os.ReadFile(filepath.Join(r.out, r.prefix+name))
			if assert.NoError(t, err, "%s: %s not fetched", r.who, name) {
				assert.True(t, bytes.Equal(want, got), "%s: %s fetched altered (%d bytes, want %d)", r.who, name, len(got), len(want))
			}
		}
	}
	entries, err := os.ReadDir(store)
	require.NoError(t, err)
	assert.Len(t, entries, 6*len(sizes), "no .part file left behind")
	stopServer(t, server)
}
