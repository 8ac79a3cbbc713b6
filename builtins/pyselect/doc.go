// Package pyselect is Python's select module for starlab scripts (Go keeps the
// word select for itself): select.select(rlist, wlist, xlist, timeout), and
// the poll() and epoll() objects the course contrasts socketserver with. All
// wait with poll(2) in an external wait; a Ctrl-C wakes the wait through an
// eventfd polled alongside.
//
// A socket or a server is waited on through its descriptor (netpoll.FD), so
// this package does not depend on the socket module; any other object with a
// fileno() method works too, as in Python.
package pyselect
