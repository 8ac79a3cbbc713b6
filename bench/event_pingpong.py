# event_pingpong: two threads hand the turn back and forth through two Events,
# 20,000 round trips: the pinger sets `ping` and waits for `pong`, the ponger
# waits for `ping`, clears it and sets `pong`. Twin: event_pingpong.star.
import threading

N_ROUNDS = 20000

ping = threading.Event()
pong = threading.Event()
pings = 0
pongs = 0


def pinger():
    global pings
    for _ in range(N_ROUNDS):
        ping.set()
        pong.wait()
        pong.clear()
        pings += 1


def ponger():
    global pongs
    for _ in range(N_ROUNDS):
        ping.wait()
        ping.clear()
        pongs += 1
        pong.set()


threads = [threading.Thread(target=ponger), threading.Thread(target=pinger)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("result: pings=%d pongs=%d" % (pings, pongs))
