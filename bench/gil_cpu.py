# gil_cpu: the twin of gil_cpu.star.
import multiprocessing
import threading
import time

N = 8000000

def count(n):
    total = 0
    for i in range(n):
        total += i & 7
    return total

def timed(make):
    workers = [make() for _ in range(2)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    threads = timed(lambda: threading.Thread(target=count, args=(N,)))
    processes = timed(lambda: multiprocessing.Process(target=count, args=(N,)))
    print("2 threads   %.2f s" % threads)
    print("2 processes %.2f s (%.1fx)" % (processes, threads / processes))
    print("result: count=%d" % count(1000))
