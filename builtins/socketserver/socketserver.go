package socketserver

import (
	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/socket"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/interp"
)

type socketserverModule struct {
	it   *interp.Interp
	sock *socket.Module
}

// New builds the socketserver module for one run; its servers make their
// sockets with sock, the run's socket module.
func New(it *interp.Interp, sock *socket.Module) *starlarkstruct.Module {
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
	family, err := pyarg.CInt(srv.attr("address_family"))
	if err != nil {
		return nil, err
	}
	socktype, err := pyarg.CInt(srv.attr("socket_type"))
	if err != nil {
		return nil, err
	}
	srv.udp = socktype == unix.SOCK_DGRAM
	if c.m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	srv.sock, err = c.m.sock.OpenSocket(family, socktype, 0)
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
			srv.sock.Close() // server_close(), as CPython's constructor does
			return nil, err
		}
	}
	return srv, nil
}

// Request handlers.
