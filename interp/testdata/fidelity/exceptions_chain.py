# Chained exceptions: __context__ and raise ... from.
def inner():
    try:
        int("x")
    except ValueError as e:
        raise KeyError(("a", 1))

try:
    inner()
except KeyError as e:
    print("caught", repr(e), str(e))
    print("context:", repr(e.__context__))
    print("cause:", e.__cause__, e.__suppress_context__)

try:
    try:
        {}["k"]
    except KeyError as e:
        raise RuntimeError("no key") from None
except RuntimeError as e:
    print("suppressed:", e.__suppress_context__, e.__cause__)

print(str(KeyError(("a", 1))), repr(KeyError("k")), str(ValueError("a", 2)))
print(ValueError("x").__class__.__name__, issubclass(UnboundLocalError, NameError))
print(issubclass(TabError, SyntaxError), issubclass(ModuleNotFoundError, ImportError))
print(issubclass(UnicodeDecodeError, ValueError), issubclass(UserWarning, Exception))

try:
    try:
        {}["k"]
    finally:
        print("cleanup", issubclass(bool, int), issubclass(int, str))
        raise OSError("in finally")
except OSError as e:
    print("finally context:", repr(e.__context__))

def handler():
    try:
        [][1]
    except IndexError as e:
        raise ValueError("bad index") from e

try:
    handler()
except ValueError as e:
    raise TypeError("outer")
