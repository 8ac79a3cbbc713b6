# pool_map: Pool(2) started, map of 1,000 trivial tasks (x * x), the
# results summed; close and join.
# Twin: pool_map.star. CPython's spawn method, as starlab's.
import multiprocessing


def sq(x):
    return x * x


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    pool = multiprocessing.Pool(2)
    out = pool.map(sq, range(1000))
    pool.close()
    pool.join()
    print("result: tasks=%d sum=%d" % (len(out), sum(out)))
