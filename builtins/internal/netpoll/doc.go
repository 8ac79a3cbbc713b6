// Package netpoll is how a blocking OS operation (a socket's recv, select,
// a pipe's read) gives the baton up and stays interruptible: it runs in an
// interp.Scheduler.External wait, and a Watch turns the wait's cancel
// channel (Ctrl-C, the thread being stopped, a server's shutdown) into a
// kick that makes the operation return at once. Wait is poll(2) run that
// way, for select, poll, epoll and the servers.
package netpoll
