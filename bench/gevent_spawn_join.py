# gevent_spawn_join: 10,000 greenlets spawned, each sleeping 0 once, then
# all joined with joinall. Twin: gevent_spawn_join.star.
# Needs gevent (apt-get install python3-gevent; PYTHON=/usr/bin/python3 bench/run.sh).
import gevent

N = 10000


def work(i):
    gevent.sleep(0)
    return i


gs = [gevent.spawn(work, i) for i in range(N)]
gevent.joinall(gs)
print("result: n=%d sum=%d" % (len(gs), sum([g.value for g in gs])))
