package runtest

// EchoClientsPy is a Python 3 peer for echo servers, for StartPython with
// the arguments PORT N ROUNDS MAX [SUFFIX]: it connects N clients, all of them
// served at once (a barrier after each client's first reply);
// each sends ROUNDS chunks of random sizes up to MAX bytes and checks that
// each comes back, followed by SUFFIX. It exits 1 with the errors on
// stderr, else prints "ok TOTAL" (the bytes echoed). The socketserver tests
// and the course's socket examples (package labs) hammer servers with it.
const EchoClientsPy = `
import random, socket, sys, threading
port, n, rounds, maxsize = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
suffix = sys.argv[5].encode() if len(sys.argv) > 5 else b""
barrier = threading.Barrier(n)
errors, total = [], [0]
lock = threading.Lock()

def recv_exactly(s, size):
    buf = b""
    while len(buf) < size:
        chunk = s.recv(size - len(buf))
        if not chunk:
            raise RuntimeError("connection closed after %d of %d bytes" % (len(buf), size))
        buf += chunk
    return buf

def client(i):
    try:
        rnd = random.Random(i)
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        for r in range(rounds):
            if r == 1:
                # Every client has had a reply, so every handler runs:
                # none ends before the last one has started.
                barrier.wait(timeout=30)
            data = rnd.randbytes(rnd.randint(1, maxsize))
            s.sendall(data)
            back = recv_exactly(s, len(data) + len(suffix))
            if back != data + suffix:
                raise RuntimeError("round %d: reply of %d bytes differs" % (r, len(data)))
            with lock:
                total[0] += len(data)
        s.close()
    except Exception as e:
        with lock:
            errors.append("client %d: %r" % (i, e))

threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
for t in threads: t.start()
for t in threads: t.join()
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("ok", total[0])
`
