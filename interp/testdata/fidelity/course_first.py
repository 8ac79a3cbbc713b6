# The course's first example (异常处理), as printed, with one line added
# (the quit test) so that the run ends: at the end of input, input()'s
# EOFError is an Exception, and the loop would go on forever.
while True:
    try:
        a = input("num1:")
        if a == "quit": break
        b = input("num2:")
        c = range(10)
        num1 = int(a)
        num2 = int(b)
        result = num1 + num2
        print(c[11])
    except ValueError as e:
        print("ValueError:",e)
    except IndentationError as e:
        print("index error:",2)
    except IndexError as e:
        print(c[4])
    except KeyboardInterrupt as e:
        print("ctrl + c")
    except Exception as e:
        print("捕获到为止异常:")
        print(e)
    finally:
        print("xxxx")
