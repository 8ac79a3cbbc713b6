# f-strings, one-line ones in all their forms.
name, n, ratio, w = "ann", 42, 0.256, 8
d = {"k": [1, 2]}
print(f"{name} has {n:>5} items, {ratio:.1%}", f'{name!r}', F"{n:{w}}|", f"{{x}} {d['k'][1]} {n * 2 + 1}", f"plain")
print(f"{'a' if n > 1 else 'b'}", f"{n!s:>4}", f"{n:,} {n:#x}", "f'not' # f\"x\"")  # f"{comment}"
x = f"a{n}" + f"b{n}"; print(x, f"{ {'a': 1}['a'] }")
s = """
f"{n}" stays
"""
print(s.strip(), f"{(lambda v: v + 1)(n)}")
print(f"{n=} {ratio = :.2f} {name=!s} {n == 42=}", f"{n!=1}")
report = f"""
{name}: {n:>4}
  ratio {ratio:.0%}
"""
print(report, f"""{n}""", "# not a comment", end="")
print(f"{n}" # comment f"{x}"
)
