package socketserver

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/builtins/socket"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"
)

// A server object: binding, serve_forever, handle_request, shutdown, and
// the request cycle of Lib/socketserver.py (get_request, verify,
// process_request, finish_request, shutdown_request).

var _ starlark.HasSetField = (*Server)(nil)

// FD returns the listening socket's descriptor, for select.
func (s *Server) FD() int { return s.sock.FD() }

// Server is a server made by one of the server classes.
type Server struct {
	m            *socketserverModule
	class        *serverClass
	attrs        starlark.StringDict // instance attributes: overrides and the script's own
	sock         *socket.Socket
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

func (s *Server) String() string { return "<socketserver." + s.class.name + " object>" }

func (s *Server) Type() string { return s.class.name }

func (s *Server) Freeze() {}

func (s *Server) Truth() starlark.Bool { return true }

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
	return pyobj.BindCached(&s.bound, serverMethods, name, s), nil
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
		if err := unix.SetsockoptInt(s.sock.FD(), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
			return socket.Err(err)
		}
	}
	if s.truth("allow_reuse_port") {
		if err := unix.SetsockoptInt(s.sock.FD(), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
			return socket.Err(err)
		}
	}
	sa, err := s.m.sock.Sockaddr(th, "bind", s.sock.Family(), s.address)
	if err != nil {
		return err
	}
	if err := s.sock.CheckOpen(); err != nil {
		return err
	}
	if err := unix.Bind(s.sock.FD(), sa); err != nil {
		return socket.Err(err)
	}
	if sa, err := unix.Getsockname(s.sock.FD()); err == nil {
		s.address = socket.SockaddrValue(sa)
	}
	return nil
}

// activate is server_activate: listen(request_queue_size) for TCP.
func (s *Server) activate() error {
	if s.udp {
		return nil
	}
	n, err := pyarg.CInt(s.attr("request_queue_size"))
	if err != nil {
		return err
	}
	if err := s.sock.CheckOpen(); err != nil {
		return err
	}
	if err := unix.Listen(s.sock.FD(), max(n, 0)); err != nil {
		return socket.Err(err)
	}
	return nil
}

// waitReadable waits until the server's socket has a request (true), the
// timeout passes or stop is closed (false), or the wait is cancelled. It
// consumes nothing.
func (s *Server) waitReadable(th *starlark.Thread, reason string, stop <-chan struct{}, timeout time.Duration) (bool, error) {
	sock := s.sock
	if sock.FD() < 0 {
		return false, oserr.Raise(unix.EBADF)
	}
	readable := func(fd int) bool {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(pfd, 0)
		return err == nil && n > 0
	}
	if readable(sock.FD()) {
		return true, nil
	}
	if timeout == 0 {
		return false, nil
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return false, err
	}
	ready := false
	err = s.m.it.Sched().External(t, reason, func(cancel <-chan struct{}) error {
		switch err := sock.PollerWait(cancel, stop, false, deadline, readable); err {
		case nil:
			ready = true
			return nil
		case socket.ErrStopped, socket.ErrTimeout:
			return nil
		default:
			return err
		}
	})
	return ready, socket.Err(err)
}

// getRequest is get_request: accept() for TCP, recvfrom() for UDP, whose
// request is (data, socket).
func (s *Server) getRequest(th *starlark.Thread) (starlark.Value, starlark.Value, error) {
	if !s.udp {
		conn, addr, err := s.sock.Accept(th)
		if err != nil {
			return nil, nil, err
		}
		return conn, addr, nil
	}
	size, err := pyarg.CInt(s.attr("max_packet_size"))
	if err != nil {
		return nil, nil, err
	}
	data, from, err := s.sock.Recv(th, "socket.recvfrom", max(size, 0), 0, true)
	if err != nil {
		return nil, nil, socket.Err(err)
	}
	return starlark.Tuple{data, s.sock}, socket.SockaddrValue(from), nil
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
	cur, err := pyarg.CurrentThread(th)
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
	if conn, ok := request.(*socket.Socket); ok {
		if conn.FD() >= 0 {
			unix.Shutdown(conn.FD(), unix.SHUT_WR)
		}
		conn.Close()
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
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	_, err = s.m.it.Sched().WaitUntil(t, &s.shutdownQueue, -1,
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
	s.sock.Close()
	if !s.class.threading || !s.truth("block_on_close") {
		return starlark.None, nil
	}
	t, err := pyarg.CurrentThread(th)
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
	timeout := s.sock.Timeout()
	st, err := pyarg.Seconds(s.attr("timeout"), "timeout must be a number or None", "")
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
	return starlark.MakeInt(b.Receiver().(*Server).sock.FD()), nil
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
