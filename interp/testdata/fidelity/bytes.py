# Python's bytes: what recv, read and b"..." give.
data = b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
print(data[0], data[:3], len(data), type(data), type(data) == bytes, isinstance(data, bytes))
print([c for c in b"AZ"], list(b"hi"), 104 in b"hi", b"i" in b"hi", b"x" + b"y", b"ab" * 2)
print(data.decode(), str(b"x"), repr(b"it's"), b"\x00\xff\n", str(b"caf\xc3\xa9", "utf8"))
line = data.split(b"\r\n")[0]
print(line, line.split(), line.split(b" ", 1), b"  a b  ".split(), b" a b  c ".split(None, 1), b" a b c".rsplit(None, 1))
print(b"  x \n".strip(), b"xxhixx".strip(b"x"), b"..a".lstrip(b"."), b"a\n".rstrip())
print(data.startswith(b"GET"), data.endswith((b"\r\n", b"x")), data.find(b"Host"), data.find(b"nope"), b"abcb".rfind(b"b"))
print(b"a-b-c".replace(b"-", b"+"), b"a-b-c".replace(b"-", b"", 1), b", ".join([b"a", b"b"]), b"\x01\xab".hex(), b"ab".hex(":"))
print(b"MiXed".upper(), b"MiXed".lower(), b"a\nb\r\nc".splitlines(), b"abcb".count(b"b"), b"42".isdigit())
print(b"%d items, %s, %05.1f, %x" % (5, b"raw", 2.5, 255), b"%d" % 5, int(b"42"), int(b" 7\n"), float(b"1.5"))
print(bytes([104, 105]), bytes("hé", "utf8"), "hé".encode(), "x".encode("ascii"), bytes(3), b"" == bytes(), b"a" < b"b")
print({b"k": 1}[b"k"], sorted([b"b", b"a"]), b"abc"[::-1], b"abc"[-1], b"abc"[1:])
for bad in [
    lambda: b"x" + "y",
    lambda: b"a".startswith("a"),
    lambda: b"a".split("a"),
    lambda: b"%s" % "str",
    lambda: b"\xff".decode(),
    lambda: "é".encode("ascii"),
    lambda: b"a"[5],
    lambda: b"a".index(b"z"),
    lambda: b", ".join(["a"]),
]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__ + ":", e)
