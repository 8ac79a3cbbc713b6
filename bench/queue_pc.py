# queue_pc: producer/consumer through queue.Queue(maxsize=10): 2 producers put
# 200,000 distinct numbers in all, 3 consumers take them until each gets a
# None sentinel. Every item must be consumed exactly once: the count and the
# sum of what the consumers took are checked against what was put.
# Twin: queue_pc.star.
import queue
import threading

N_ITEMS = 200000
N_PRODUCERS = 2
N_CONSUMERS = 3
PER_PRODUCER = N_ITEMS // N_PRODUCERS

q = queue.Queue(maxsize=10)
taken = [None] * N_CONSUMERS  # (count, sum) per consumer


def producer(p):
    for i in range(p * PER_PRODUCER, (p + 1) * PER_PRODUCER):
        q.put(i)


def consumer(c):
    count = 0
    total = 0
    while True:
        item = q.get()
        if item is None:
            break
        count += 1
        total += item
    taken[c] = (count, total)


consumers = [threading.Thread(target=consumer, args=(c,)) for c in range(N_CONSUMERS)]
producers = [threading.Thread(target=producer, args=(p,)) for p in range(N_PRODUCERS)]
for t in consumers + producers:
    t.start()
for t in producers:
    t.join()
for _ in consumers:
    q.put(None)  # one sentinel per consumer
for t in consumers:
    t.join()

count = sum(c for c, _ in taken)
total = sum(s for _, s in taken)
expected = N_ITEMS * (N_ITEMS - 1) // 2
print("result: count=%d sum=%d ok=%s" % (count, total, count == N_ITEMS and total == expected))
