// Package socket is Python's socket module for starlab scripts: Python's
// socket API on the OS's sockets.
//
// A socket is a non-blocking descriptor, made with socket(2) as in CPython
// (so bind/listen/setsockopt/fileno behave exactly as Python's), and handed
// to Go's poller through an *os.File. Python's blocking and timeout modes
// are built on top, as CPython builds them on poll(): a call first tries the
// system call while holding the baton (no switch when data is ready); if it
// would block, the thread gives the baton up in an external wait and parks
// in Go's poller until the socket is ready, the timeout's deadline passes
// (socket.timeout, which is TimeoutError), or the wait is cancelled
// (Ctrl-C, the thread being stopped): a past deadline wakes it at once.
//
// golang.org/x/sys/unix provides the calls the syscall package lacks or
// spells awkwardly: accept4, socket options, sockaddr conversions, poll,
// sendfile. Every socket is registered with Interp.Track, so none outlives
// the run. In sim mode, making a socket raises an error naming --sim.
//
// Files: socket.go the socket object and its small methods; data.go recv
// and send; wait.go how a call waits (the fast path, the poller, the
// deadlines); file.go makefile and sendfile; sockaddr.go addresses;
// module.go the module's functions (create_connection, getaddrinfo, ...).
//
// Departures from Python: socket(fileno=), detach() and dup() are not
// there; a socket's makefile() can't be iterated with `for line in f` (call
// readline() in a loop): a Starlark loop can't give the baton up.
package socket
