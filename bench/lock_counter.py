# lock_counter: 100 threads each decrement a shared counter 10,000 times,
# every decrement under one threading.Lock. Twin: lock_counter.star.
import threading

N_THREADS = 100
N_ITERS = 10000

num = N_THREADS * N_ITERS
lock = threading.Lock()


def work():
    global num
    for _ in range(N_ITERS):
        lock.acquire()
        num -= 1
        lock.release()


threads = [threading.Thread(target=work) for _ in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("result: num=%d" % num)
