# gevent_echo: one thread, all greenlets: an echo server (a greenlet per
# connection, sockets patched) and 8 client greenlets each making 2,000
# round trips of 32 bytes on 127.0.0.1. Every reply is checked.
# Twin: gevent_echo.star. Needs gevent (PYTHON=/usr/bin/python3 bench/run.sh).
from gevent import monkey

monkey.patch_all()
import socket

import gevent

N_CLIENTS = 8
ROUND_TRIPS = 2000
SIZE = 32

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(16)
address = srv.getsockname()


def handle(conn):
    while True:
        data = conn.recv(4096)
        if not data:
            break
        conn.sendall(data)
    conn.close()


def serve():
    while True:
        conn, addr = srv.accept()
        gevent.spawn(handle, conn)


server = gevent.spawn(serve)


def client(n):
    sock = socket.create_connection(address)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    msg = ("client %d " % n).encode()
    msg = msg + b"." * (SIZE - len(msg))
    ok = 0
    for _ in range(ROUND_TRIPS):
        sock.sendall(msg)
        reply = b""
        for _ in range(SIZE):
            if len(reply) == SIZE:
                break
            chunk = sock.recv(SIZE - len(reply))
            if not chunk:
                break
            reply += chunk
        if reply == msg:
            ok += 1
    sock.close()
    return ok


clients = [gevent.spawn(client, n) for n in range(N_CLIENTS)]
gevent.joinall(clients)
server.kill()
srv.close()
print("result: clients=%d round_trips=%d ok=%d" % (N_CLIENTS, N_CLIENTS * ROUND_TRIPS, sum([c.value for c in clients])))
