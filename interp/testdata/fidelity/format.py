# printf-style formatting, str.format and format(), as Python prints them.
x = 3.14159
print("%.2f" % x, "%5d|" % 42, "%-10s|" % "left", "%05d" % 42, "%+d" % 5, "%x %X %o" % (255, 255, 8))
print("100%%", "%r %r %s" % ("it's", 'say "hi"', [1, "a"]), "%c%c" % (65, "b"))
print("%(name)s is %(age)d" % {"name": "Ann", "age": 30}, "%s" % [1, 2], "%s" % (("t",),))
print("%e|%g|%g|%.3g|%10.4f|%-8.2f|" % (12345.678, 0.00001, 1e20, 3.14159, 2.5, 2.5))
print("%d" % 3.99, "%i" % True, "%s %s" % (None, True), "%*d|%-*d|" % (5, 1, 4, 2), "%.3s" % "abcdef")
print("{:.2f}".format(x), "{:>10}|".format("r"), "{:<6}|".format("l"), "{:^7}|".format("c"), "{:*^9}".format("mid"))
print("{:5d}|".format(7), "{:,}".format(1234567), "{:_}".format(1234567), "{:x} {:X} {:o} {:b}".format(255, 255, 8, 5))
print("{0!r} {0!s} {1}".format("a", 2), "{name}={value:08.3f}".format(name="pi", value=x), "{{literal}}")
print("{:#x} {:#o} {:#b}".format(255, 8, 5), "{:+d} {: d}".format(3, 3), "{:010,}".format(1234567))
print("{:.1%}".format(0.256), "{:e}".format(1234.5), "{:.3}".format(3.14159), "{}".format(2.0), "{:g}".format(100000.0))
print("{0[1]} {1[k]} {2.real}".format([1, 2], {"k": "v"}, 5) if False else "{0[1]} {1[k]}".format([1, 2], {"k": "v"}))
print("{:>{w}}|".format("n", w=6), "{:.{p}f}".format(x, p=3), format(x, ".3f"), format(42, "08b"), format("s", "^5"))
print(format(1e16), format(1.5), format(-0.0), format(1e-5), str(0.1 + 0.2), repr(2.5))
print("ab".center(6, "*"), "ab".center(7), "|" + "ab".ljust(5) + "|", "ab".rjust(5, "."), "-5".zfill(4), "aBc".swapcase())
print("a\tb".expandtabs(4), "Straße".casefold(), "x".encode(), b"caf\xc3\xa9".decode(), "abc".isascii())
for bad in [
    lambda: "%d" % "s",
    lambda: "%x" % 1.5,
    lambda: "%f" % "s",
    lambda: "%d %d" % (1,),
    lambda: "%d" % (1, 2),
    lambda: "%z" % 1,
    lambda: "%(k)s" % 5,
    lambda: "{}".format(),
    lambda: "{0} {}".format(1, 2),
    lambda: "{:d}".format(1.5),
    lambda: "{:d}".format("s"),
    lambda: "{:+}".format("s"),
    lambda: "{".format(),
    lambda: "}".format(),
    lambda: "{k}".format(),
    lambda: "{!x}".format(1),
    lambda: format([1], "d"),
    lambda: "ab".center(1.5),
    lambda: "ab".center(5, "xy"),
    lambda: b"\xff".decode(),
]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__ + ":", e)
fmt = "%-5s|%3d|%r"
print(fmt % ("ab", 7, "q"), fmt % ("c", 1, 2), "%(a)s" % {"a": 1})
