# The course's subclassed Thread with per-thread state (MyThread(num) with
# self.num). The sleep is 0.1 * num instead of 3, so the order is fixed.
import threading
import time

class MyThread(threading.Thread):
    def __init__(self,num):
        threading.Thread.__init__(self)
        self.num = num
    def run(self):#定义每个线程要运行的函数
        time.sleep(0.1 * self.num)
        print("running on number:%s" %self.num)

if __name__ == '__main__':
    t1 = MyThread(1)
    t2 = MyThread(2)
    t1.start()
    t2.start()
