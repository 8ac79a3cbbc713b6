package socketserver_test

import (
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/starlab-dev/starlab/builtins/runtest"
)

// Interop tests: starlab's servers against real Python 3 clients on
// 127.0.0.1, every byte checked. Ports are picked by the OS (port 0).

// echoServerStar is the course's ThreadingTCPServer as an echo server; it
// prints its port, serves until a line arrives on stdin, then shuts down.
const echoServerStar = `
state = {"max_threads": 0, "conns": 0}

def handle(self):
    state["conns"] += 1
    state["max_threads"] = max(state["max_threads"], threading.active_count())
    while True:
        data = self.request.recv(65536)
        if not data:
            break
        self.request.sendall(data)

server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handle)
t = threading.Thread(target = server.serve_forever)
t.start()
print("port:", server.server_address[1])
input()
server.shutdown()
server.server_close()
t.join()
print("conns:", state["conns"])
print("max_threads:", state["max_threads"])
`

func TestInteropPythonClientsHammerThreadingServer(t *testing.T) {
	runtest.NeedPython(t)
	t.Parallel()
	run := runtest.Start(t, "echo_server.star", echoServerStar)
	port := run.Stdout.WaitLine(t, "port: ", 10*time.Second)
	const clients = 20
	py := runtest.StartPython(t, runtest.EchoClientsPy, port, strconv.Itoa(clients), "40", "16384")
	py.RequireSuccess(t, 60*time.Second)
	total := py.Stdout.WaitLine(t, "ok ", time.Second)
	io.WriteString(run.Stdin, "stop\n")
	run.RequireExit(t, 0, 20*time.Second)
	assert.Equal(t, strconv.Itoa(clients), run.Stdout.WaitLine(t, "conns: ", time.Second))
	maxThreads, _ := strconv.Atoi(run.Stdout.WaitLine(t, "max_threads: ", time.Second))
	assert.GreaterOrEqual(t, maxThreads, clients+2, "the 20 connections were served at once (main + serve_forever + 20 handlers)")
	t.Logf("%d concurrent clients, %s bytes echoed and checked", clients, total)
}
