package socketserver

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the socketserver module, beside its code.

var Docs = pydoc.Table{
	"socketserver": {
		Summary: "Servers that call a handler for each request: TCPServer, UDPServer and their Threading variants (a thread per request).",
		More: "A handler is socketserver.BaseRequestHandler(handle=fn, setup=fn, finish=fn), or just a function handle(self); " +
			"in it, self.request is the connection (for UDP, (data, socket)), self.client_address the client's address, " +
			"self.server the server; a StreamRequestHandler adds self.rfile (readline(), read(n)) and self.wfile (write(b)). " +
			"An exception in a handler is printed (handle_error) and the server goes on.",
		Python: "class MyHandler(socketserver.BaseRequestHandler): def handle(self): ... becomes def handle(self): ... " +
			"passed as socketserver.ThreadingTCPServer(address, handle)",
	},

	"socketserver.BaseServer": {
		Summary: "The base of every server: serve_forever, shutdown, handle_request, server_close.",
	},
	"socketserver.BaseServer.timeout":         {Summary: "How long handle_request() waits for a request, in seconds (None: forever)."},
	"socketserver.BaseServer.serve_forever":   {Sig: "(poll_interval=0.5)", Summary: "Handle requests until shutdown() is called from another thread (or Ctrl-C)."},
	"socketserver.BaseServer.shutdown":        {Sig: "()", Summary: "Stop serve_forever, running in another thread, and wait until it has returned."},
	"socketserver.BaseServer.server_close":    {Sig: "()", Summary: "Close the server's socket; a Threading server with block_on_close also waits for its handler threads."},
	"socketserver.BaseServer.handle_request":  {Sig: "()", Summary: "Wait for one request (at most timeout seconds) and handle it."},
	"socketserver.BaseServer.fileno":          {Sig: "()", Summary: "The file descriptor of the server's socket, for select()."},
	"socketserver.BaseServer.server_bind":     {Sig: "()", Summary: "Bind the socket to server_address (the constructor does unless bind_and_activate=False)."},
	"socketserver.BaseServer.server_activate": {Sig: "()", Summary: "Start listening (the constructor does unless bind_and_activate=False)."},
	"socketserver.BaseServer.service_actions": {Sig: "()", Summary: "Called by serve_forever between requests; does nothing."},

	"socketserver.TCPServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A TCP server: each connection is a request, handled in turn by the serving thread.",
		Python: "socketserver.TCPServer(address, Handler); class attributes (allow_reuse_address, ...) can also be set as keywords, " +
			"on the server, or on the class: socketserver.TCPServer.allow_reuse_address = True",
		Base: "socketserver.BaseServer",
	},
	"socketserver.TCPServer.address_family":      {Summary: "The server socket's family, AF_INET."},
	"socketserver.TCPServer.socket_type":         {Summary: "The server socket's type, SOCK_STREAM."},
	"socketserver.TCPServer.request_queue_size":  {Summary: "The listen() backlog, 5: connections beyond it are delayed by the OS."},
	"socketserver.TCPServer.allow_reuse_address": {Summary: "Set SO_REUSEADDR before binding, so that a restarted server can bind its port at once (False)."},
	"socketserver.TCPServer.allow_reuse_port":    {Summary: "Set SO_REUSEPORT before binding (False)."},

	"socketserver.UDPServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A UDP server: each datagram is a request, whose self.request is (data, socket).",
		Base:    "socketserver.TCPServer",
	},
	"socketserver.UDPServer.max_packet_size": {Summary: "The largest datagram received, 8192 bytes."},

	"socketserver.UnixStreamServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A TCPServer on a Unix socket: server_address is a path.",
		Base:    "socketserver.TCPServer",
	},
	"socketserver.UnixDatagramServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A UDPServer on a Unix socket: server_address is a path.",
		Base:    "socketserver.UDPServer",
	},

	"socketserver.ThreadingMixIn": {
		Summary: "What makes a server threading: each request is handled in a new thread (Thread-N (process_request_thread)).",
	},
	"socketserver.ThreadingMixIn.daemon_threads": {Summary: "Whether handler threads are daemon threads, which do not keep the program alive (False)."},
	"socketserver.ThreadingMixIn.block_on_close": {Summary: "Whether server_close() waits for the handler threads (True)."},

	"socketserver.ThreadingTCPServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A TCPServer that handles each connection in a new thread: many clients at once.",
		Base:    "socketserver.TCPServer",
	},
	"socketserver.ThreadingTCPServer.daemon_threads": {Alias: "socketserver.ThreadingMixIn.daemon_threads"},
	"socketserver.ThreadingTCPServer.block_on_close": {Alias: "socketserver.ThreadingMixIn.block_on_close"},
	"socketserver.ThreadingUDPServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A UDPServer that handles each datagram in a new thread.",
		Base:    "socketserver.UDPServer",
	},
	"socketserver.ThreadingUDPServer.daemon_threads": {Alias: "socketserver.ThreadingMixIn.daemon_threads"},
	"socketserver.ThreadingUDPServer.block_on_close": {Alias: "socketserver.ThreadingMixIn.block_on_close"},
	"socketserver.ThreadingUnixStreamServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A UnixStreamServer that handles each connection in a new thread.",
		Base:    "socketserver.UnixStreamServer",
	},
	"socketserver.ThreadingUnixStreamServer.daemon_threads": {Alias: "socketserver.ThreadingMixIn.daemon_threads"},
	"socketserver.ThreadingUnixStreamServer.block_on_close": {Alias: "socketserver.ThreadingMixIn.block_on_close"},
	"socketserver.ThreadingUnixDatagramServer": {
		Sig:     "(server_address, RequestHandlerClass, bind_and_activate=True, **class_attributes)",
		Summary: "A UnixDatagramServer that handles each datagram in a new thread.",
		Base:    "socketserver.UnixDatagramServer",
	},
	"socketserver.ThreadingUnixDatagramServer.daemon_threads": {Alias: "socketserver.ThreadingMixIn.daemon_threads"},
	"socketserver.ThreadingUnixDatagramServer.block_on_close": {Alias: "socketserver.ThreadingMixIn.block_on_close"},

	"socketserver.BaseRequestHandler": {
		Sig:     "(handle=None, setup=None, finish=None)",
		Summary: "A request handler class made of functions of self: setup(self), then handle(self), then finish(self), for each request.",
		Python:  "class H(socketserver.BaseRequestHandler): def handle(self): ... becomes socketserver.BaseRequestHandler(handle=handle)",
	},
	"socketserver.BaseRequestHandler.handle": {Summary: "The function that handles a request (self.request, self.client_address, self.server)."},
	"socketserver.BaseRequestHandler.setup":  {Summary: "The function called before handle."},
	"socketserver.BaseRequestHandler.finish": {Summary: "The function called after handle, even if it raised."},
	"socketserver.StreamRequestHandler": {
		Sig:     "(handle=None, setup=None, finish=None, timeout=None, disable_nagle_algorithm=False)",
		Summary: "A handler for connections with file objects: self.rfile (readline(), read(n)) and self.wfile (write(b)).",
		Base:    "socketserver.BaseRequestHandler",
	},
	"socketserver.StreamRequestHandler.timeout":                 {Summary: "A timeout set on each connection (None)."},
	"socketserver.StreamRequestHandler.disable_nagle_algorithm": {Summary: "Whether to set TCP_NODELAY on each connection (False)."},
	"socketserver.DatagramRequestHandler": {
		Sig:     "(handle=None, setup=None, finish=None)",
		Summary: "A handler for datagrams: self.rfile reads the datagram; what handle writes to self.wfile is sent back.",
		Base:    "socketserver.BaseRequestHandler",
	},
}
