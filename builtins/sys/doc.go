// Package sys is the part of Python's sys module that starlab scripts use:
// argv, exit (SystemExit), stdout and stderr (write, flush),
// getswitchinterval/setswitchinterval (the real-time scheduler's preemption
// interval, 5 ms by default as in CPython), platform, version and maxsize.
package sys
