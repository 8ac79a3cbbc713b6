# manager_dict: a Manager dict, 2 children each writing 2,000 keys of
# their own, then the parent sums the values.
# Twin: manager_dict.star. CPython's spawn method, as starlab's.
import multiprocessing

N = 2000


def work(d, base):
    for i in range(N):
        d[base + i] = i


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    m = multiprocessing.Manager()
    d = m.dict()
    ps = [multiprocessing.Process(target=work, args=(d, k * N)) for k in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("result: keys=%d sum=%d" % (len(d), sum(d.values())))
