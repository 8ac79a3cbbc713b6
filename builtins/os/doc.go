// Package os is the part of Python's os module that the course's scripts
// and the file-transfer labs use: getpid, getppid, sep, linesep; listdir,
// remove/unlink, mkdir, makedirs, rmdir, rename, getcwd; and os.path
// (exists, isfile, isdir, getsize, join, basename, dirname, split, splitext,
// abspath), with CPython's errors ("[Errno 2] No such file or directory:
// 'x.txt'"). Paths may be str or bytes; a result has the argument's type.
package os
