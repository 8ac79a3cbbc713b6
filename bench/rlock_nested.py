# rlock_nested: 20 threads, each 10,000 times takes an RLock and, holding it,
# calls a helper that takes the same RLock again, then bumps a shared counter.
# Twin: rlock_nested.star.
import threading

N_THREADS = 20
N_ITERS = 10000

n = 0
rlock = threading.RLock()


def bump():
    global n
    with rlock:  # already held by this thread: only the count goes up
        n += 1


def work():
    for _ in range(N_ITERS):
        with rlock:
            bump()


threads = [threading.Thread(target=work) for _ in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("result: n=%d" % n)
