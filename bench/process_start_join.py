# process_start_join: 20 processes started, then all joined; each exits with
# its own code (i % 7), and the exit codes are summed at the end.
# Twin: process_start_join.star. CPython's spawn method, as starlab's.
import multiprocessing
import sys

N_PROCS = 20


def work(i):
    sys.exit(i % 7)


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    ps = [multiprocessing.Process(target=work, args=(i,)) for i in range(N_PROCS)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("result: processes=%d sum=%d" % (len(ps), sum([p.exitcode for p in ps])))
