# bulk: 64 MiB through one TCP connection on 127.0.0.1: a thread sends
# 1 MiB blocks with sendall, the main thread receives with recv(65536) until
# the sender closes. Twin: bulk.star.
import socket
import threading

TOTAL = 64 << 20
BLOCK = 1 << 20

srv = socket.create_server(("127.0.0.1", 0))
block = bytes([i % 256 for i in range(256)]) * (BLOCK // 256)


def sender():
    c = socket.create_connection(srv.getsockname())
    for _ in range(TOTAL // BLOCK):
        c.sendall(block)
    c.close()


t = threading.Thread(target=sender)
t.start()
conn, _ = srv.accept()
n = 0
last = b""
while True:
    data = conn.recv(65536)
    if not data:
        break
    n += len(data)
    last = data
conn.close()
srv.close()
t.join()
print("result: bytes=%d tail=%s" % (n, repr(last[-4:])))
