import gevent
import gevent.pool
import gevent.queue
from gevent import monkey

monkey.patch_all()
import time


def f(n, d):
    print("start", n)
    gevent.sleep(d)
    print("end", n)
    return n * 10


gs = [gevent.spawn(f, 1, 0.3), gevent.spawn(f, 2, 0.1), gevent.spawn(f, 3, 0.2)]
print("spawned")
done = gevent.joinall(gs)
print([g.value for g in done])


def step(name):
    for i in range(3):
        print(name, i)
        gevent.sleep(0)


gevent.joinall([gevent.spawn(step, "a"), gevent.spawn(step, "b")])


def patched(n):
    time.sleep(0.1 * n)
    print("patched", n)


gevent.joinall([gevent.spawn(patched, n) for n in (3, 1, 2)])
p = gevent.pool.Pool(2)
print(p.map(lambda x: x * x, range(5)))
q = gevent.queue.Queue()


def producer():
    for i in range(3):
        q.put(i)
        print("put", i)
        gevent.sleep(0)
    q.put(None)


def consumer():
    while True:
        item = q.get()
        if item is None:
            break
        print("got", item)


gevent.joinall([gevent.spawn(consumer), gevent.spawn(producer)])
g = gevent.spawn(gevent.sleep, 10)
gevent.sleep(0)
g.kill()
print(type(g.value).__name__, g.successful(), g.dead)
