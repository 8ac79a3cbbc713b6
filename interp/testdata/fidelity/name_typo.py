# A typo: CPython 3.11 suggests the name meant, after the traceback.
counter = 1
print(countr)
