#/usr/bin/env python
# -*- coding:utf-8 -*-
str_input = 'jack'
number = int(str_input)
print(number)
