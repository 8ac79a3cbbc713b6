# type() and classes, the built-ins Starlark lacks, Python's error wording.
import threading
import socket, time
from queue import Queue, Empty
import os.path
e = ValueError("bad")
print(type(e), type(e) == ValueError, type(e).__name__, type("s"), type(1) == int, type(1.5) == float)
print(type(True) == bool, type(None), type([]) == list, type({}) == dict, type(()) == tuple, type(b"x") == bytes)
print(isinstance(1, int), isinstance(True, int), isinstance("s", str), isinstance(e, (KeyError, ValueError)))
print(int, str, type(int) if False else "", int(" 42\n"), float("1.5\n"), int("-7 "), float(" 2 "), int(b"42"))
print(divmod(7, 2), divmod(-7, 2), divmod(7.5, 2), pow(2, 10), pow(2, -1), pow(3, 4, 5), pow(2.0, 3))
print(hex(255), hex(-1), oct(8), bin(5), bin(0), callable(print), callable(len), callable(1), callable(lambda: 1))
a = [1, 2]
b = a
print(id(a) == id(b), id(a) == id([1, 2]))
it = iter([1, 2, 3])
print(next(it), next(it), next(it), next(it, "done"))
it = iter({"k": 1, "j": 2})
print(next(it), list(it))
def f():
    pass
print(repr(f).startswith("<function f at 0x"), repr(lambda: 1).startswith("<function <lambda> at 0x"))
print(str(KeyError(("a", 1))), repr(KeyError(("a", 1))), str(KeyError("k")))
print(Queue().qsize(), threading.active_count(), time.time() > 0, socket.AF_INET == socket.AF_INET)
for bad in [
    lambda: [1].index(9),
    lambda: {}.pop("k"),
    lambda: [1].pop(5),
    lambda: [].pop(),
    lambda: "abc".index("z"),
    lambda: {}.pop("k", 1) + "x",
    lambda: "x".format(1, 2) + 1,
    lambda: ", ".join(["a", 1]),
    lambda: {"a": 1}["b"],
    lambda: next(iter([])),
    lambda: hex(1.5),
    lambda: divmod(1, 0),
    lambda: divmod("a", 1),
    lambda: int("jack"),
    lambda: int(" "),
    lambda: undefined_name,
    lambda: 1 / 0,
    lambda: 5 // 0,
    lambda: 5 % 0,
    lambda: [1][5],
    lambda: "a" + 1,
    lambda: None.x,
]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__ + ":", e)

def counter():
    total = total + 1
try:
    counter()
except UnboundLocalError as e:
    print(isinstance(e, NameError), e)
try:
    import nosuchmodule
except ModuleNotFoundError as e:
    print(type(e).__name__, e, isinstance(e, ImportError))
try:
    from queue import Nope
except ImportError as e:
    print(type(e).__name__, str(e).startswith("cannot import name 'Nope' from 'queue'"))
print(missing)
