# map, filter, exit and range's repr, as Python's (the .star is the same code).
nums = list(map(int, " 1 2  3\n".split()))
print(nums, list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])), list(filter(None, [0, 1, "", "x"])), list(filter(lambda n: n % 2, range(6))))
print(range(10), range(1, 5), range(0, 10, 2), [range(3)])
for n in map(str, nums):
    print(n, end=" ")
print()
exit(3)
