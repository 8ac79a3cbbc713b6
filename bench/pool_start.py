# pool_start: the twin of pool_start.star.
import multiprocessing

def square(x):
    return x * x

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    pool = multiprocessing.Pool(2)
    got = pool.map(square, [3, 4])
    pool.close()
    pool.join()
    print("result: %s" % got)
