# echo: 8 clients each make 2,000 round trips of 32 bytes through a
# socketserver.ThreadingTCPServer on 127.0.0.1 (a handler thread per client,
# the course's section 3 server). Every reply is checked. Twin: echo.star.
import socket
import socketserver
import threading

N_CLIENTS = 8
ROUND_TRIPS = 2000
SIZE = 32


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(4096)
            if not data:
                break
            self.request.sendall(data)


# A listen backlog for all the clients that connect at once: with the
# default of 5, Linux drops the extra handshakes and the client waits a 1 s
# retransmission, which would time TCP, not the language.
socketserver.ThreadingTCPServer.request_queue_size = 16
server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
# CPython's serve_forever looks for shutdown() every poll_interval (0.5 s by
# default), which would add up to half a second to its time; starlab's wakes
# at once. A short interval keeps the comparison about the echo.
server_thread = threading.Thread(target=server.serve_forever, args=(0.05,))
server_thread.start()

results = []


def client(n):
    sock = socket.create_connection(server.server_address)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    msg = bytes("client %d " % n, "utf8")
    msg = msg + b"." * (SIZE - len(msg))
    ok = 0
    for _ in range(ROUND_TRIPS):
        sock.sendall(msg)
        reply = b""
        for _ in range(SIZE):  # TCP may split the reply: read until SIZE bytes
            if len(reply) == SIZE:
                break
            chunk = sock.recv(SIZE - len(reply))
            if not chunk:
                break
            reply += chunk
        if reply == msg:
            ok += 1
    sock.close()
    results.append(ok)


clients = [threading.Thread(target=client, args=(n,)) for n in range(N_CLIENTS)]
for t in clients:
    t.start()
for t in clients:
    t.join()
server.shutdown()
server.server_close()
server_thread.join()
print("result: clients=%d round_trips=%d ok=%d" % (N_CLIENTS, N_CLIENTS * ROUND_TRIPS, sum(results)))
