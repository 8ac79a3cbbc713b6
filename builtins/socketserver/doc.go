// Package socketserver is Python's socketserver module for starlab scripts,
// after CPython 3.11's Lib/socketserver.py: TCPServer, UDPServer, their
// Threading and Unix variants, and the request handlers. Starlark has no
// classes, so a handler is socketserver.BaseRequestHandler(handle=fn,
// setup=fn, finish=fn) (or StreamRequestHandler, DatagramRequestHandler), or a
// plain function handle(self); self.request, self.client_address and
// self.server are Python's. A server's class attributes (allow_reuse_address,
// daemon_threads, ...) can be set on the class, as in Python
// (socketserver.TCPServer.allow_reuse_address = True), on the server, or as
// keyword arguments of the constructor.
//
// Where does a server wait? serve_forever polls the listening socket in an
// interp external wait (Server.waitReadable), with poll_interval as its
// timeout, so shutdown() from another thread ends it within one interval, as
// in CPython; a Threading server runs each request in a new interp thread.
package socketserver
