# bounded_semaphore: 20 threads share a BoundedSemaphore(2); each enters the
# guarded section 10,000 times and does a short piece of work there (it counts
# its entries in its own slot). At the end the semaphore must be back to 2
# free slots. Twin: bounded_semaphore.star.
import threading

N_THREADS = 20
N_ITERS = 10000

sem = threading.BoundedSemaphore(2)
counts = [0] * N_THREADS


def work(idx):
    for _ in range(N_ITERS):
        with sem:
            counts[idx] += 1


threads = [threading.Thread(target=work, args=(i,)) for i in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

# Every acquire was released: exactly 2 slots are free again.
free = 0
for _ in range(3):
    if sem.acquire(blocking=False):
        free += 1
for _ in range(free):
    sem.release()
print("result: entries=%d free=%d" % (sum(counts), free))
