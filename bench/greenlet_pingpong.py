# greenlet_pingpong: the main greenlet and one other switch back and forth,
# 200,000 round trips, a value passed each way. Twin: greenlet_pingpong.star.
# Needs greenlet (apt-get install python3-greenlet; PYTHON=/usr/bin/python3 bench/run.sh).
import greenlet

N_ROUNDS = 200000

main = greenlet.getcurrent()


def ponger(x):
    total = 0
    for _ in range(N_ROUNDS):
        total += x
        x = main.switch(x + 1)
    return total


g = greenlet.greenlet(ponger)
v = g.switch(0)
for _ in range(N_ROUNDS - 1):
    v = g.switch(v)
total = g.switch(v)
print("result: rounds=%d total=%d dead=%s" % (N_ROUNDS, total, g.dead))
