package pyselect

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the select module, beside its code.

var Docs = pydoc.Table{
	"select": {
		Summary: "Wait for several sockets at once: select(), poll() and epoll(), for event-loop servers.",
		More:    "The wait gives the GIL up, and Ctrl-C interrupts it. In sim mode (--sim) it raises RuntimeError.",
	},
	"select.select": {
		Sig:     "(rlist, wlist, xlist, timeout=None)",
		Summary: "Wait until some of the objects (sockets, files, fds) are ready to read, to write, or have an exceptional condition; returns the three lists of those ready.",
		More:    "timeout in seconds; None waits until one is ready, 0 only looks. A listening socket is readable when a connection waits for accept().",
	},
	"select.error": {Summary: "An alias of OSError."},
	"select.poll": {
		Sig:     "()",
		Summary: "A poll object: register(fd, events), then poll(timeout_ms) returns [(fd, events)] for those ready.",
		Type:    "select.poll",
	},
	"select.poll.register":   {Sig: "(fd, eventmask=POLLIN|POLLPRI|POLLOUT)", Summary: "Watch fd (or an object with fileno()) for the events in eventmask."},
	"select.poll.modify":     {Sig: "(fd, eventmask)", Summary: "Change the events watched for a registered fd."},
	"select.poll.unregister": {Sig: "(fd)", Summary: "Stop watching fd; KeyError if it is not registered."},
	"select.poll.poll":       {Sig: "(timeout=None)", Summary: "Wait at most timeout milliseconds (None: until one is ready); returns [(fd, events)]."},
	"select.epoll": {
		Sig:     "(sizehint=-1, flags=0)",
		Summary: "An epoll object (Linux): register(fd, events), then poll(timeout) returns [(fd, events)]; EPOLLET for edge-triggered.",
		Type:    "select.epoll",
	},
	"select.epoll.register":   {Sig: "(fd, eventmask=EPOLLIN|EPOLLPRI|EPOLLOUT)", Summary: "Watch fd for the events in eventmask."},
	"select.epoll.modify":     {Sig: "(fd, eventmask)", Summary: "Change the events watched for fd."},
	"select.epoll.unregister": {Sig: "(fd)", Summary: "Stop watching fd."},
	"select.epoll.poll":       {Sig: "(timeout=None, maxevents=-1)", Summary: "Wait at most timeout seconds (None or negative: until one is ready); returns [(fd, events)]."},
	"select.epoll.close":      {Sig: "()", Summary: "Close the epoll object."},
	"select.epoll.fileno":     {Sig: "()", Summary: "The epoll object's file descriptor."},
	"select.epoll.closed":     {Summary: "Whether the epoll object is closed."},

	"select.POLLIN":         {Summary: "Event: data to read (or a connection to accept)."},
	"select.POLLPRI":        {Summary: "Event: urgent data to read."},
	"select.POLLOUT":        {Summary: "Event: writing will not block."},
	"select.POLLERR":        {Summary: "Event: an error."},
	"select.POLLHUP":        {Summary: "Event: the other end hung up."},
	"select.POLLNVAL":       {Summary: "Event: the descriptor is not open."},
	"select.POLLRDNORM":     {Summary: "Event: normal data to read."},
	"select.POLLRDBAND":     {Summary: "Event: priority data to read."},
	"select.POLLWRNORM":     {Summary: "Event: writing will not block."},
	"select.POLLWRBAND":     {Summary: "Event: priority data may be written."},
	"select.POLLRDHUP":      {Summary: "Event: the other end shut down its writing half."},
	"select.EPOLLIN":        {Summary: "epoll event: data to read."},
	"select.EPOLLOUT":       {Summary: "epoll event: writing will not block."},
	"select.EPOLLPRI":       {Summary: "epoll event: urgent data."},
	"select.EPOLLERR":       {Summary: "epoll event: an error."},
	"select.EPOLLHUP":       {Summary: "epoll event: hang up."},
	"select.EPOLLET":        {Summary: "epoll flag: edge-triggered (report a change once)."},
	"select.EPOLLONESHOT":   {Summary: "epoll flag: report once, then disable the fd until modify()."},
	"select.EPOLLRDHUP":     {Summary: "epoll event: the other end shut down its writing half."},
	"select.EPOLLEXCLUSIVE": {Summary: "epoll flag: wake only one of the epoll objects watching the fd."},
	"select.EPOLLRDNORM":    {Summary: "epoll event: normal data to read."},
	"select.EPOLLWRNORM":    {Summary: "epoll event: writing will not block."},
}
