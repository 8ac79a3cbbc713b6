# list, tuple and dict methods Starlark lacks: sort, reverse, copy, count, index.
a = [3, 1, 2]
a.sort()
b = ["bb", "a", "ccc"]
b.sort(key=len, reverse=True)
c = a.copy()
c.reverse()
d = {"k": 1}
e = d.copy()
e["j"] = 2
print(a, b, c, d, e, [1, 2, 1].count(1), (1, 2, 2).count(2), (5, 6).index(6), "abca".count("a"))
for bad in [lambda: (1,).index(9), lambda: a.sort(1), lambda: [1, "a"].sort()]:
    try:
        bad()
    except Exception as ex:
        print(type(ex).__name__ + ":", ex)
