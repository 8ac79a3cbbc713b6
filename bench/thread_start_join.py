# thread_start_join: 10,000 threads started, then all joined; each writes its
# own slot of a list, and the slots are summed at the end.
# Twin: thread_start_join.star.
import threading

N_THREADS = 10000

out = [0] * N_THREADS


def work(i):
    out[i] = i


threads = [threading.Thread(target=work, args=(i,)) for i in range(N_THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

print("result: threads=%d sum=%d" % (len(threads), sum(out)))
