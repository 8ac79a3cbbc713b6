package builtins

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/interp"
)

// The socketserver module, after CPython 3.11's Lib/socketserver.py:
// TCPServer, UDPServer, their Threading and Unix variants, and the request
// handlers. Starlark has no classes, so a handler is
// socketserver.BaseRequestHandler(handle=fn, setup=fn, finish=fn) (or
// StreamRequestHandler, DatagramRequestHandler), or a plain function
// handle(self); self.request, self.client_address and self.server are
// Python's. A server's class attributes (allow_reuse_address,
// daemon_threads, ...) can be set on the class, as in Python
// (socketserver.TCPServer.allow_reuse_address = True), on the server, or
// as keyword arguments of the constructor.

type socketserverModule struct {
	it   *interp.Interp
	sock *socketModule
}

func newSocketserverModule(it *interp.Interp, sock *socketModule) *starlarkstruct.Module {
	m := &socketserverModule{it: it, sock: sock}
	base := &serverClass{m: m, name: "BaseServer", own: starlark.StringDict{"timeout": starlark.None}}
	tcp := &serverClass{m: m, name: "TCPServer", own: starlark.StringDict{
		"address_family": starlark.MakeInt(unix.AF_INET), "socket_type": starlark.MakeInt(unix.SOCK_STREAM),
		"request_queue_size": starlark.MakeInt(5), "allow_reuse_address": starlark.False, "allow_reuse_port": starlark.False,
	}}
	udp := &serverClass{m: m, name: "UDPServer", own: starlark.StringDict{
		"allow_reuse_address": starlark.False, "allow_reuse_port": starlark.False,
		"socket_type": starlark.MakeInt(unix.SOCK_DGRAM), "max_packet_size": starlark.MakeInt(8192),
	}}
	mixin := &serverClass{m: m, name: "ThreadingMixIn", mixin: true, own: starlark.StringDict{
		"daemon_threads": starlark.False, "block_on_close": starlark.True,
	}}
	unixStream := &serverClass{m: m, name: "UnixStreamServer", own: starlark.StringDict{"address_family": starlark.MakeInt(unix.AF_UNIX)}}
	unixDgram := &serverClass{m: m, name: "UnixDatagramServer", own: starlark.StringDict{"address_family": starlark.MakeInt(unix.AF_UNIX)}}
	base.mro = []*serverClass{base}
	tcp.mro = []*serverClass{tcp, base}
	udp.mro = []*serverClass{udp, tcp, base}
	mixin.mro = []*serverClass{mixin}
	unixStream.mro = []*serverClass{unixStream, tcp, base}
	unixDgram.mro = []*serverClass{unixDgram, udp, tcp, base}
	threaded := func(name string, of *serverClass) *serverClass {
		c := &serverClass{m: m, name: name, own: starlark.StringDict{}, threading: true}
		c.mro = append([]*serverClass{c, mixin}, of.mro...)
		return c
	}
	members := starlark.StringDict{
		"BaseServer":                  base,
		"TCPServer":                   tcp,
		"UDPServer":                   udp,
		"UnixStreamServer":            unixStream,
		"UnixDatagramServer":          unixDgram,
		"ThreadingMixIn":              mixin,
		"ThreadingTCPServer":          threaded("ThreadingTCPServer", tcp),
		"ThreadingUDPServer":          threaded("ThreadingUDPServer", udp),
		"ThreadingUnixStreamServer":   threaded("ThreadingUnixStreamServer", unixStream),
		"ThreadingUnixDatagramServer": threaded("ThreadingUnixDatagramServer", unixDgram),
		"BaseRequestHandler":          &handlerClass{name: "BaseRequestHandler", kind: baseHandler},
		"StreamRequestHandler":        &handlerClass{name: "StreamRequestHandler", kind: streamHandler, timeout: starlark.None},
		"DatagramRequestHandler":      &handlerClass{name: "DatagramRequestHandler", kind: datagramHandler},
	}
	return &starlarkstruct.Module{Name: "socketserver", Members: members}
}

// serverClassAttrs are the class attributes a server reads.
var serverClassAttrs = []string{
	"address_family", "allow_reuse_address", "allow_reuse_port", "block_on_close", "daemon_threads",
	"max_packet_size", "request_queue_size", "socket_type", "timeout",
}

// serverClass is a server class: calling it makes a server; its
// attributes are class attributes, inherited along mro as in Python.
type serverClass struct {
	m         *socketserverModule
	name      string
	own       starlark.StringDict // attributes set on this class
	mro       []*serverClass
	threading bool
	mixin     bool // ThreadingMixIn: attributes only
}

var (
	_ starlark.Callable    = (*serverClass)(nil)
	_ starlark.HasSetField = (*serverClass)(nil)
)

func (c *serverClass) String() string        { return "<class 'socketserver." + c.name + "'>" }
func (c *serverClass) Type() string          { return "type" }
func (c *serverClass) Name() string          { return c.name }
func (c *serverClass) Freeze()               {}
func (c *serverClass) Truth() starlark.Bool  { return true }
func (c *serverClass) Hash() (uint32, error) { return interp.IdentityHash(c), nil }

func (c *serverClass) lookup(name string) starlark.Value {
	for _, k := range c.mro {
		if v, ok := k.own[name]; ok {
			return v
		}
	}
	return nil
}

func (c *serverClass) Attr(name string) (starlark.Value, error) {
	if name == "__name__" {
		return starlark.String(c.name), nil
	}
	if v := c.lookup(name); v != nil {
		return v, nil
	}
	if m, ok := serverMethods[name]; ok && !c.mixin {
		return unboundServerMethod(c, m), nil
	}
	return nil, nil
}

func (c *serverClass) AttrNames() []string {
	var names []string
	for _, n := range serverClassAttrs {
		if c.lookup(n) != nil {
			names = append(names, n)
		}
	}
	if !c.mixin {
		names = append(names, interp.SortedAttrNames(serverMethods)...)
	}
	return names
}

// unboundServerMethod is a method taken from the class, as Python's
// socketserver.TCPServer.serve_forever(server): the server comes first.
func unboundServerMethod(c *serverClass, m *starlark.Builtin) *starlark.Builtin {
	return starlark.NewBuiltin(m.Name(), func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var srv *Server
		if len(args) > 0 {
			srv, _ = args[0].(*Server)
		}
		if srv == nil {
			return nil, interp.Errorf(interp.TypeError, "%s.%s() needs a server as its first argument", c.name, m.Name())
		}
		return starlark.Call(th, m.BindReceiver(srv), args[1:], kwargs)
	})
}

func (c *serverClass) SetField(name string, v starlark.Value) error {
	c.own[name] = v
	return nil
}

// CallInternal is Server(server_address, RequestHandlerClass,
// bind_and_activate=True, **class_attributes).
func (c *serverClass) CallInternal(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(c.mro) < 2 || c.name == "ThreadingMixIn" {
		return nil, interp.Errorf(interp.TypeError, "socketserver.%s is a base class: use TCPServer, UDPServer or their Threading variants", c.name)
	}
	var address, handler starlark.Value
	bindAndActivate := true
	srv := &Server{m: c.m, class: c, attrs: starlark.StringDict{}, shutdownCh: make(chan struct{})}
	var rest []starlark.Tuple
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		if c.lookup(k) != nil {
			srv.attrs[k] = kv[1]
			continue
		}
		rest = append(rest, kv)
	}
	if err := starlark.UnpackArgs(c.name, args, rest, "server_address", &address, "RequestHandlerClass", &handler,
		"bind_and_activate?", &bindAndActivate); err != nil {
		return nil, err
	}
	h, err := handlerOf(c.name, handler)
	if err != nil {
		return nil, err
	}
	srv.handler, srv.handlerValue = h, handler
	family, err := netInt(srv.attr("address_family"))
	if err != nil {
		return nil, err
	}
	socktype, err := netInt(srv.attr("socket_type"))
	if err != nil {
		return nil, err
	}
	srv.udp = socktype == unix.SOCK_DGRAM
	if c.m.it.Sched().Sim() {
		return nil, errSimSockets()
	}
	srv.sock, err = c.m.sock.openSocket(family, socktype, 0)
	if err != nil {
		return nil, err
	}
	srv.address = address
	if bindAndActivate {
		err := srv.bind(th)
		if err == nil {
			err = srv.activate()
		}
		if err != nil {
			srv.sock.close() // server_close(), as CPython's constructor does
			return nil, err
		}
	}
	return srv, nil
}

// Server is a server made by one of the server classes.
type Server struct {
	m            *socketserverModule
	class        *serverClass
	attrs        starlark.StringDict // instance attributes: overrides and the script's own
	sock         *Socket
	address      starlark.Value
	handler      *handlerClass
	handlerValue starlark.Value
	udp          bool

	shutdownReq   bool          // shutdown() was called; serve_forever ends
	shutdownCh    chan struct{} // closed by shutdown(): wakes serve_forever's wait
	shutdownShut  bool          // shutdownCh is closed
	isShutDown    bool          // serve_forever is not running (after it ran once)
	shutdownQueue interp.WaitQueue
	threads       []*interp.Thread // non-daemon handler threads, for server_close
	bound         map[string]*starlark.Builtin
}

var _ starlark.HasSetField = (*Server)(nil)

func (s *Server) String() string        { return "<socketserver." + s.class.name + " object>" }
func (s *Server) Type() string          { return s.class.name }
func (s *Server) Freeze()               {}
func (s *Server) Truth() starlark.Bool  { return true }
func (s *Server) Hash() (uint32, error) { return interp.IdentityHash(s), nil }

var serverMethods = map[string]*starlark.Builtin{
	"fileno":          starlark.NewBuiltin("fileno", serverFileno),
	"handle_request":  starlark.NewBuiltin("handle_request", serverHandleRequest),
	"serve_forever":   starlark.NewBuiltin("serve_forever", serverServeForever),
	"server_activate": starlark.NewBuiltin("server_activate", serverActivate),
	"server_bind":     starlark.NewBuiltin("server_bind", serverBind),
	"server_close":    starlark.NewBuiltin("server_close", serverClose),
	"service_actions": starlark.NewBuiltin("service_actions", serverServiceActions),
	"shutdown":        starlark.NewBuiltin("shutdown", serverShutdown),
}

// attr is an attribute of the server: its own, else its class's.
func (s *Server) attr(name string) starlark.Value {
	if v, ok := s.attrs[name]; ok {
		return v
	}
	return s.class.lookup(name)
}

func (s *Server) Attr(name string) (starlark.Value, error) {
	if v, ok := s.attrs[name]; ok {
		return v, nil
	}
	switch name {
	case "server_address":
		return s.address, nil
	case "socket":
		return s.sock, nil
	case "RequestHandlerClass":
		return s.handlerValue, nil
	}
	if v := s.class.lookup(name); v != nil {
		return v, nil
	}
	return bindCached(&s.bound, serverMethods, name, s), nil
}

func (s *Server) AttrNames() []string {
	names := append(interp.SortedAttrNames(serverMethods), "RequestHandlerClass", "server_address", "socket")
	for _, n := range serverClassAttrs {
		if _, own := s.attrs[n]; !own && s.class.lookup(n) != nil {
			names = append(names, n)
		}
	}
	for _, k := range interp.SortedAttrNames(s.attrs) {
		names = append(names, k)
	}
	return names
}

// SetField sets an attribute, as Python allows on any server
// (server.daemon_threads = True, server.clients = []).
func (s *Server) SetField(name string, v starlark.Value) error {
	switch name {
	case "server_address":
		s.address = v
		return nil
	case "socket", "RequestHandlerClass":
		return interp.Errorf(interp.AttributeError, "starlab: %s of a server cannot be replaced", name)
	}
	s.attrs[name] = v
	return nil
}

func (s *Server) truth(name string) bool {
	v := s.attr(name)
	return v != nil && bool(v.Truth())
}

// bind is server_bind: the reuse options, bind, and server_address set to
// the bound address (the real port when 0 was asked for).
func (s *Server) bind(th *starlark.Thread) error {
	if s.truth("allow_reuse_address") {
		if err := unix.SetsockoptInt(s.sock.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
			return sockErr(err)
		}
	}
	if s.truth("allow_reuse_port") {
		if err := unix.SetsockoptInt(s.sock.fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
			return sockErr(err)
		}
	}
	sa, err := s.m.sock.sockaddr(th, "bind", s.sock.family, s.address)
	if err != nil {
		return err
	}
	if err := s.sock.closedCheck(); err != nil {
		return err
	}
	if err := unix.Bind(s.sock.fd, sa); err != nil {
		return sockErr(err)
	}
	if sa, err := unix.Getsockname(s.sock.fd); err == nil {
		s.address = sockaddrValue(sa)
	}
	return nil
}

// activate is server_activate: listen(request_queue_size) for TCP.
func (s *Server) activate() error {
	if s.udp {
		return nil
	}
	n, err := netInt(s.attr("request_queue_size"))
	if err != nil {
		return err
	}
	if err := s.sock.closedCheck(); err != nil {
		return err
	}
	if err := unix.Listen(s.sock.fd, max(n, 0)); err != nil {
		return sockErr(err)
	}
	return nil
}

// waitReadable waits until the server's socket has a request (true), the
// timeout passes or stop is closed (false), or the wait is cancelled. It
// consumes nothing.
func (s *Server) waitReadable(th *starlark.Thread, reason string, stop <-chan struct{}, timeout time.Duration) (bool, error) {
	sock := s.sock
	if sock.fd < 0 {
		return false, oserrRaise(unix.EBADF)
	}
	readable := func(fd int) bool {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(pfd, 0)
		return err == nil && n > 0
	}
	if readable(sock.fd) {
		return true, nil
	}
	if timeout == 0 {
		return false, nil
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	t, err := netThread(th)
	if err != nil {
		return false, err
	}
	ready := false
	err = s.m.it.Sched().External(t, reason, func(cancel <-chan struct{}) error {
		switch err := sock.pollerWait(cancel, stop, false, deadline, readable); err {
		case nil:
			ready = true
			return nil
		case errSockStopped, errSockTimeout:
			return nil
		default:
			return err
		}
	})
	return ready, sockErr(err)
}

// getRequest is get_request: accept() for TCP, recvfrom() for UDP, whose
// request is (data, socket).
func (s *Server) getRequest(th *starlark.Thread) (starlark.Value, starlark.Value, error) {
	if !s.udp {
		conn, addr, err := s.sock.accept(th)
		if err != nil {
			return nil, nil, err
		}
		return conn, addr, nil
	}
	size, err := netInt(s.attr("max_packet_size"))
	if err != nil {
		return nil, nil, err
	}
	data, from, err := s.sock.recv(th, "socket.recvfrom", max(size, 0), 0, true)
	if err != nil {
		return nil, nil, sockErr(err)
	}
	return starlark.Tuple{data, s.sock}, sockaddrValue(from), nil
}

// isException reports whether err is a Python Exception (not a
// BaseException such as KeyboardInterrupt, nor the thread being stopped),
// which a server reports and survives.
func isException(err error) (*interp.Exception, bool) {
	exc := interp.ExceptionFromError(err)
	return exc, exc != nil && exc.Class().IsSubclassOf(interp.Exception_)
}

// handleRequestNoblock is _handle_request_noblock: one request, whose
// handler's exceptions are printed by handle_error.
func (s *Server) handleRequestNoblock(th *starlark.Thread) error {
	request, addr, err := s.getRequest(th)
	if err != nil {
		if exc, ok := isException(err); ok && exc.Class().IsSubclassOf(interp.OSError) {
			return nil // as CPython: a failed accept is dropped
		}
		return err
	}
	if err := s.processRequest(th, request, addr); err != nil {
		if exc, ok := isException(err); ok {
			s.handleError(addr, exc)
			s.shutdownRequest(request)
			return nil
		}
		s.shutdownRequest(request)
		return err
	}
	return nil
}

// processRequest runs the handler: at once, or in a new thread for the
// Threading servers (ThreadingMixIn.process_request).
func (s *Server) processRequest(th *starlark.Thread, request, addr starlark.Value) error {
	if !s.class.threading {
		if err := s.finishRequest(th, request, addr); err != nil {
			return err
		}
		s.shutdownRequest(request)
		return nil
	}
	cur, err := netThread(th)
	if err != nil {
		return err
	}
	it := s.m.it
	name := fmt.Sprintf("Thread-%d (process_request_thread)", it.Sched().NextThreadNumber())
	daemon := s.truth("daemon_threads")
	t := it.Go(cur, name, daemon, func(self *interp.Thread) error {
		err := s.finishRequest(self.S, request, addr)
		if exc, ok := isException(err); ok {
			s.handleError(addr, exc)
			err = nil
		}
		s.shutdownRequest(request)
		return err
	})
	if !daemon && s.truth("block_on_close") {
		live := s.threads[:0]
		for _, x := range s.threads {
			if x.Alive() {
				live = append(live, x)
			}
		}
		s.threads = append(live, t)
	}
	return nil
}

// handleError is BaseServer.handle_error: the traceback between two rules,
// on stderr, in one write; the server goes on.
func (s *Server) handleError(addr starlark.Value, exc *interp.Exception) {
	var b strings.Builder
	rule := strings.Repeat("-", 40) + "\n"
	b.WriteString(rule)
	b.WriteString("Exception occurred during processing of request from " + interp.PyStr(addr) + "\n")
	s.m.it.PrintException(&b, exc)
	b.WriteString(rule)
	io.WriteString(s.m.it.Stderr(), b.String())
}

// shutdownRequest is shutdown_request: a TCP connection is shut down for
// writing and closed; a UDP request needs nothing.
func (s *Server) shutdownRequest(request starlark.Value) {
	if conn, ok := request.(*Socket); ok {
		if conn.fd >= 0 {
			unix.Shutdown(conn.fd, unix.SHUT_WR)
		}
		conn.close()
	}
}

// finishRequest makes the handler and runs setup, handle and finish, as
// BaseRequestHandler.__init__ does.
func (s *Server) finishRequest(th *starlark.Thread, request, addr starlark.Value) error {
	h := &requestHandler{class: s.handler, request: request, clientAddress: addr, server: s, extra: starlark.StringDict{}}
	if err := h.setup(th); err != nil {
		return err
	}
	var err error
	if s.handler.handle != nil {
		_, err = starlark.Call(th, s.handler.handle, starlark.Tuple{h}, nil)
	}
	if ferr := h.finish(th); err == nil {
		err = ferr
	}
	return err
}

func serverServeForever(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pollInterval starlark.Value = starlark.Float(0.5)
	if err := starlark.UnpackArgs("serve_forever", args, kwargs, "poll_interval?", &pollInterval); err != nil {
		return nil, err
	}
	if _, ok := starlark.AsFloat(pollInterval); !ok && pollInterval != starlark.None {
		return nil, interp.Errorf(interp.TypeError, "serve_forever: poll_interval must be a number, not %s", interp.PyTypeName(pollInterval))
	}
	s := b.Receiver().(*Server)
	// The wait wakes at once on a request or a shutdown(): poll_interval
	// (how often CPython looks at the shutdown flag) has nothing to do.
	s.isShutDown = false
	defer func() {
		s.shutdownReq = false
		if s.shutdownShut {
			s.shutdownCh, s.shutdownShut = make(chan struct{}), false
		}
		s.isShutDown = true
		s.m.it.Sched().WakeAll(&s.shutdownQueue)
	}()
	for !s.shutdownReq {
		ready, err := s.waitReadable(th, "serve_forever", s.shutdownCh, -1)
		if err != nil {
			return nil, err
		}
		if s.shutdownReq {
			break
		}
		if ready {
			if err := s.handleRequestNoblock(th); err != nil {
				return nil, err
			}
		}
	}
	return starlark.None, nil
}

// serverShutdown is shutdown(): it asks serve_forever (in another thread)
// to stop, and waits until it has. Called before serve_forever ever ran, it
// waits for one to run, as in Python.
func serverShutdown(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("shutdown", args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Server)
	s.shutdownReq = true
	if !s.shutdownShut {
		close(s.shutdownCh)
		s.shutdownShut = true
	}
	t, err := netThread(th)
	if err != nil {
		return nil, err
	}
	_, err = waitUntil(s.m.it.Sched(), t, &s.shutdownQueue, -1,
		func() string { return "BaseServer.shutdown (serve_forever still running)" },
		func() bool { return s.isShutDown })
	return starlark.None, err
}

// serverClose is server_close(): the socket is closed, and a Threading
// server with block_on_close waits for its handler threads.
func serverClose(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("server_close", args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Server)
	s.sock.close()
	if !s.class.threading || !s.truth("block_on_close") {
		return starlark.None, nil
	}
	t, err := netThread(th)
	if err != nil {
		return nil, err
	}
	threads := s.threads
	s.threads = nil
	for _, x := range threads {
		if x == t {
			continue
		}
		if err := s.m.it.Sched().Join(t, x, -1); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

// serverHandleRequest is handle_request(): one request, or none if the
// timeout (the socket's, else the server's timeout attribute) passes.
func serverHandleRequest(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("handle_request", args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Server)
	timeout := s.sock.timeout
	st, err := netSeconds(s.attr("timeout"), "timeout must be a number or None", "")
	if err != nil {
		return nil, err
	}
	if timeout < 0 || (st >= 0 && st < timeout) {
		timeout = st
	}
	ready, err := s.waitReadable(th, "handle_request", nil, timeout)
	if err != nil || !ready {
		return starlark.None, err // not ready: handle_timeout, which does nothing
	}
	return starlark.None, s.handleRequestNoblock(th)
}

func serverFileno(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("fileno", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(b.Receiver().(*Server).sock.fd), nil
}

func serverBind(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("server_bind", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Server).bind(th)
}

func serverActivate(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("server_activate", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, b.Receiver().(*Server).activate()
}

func serverServiceActions(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("service_actions", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.None, nil
}

// Request handlers.

type handlerKind int

const (
	baseHandler handlerKind = iota
	streamHandler
	datagramHandler
)

// handlerClass is a request handler class: BaseRequestHandler,
// StreamRequestHandler, DatagramRequestHandler, or one made from them with
// methods as keyword arguments: BaseRequestHandler(handle=fn, setup=fn,
// finish=fn). StreamRequestHandler also takes timeout= and
// disable_nagle_algorithm=.
type handlerClass struct {
	name                  string
	kind                  handlerKind
	handle, setup, finish starlark.Value // nil: Python's base method
	timeout               starlark.Value // StreamRequestHandler.timeout
	noDelay               bool           // disable_nagle_algorithm
}

var _ starlark.Callable = (*handlerClass)(nil)

func (h *handlerClass) String() string        { return "<class 'socketserver." + h.name + "'>" }
func (h *handlerClass) Type() string          { return "type" }
func (h *handlerClass) Name() string          { return h.name }
func (h *handlerClass) Freeze()               {}
func (h *handlerClass) Truth() starlark.Bool  { return true }
func (h *handlerClass) Hash() (uint32, error) { return interp.IdentityHash(h), nil }

func (h *handlerClass) Attr(name string) (starlark.Value, error) {
	switch name {
	case "__name__":
		return starlark.String(h.name), nil
	case "handle", "setup", "finish":
		if v := map[string]starlark.Value{"handle": h.handle, "setup": h.setup, "finish": h.finish}[name]; v != nil {
			return v, nil
		}
		return starlark.None, nil
	case "timeout":
		if h.kind == streamHandler {
			return h.timeout, nil
		}
	case "disable_nagle_algorithm":
		if h.kind == streamHandler {
			return starlark.Bool(h.noDelay), nil
		}
	}
	return nil, nil
}

func (h *handlerClass) AttrNames() []string {
	names := []string{"finish", "handle", "setup"}
	if h.kind == streamHandler {
		names = append(names, "disable_nagle_algorithm", "timeout")
	}
	return names
}

// CallInternal makes a handler class with the given methods.
func (h *handlerClass) CallInternal(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) > 0 {
		return nil, interp.Errorf(interp.TypeError,
			"%s(...) takes the methods as keywords: %s(handle=fn, setup=fn, finish=fn); the server makes the handler for each request", h.name, h.name)
	}
	n := *h
	var handle, setup, finish starlark.Value
	pairs := []any{"handle?", &handle, "setup?", &setup, "finish?", &finish}
	var timeout, noDelay, rbufsize, wbufsize starlark.Value
	if h.kind == streamHandler {
		pairs = append(pairs, "timeout?", &timeout, "disable_nagle_algorithm?", &noDelay, "rbufsize?", &rbufsize, "wbufsize?", &wbufsize)
	}
	if err := starlark.UnpackArgs(h.name, args, kwargs, pairs...); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		v    starlark.Value
		dst  *starlark.Value
	}{{"handle", handle, &n.handle}, {"setup", setup, &n.setup}, {"finish", finish, &n.finish}} {
		if f.v == nil || f.v == starlark.None {
			continue
		}
		if _, ok := f.v.(starlark.Callable); !ok {
			return nil, interp.Errorf(interp.TypeError, "%s: %s must be a function taking self, not %s", h.name, f.name, interp.PyRepr(f.v))
		}
		*f.dst = f.v
	}
	if timeout != nil {
		if _, err := sockTimeoutArg(timeout); err != nil {
			return nil, err
		}
		n.timeout = timeout
	}
	if noDelay != nil {
		n.noDelay = bool(noDelay.Truth())
	}
	return &n, nil
}

// handlerOf reads a server's RequestHandlerClass: a handler class, or a
// function that is the handle method of a BaseRequestHandler.
func handlerOf(fn string, v starlark.Value) (*handlerClass, error) {
	switch v := v.(type) {
	case *handlerClass:
		return v, nil
	case starlark.Callable:
		return &handlerClass{name: "BaseRequestHandler", kind: baseHandler, handle: v}, nil
	}
	return nil, interp.Errorf(interp.TypeError,
		"%s: RequestHandlerClass must be a handler such as socketserver.BaseRequestHandler(handle=fn), or a function handle(self); got %s", fn, interp.PyRepr(v))
}

// requestHandler is the handler of one request: self in handle(self).
type requestHandler struct {
	class         *handlerClass
	request       starlark.Value
	clientAddress starlark.Value
	server        *Server
	rfile, wfile  starlark.Value
	extra         starlark.StringDict // attributes the script sets (self.data = ...)
}

var _ starlark.HasSetField = (*requestHandler)(nil)

func (h *requestHandler) String() string        { return "<" + h.class.name + " object>" }
func (h *requestHandler) Type() string          { return h.class.name }
func (h *requestHandler) Freeze()               {}
func (h *requestHandler) Truth() starlark.Bool  { return true }
func (h *requestHandler) Hash() (uint32, error) { return interp.IdentityHash(h), nil }

func (h *requestHandler) Attr(name string) (starlark.Value, error) {
	if v, ok := h.extra[name]; ok {
		return v, nil
	}
	switch name {
	case "request":
		return h.request, nil
	case "client_address":
		return h.clientAddress, nil
	case "server":
		return h.server, nil
	}
	switch h.class.kind {
	case streamHandler:
		switch name {
		case "connection":
			return h.request, nil
		case "rfile":
			return h.rfile, nil
		case "wfile":
			return h.wfile, nil
		case "timeout":
			return h.class.timeout, nil
		}
	case datagramHandler:
		req, _ := h.request.(starlark.Tuple)
		switch name {
		case "packet":
			return req[0], nil
		case "socket":
			return req[1], nil
		case "rfile":
			return h.rfile, nil
		case "wfile":
			return h.wfile, nil
		}
	}
	return nil, nil
}

func (h *requestHandler) AttrNames() []string {
	names := []string{"client_address", "request", "server"}
	switch h.class.kind {
	case streamHandler:
		names = append(names, "connection", "rfile", "timeout", "wfile")
	case datagramHandler:
		names = append(names, "packet", "rfile", "socket", "wfile")
	}
	for _, k := range interp.SortedAttrNames(h.extra) {
		if !slices.Contains(names, k) {
			names = append(names, k)
		}
	}
	return names
}

func (h *requestHandler) SetField(name string, v starlark.Value) error {
	h.extra[name] = v
	return nil
}

// setup is the base class's setup (the stream or datagram files), then
// the script's setup.
func (h *requestHandler) setup(th *starlark.Thread) error {
	switch h.class.kind {
	case streamHandler:
		conn, ok := h.request.(*Socket)
		if !ok {
			return interp.Errorf(interp.TypeError, "StreamRequestHandler needs a stream server (TCPServer), not a datagram one")
		}
		if h.class.timeout != nil && h.class.timeout != starlark.None {
			d, err := sockTimeoutArg(h.class.timeout)
			if err != nil {
				return err
			}
			conn.timeout = d
		}
		if h.class.noDelay && conn.fd >= 0 {
			unix.SetsockoptInt(conn.fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		}
		h.rfile = newSockFile(conn, "rb", "utf-8", "UTF-8")
		w := newSockFile(conn, "wb", "utf-8", "UTF-8")
		w.typeName = "_SocketWriter"
		h.wfile = w
	case datagramHandler:
		req, ok := h.request.(starlark.Tuple)
		if !ok || len(req) != 2 {
			return interp.Errorf(interp.TypeError, "DatagramRequestHandler needs a datagram server (UDPServer), not a stream one")
		}
		data, _ := req[0].(starlark.Bytes)
		h.rfile = newMemReader(string(data))
		h.wfile = newMemWriter()
	}
	if h.class.setup != nil {
		if _, err := starlark.Call(th, h.class.setup, starlark.Tuple{h}, nil); err != nil {
			return err
		}
	}
	return nil
}

// finish is the script's finish, then the base class's: a stream
// handler's files are closed; a datagram handler sends what was written
// to wfile back to the client.
func (h *requestHandler) finish(th *starlark.Thread) error {
	var err error
	if h.class.finish != nil {
		_, err = starlark.Call(th, h.class.finish, starlark.Tuple{h}, nil)
	}
	switch h.class.kind {
	case streamHandler:
		for _, f := range []starlark.Value{h.wfile, h.rfile} {
			if f, ok := f.(*ioFile); ok {
				f.closeFile()
			}
		}
	case datagramHandler:
		req := h.request.(starlark.Tuple)
		sock, _ := req[1].(*Socket)
		w, _ := h.wfile.(*iterFile)
		if sock != nil && w != nil && err == nil {
			sa, serr := sock.m.sockaddr(th, "sendto", sock.family, h.clientAddress)
			if serr == nil {
				p := w.mem
				serr = sockErr(sock.wait(th, "socket.sendto", true, sock.deadline(), func(fd int) error {
					return unix.Sendto(fd, p, unix.MSG_NOSIGNAL, sa)
				}))
			}
			err = serr
		}
	}
	return err
}
