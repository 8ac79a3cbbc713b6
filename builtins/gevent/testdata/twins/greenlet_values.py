import greenlet

main = greenlet.getcurrent()


def f(x, y):
    print("f got", x, y)
    z = main.switch(x + y)
    print("f resumed with", z)
    kw = main.switch()
    print("f got keywords", kw)
    return "done"


g = greenlet.greenlet(f)
print("main got", g.switch(1, 2))
print("main got", g.switch("hello"))
print("main got", g.switch(a=1))
print("dead:", g.dead)
print("switch to dead:", g.switch(5))


def catcher():
    try:
        main.switch()
    except ValueError as e:
        return "caught " + str(e)


c = greenlet.greenlet(catcher)
c.switch()
print(c.throw(ValueError, "boom"))
e = greenlet.greenlet(lambda: main.switch())
e.switch()
r = e.throw()
print(type(r).__name__, e.dead)
u = greenlet.greenlet(lambda: print("never"))
try:
    u.throw(RuntimeError, "early")
except RuntimeError as err:
    print("raised", err, u.dead)
