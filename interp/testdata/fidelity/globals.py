# global statements: the course's counters and the scoping rules around them.
num, num2 = 0, 0
count = 10

def run1():
    print("grab the first part data")
    global num
    num += 1
    return num

def run2():
    global num2   # a comment after the names
    num2 += 1
    return num2

def reader():
    return num + num2          # reads the globals without declaring them

def shadow():
    count = 99                 # a local: the global is untouched
    return count

def setter(v):
    global created, count
    created = v
    count = count + v
    return [count * k for k in range(2)], (lambda count: count)(5), (lambda: count)()

def nested():
    def inner():
        global num
        num = 1000
    inner()
    return num

def never():
    global ghost
    return ghost

print(run1(), run1(), run2(), reader(), shadow(), count)
print(setter(5), created, count, nested(), num)
for num2 in range(3):
    pass
print(num2, reader(), [num for num in ["local to the comprehension"]], num)
try:
    never()
except NameError as e:
    print("NameError:", e)
