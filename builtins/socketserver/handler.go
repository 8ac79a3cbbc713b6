package socketserver

import (
	"slices"

	"github.com/starlab-dev/starlab/builtins/internal/fileobj"
	"github.com/starlab-dev/starlab/builtins/socket"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"
)

// The request handler classes (BaseRequestHandler, StreamRequestHandler,
// DatagramRequestHandler) and the handler object a request gets.

type handlerKind int

const (
	baseHandler handlerKind = iota
	streamHandler
	datagramHandler
)

var (
	_ starlark.Callable    = (*handlerClass)(nil)
	_ starlark.HasSetField = (*requestHandler)(nil)
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

func (h *handlerClass) String() string { return "<class 'socketserver." + h.name + "'>" }

func (h *handlerClass) Type() string { return "type" }

func (h *handlerClass) Name() string { return h.name }

func (h *handlerClass) Freeze() {}

func (h *handlerClass) Truth() starlark.Bool { return true }

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
		if _, err := socket.TimeoutArg(timeout); err != nil {
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

func (h *requestHandler) String() string { return "<" + h.class.name + " object>" }

func (h *requestHandler) Type() string { return h.class.name }

func (h *requestHandler) Freeze() {}

func (h *requestHandler) Truth() starlark.Bool { return true }

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
		conn, ok := h.request.(*socket.Socket)
		if !ok {
			return interp.Errorf(interp.TypeError, "StreamRequestHandler needs a stream server (TCPServer), not a datagram one")
		}
		if h.class.timeout != nil && h.class.timeout != starlark.None {
			d, err := socket.TimeoutArg(h.class.timeout)
			if err != nil {
				return err
			}
			conn.SetTimeout(d)
		}
		if h.class.noDelay && conn.FD() >= 0 {
			unix.SetsockoptInt(conn.FD(), unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		}
		h.rfile = socket.NewFile(conn, "rb", "utf-8", "UTF-8")
		w := socket.NewFile(conn, "wb", "utf-8", "UTF-8")
		w.SetTypeName("_SocketWriter")
		h.wfile = w
	case datagramHandler:
		req, ok := h.request.(starlark.Tuple)
		if !ok || len(req) != 2 {
			return interp.Errorf(interp.TypeError, "DatagramRequestHandler needs a datagram server (UDPServer), not a stream one")
		}
		data, _ := interp.AsBytes(req[0])
		h.rfile = fileobj.NewBytesReader([]byte(data))
		h.wfile = fileobj.NewBytesWriter()
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
			if f := fileobj.Of(f); f != nil {
				f.Close()
			}
		}
	case datagramHandler:
		req := h.request.(starlark.Tuple)
		sock, _ := req[1].(*socket.Socket)
		w := fileobj.Of(h.wfile)
		if sock != nil && w != nil && err == nil {
			sa, serr := sock.Module().Sockaddr(th, "sendto", sock.Family(), h.clientAddress)
			if serr == nil {
				p := w.Backend().(*fileobj.Mem).Bytes()
				serr = socket.Err(sock.Wait(th, "socket.sendto", true, sock.Deadline(), func(fd int) error {
					return unix.Sendto(fd, p, unix.MSG_NOSIGNAL, sa)
				}))
			}
			err = serr
		}
	}
	return err
}
