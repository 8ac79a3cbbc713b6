// Package fileobj is Python's file object for starlab scripts: what open()
// returns, a socket's makefile(), a request handler's rfile and wfile, and
// BytesIO. File holds the Python side, the same for all of them: text and
// binary modes, read(n)/readline/readlines/iteration on a read buffer with
// BufferedReader's semantics, universal newlines, utf-8/ascii/latin-1 text,
// write/writelines, seek/tell, close, and CPython's errors
// (io.UnsupportedOperation, "I/O operation on closed file."). Where the
// bytes come from and go to is a Backend: OSFile and Mem here, the socket
// package's socket backend there; three backends, not three kinds in one
// struct.
package fileobj
