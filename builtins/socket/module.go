package socket

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"syscall"
	"time"

	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"
)

// Module is the socket module of one run: what its sockets share (the
// default timeout), and what socketserver needs to make and address
// sockets.
type Module struct {
	it             *interp.Interp
	defaultTimeout time.Duration // getdefaulttimeout(): -1 for None
}

// New makes the socket module for one run; Value is what scripts see.
func New(it *interp.Interp) *Module { return &Module{it: it, defaultTimeout: -1} }

// Value builds the module value scripts call socket.
func (m *Module) Value() *starlarkstruct.Module {
	members := starlark.StringDict{
		"socket":            starlark.NewBuiltin("socket", m.newSocket),
		"socketpair":        starlark.NewBuiltin("socketpair", m.socketpair),
		"create_connection": starlark.NewBuiltin("create_connection", m.createConnection),
		"create_server":     starlark.NewBuiltin("create_server", m.createServer),
		"getaddrinfo":       starlark.NewBuiltin("getaddrinfo", m.getaddrinfo),
		"gethostname":       starlark.NewBuiltin("gethostname", sockGethostname),
		"gethostbyname":     starlark.NewBuiltin("gethostbyname", m.gethostbyname),
		"getdefaulttimeout": starlark.NewBuiltin("getdefaulttimeout", m.getdefaulttimeout),
		"setdefaulttimeout": starlark.NewBuiltin("setdefaulttimeout", m.setdefaulttimeout),
		"htons":             starlark.NewBuiltin("htons", sockByteOrder(16)),
		"ntohs":             starlark.NewBuiltin("ntohs", sockByteOrder(16)),
		"htonl":             starlark.NewBuiltin("htonl", sockByteOrder(32)),
		"ntohl":             starlark.NewBuiltin("ntohl", sockByteOrder(32)),
		"inet_aton":         starlark.NewBuiltin("inet_aton", sockInetAton),
		"inet_ntoa":         starlark.NewBuiltin("inet_ntoa", sockInetNtoa),

		"error":    interp.OSError,
		"timeout":  interp.TimeoutError, // socket.timeout is TimeoutError since Python 3.10
		"gaierror": sockGaierror,
		"herror":   sockHerror,
		"has_ipv6": starlark.True,
	}
	for name, v := range sockConstants {
		members[name] = starlark.MakeInt(v)
	}
	return &starlarkstruct.Module{Name: "socket", Members: members}
}

// aiPassive is getaddrinfo's AI_PASSIVE flag (glibc).
const aiPassive = 1

// sockConstants are the module's constants, Linux's values.
var sockConstants = map[string]int{
	"AF_UNSPEC": unix.AF_UNSPEC, "AF_INET": unix.AF_INET, "AF_INET6": unix.AF_INET6, "AF_UNIX": unix.AF_UNIX,
	"SOCK_STREAM": unix.SOCK_STREAM, "SOCK_DGRAM": unix.SOCK_DGRAM, "SOCK_RAW": unix.SOCK_RAW,
	"SOCK_NONBLOCK": unix.SOCK_NONBLOCK, "SOCK_CLOEXEC": unix.SOCK_CLOEXEC,
	"SOL_SOCKET": unix.SOL_SOCKET, "SO_REUSEADDR": unix.SO_REUSEADDR, "SO_REUSEPORT": unix.SO_REUSEPORT,
	"SO_KEEPALIVE": unix.SO_KEEPALIVE, "SO_BROADCAST": unix.SO_BROADCAST, "SO_RCVBUF": unix.SO_RCVBUF,
	"SO_SNDBUF": unix.SO_SNDBUF, "SO_ERROR": unix.SO_ERROR, "SO_TYPE": unix.SO_TYPE, "SO_LINGER": unix.SO_LINGER,
	"SO_ACCEPTCONN": unix.SO_ACCEPTCONN,
	"IPPROTO_IP":    unix.IPPROTO_IP, "IPPROTO_TCP": unix.IPPROTO_TCP, "IPPROTO_UDP": unix.IPPROTO_UDP,
	"IPPROTO_IPV6": unix.IPPROTO_IPV6, "IPV6_V6ONLY": unix.IPV6_V6ONLY,
	"TCP_NODELAY": unix.TCP_NODELAY, "TCP_KEEPIDLE": unix.TCP_KEEPIDLE, "TCP_KEEPINTVL": unix.TCP_KEEPINTVL,
	"TCP_KEEPCNT": unix.TCP_KEEPCNT,
	"SHUT_RD":     unix.SHUT_RD, "SHUT_WR": unix.SHUT_WR, "SHUT_RDWR": unix.SHUT_RDWR,
	"MSG_PEEK": unix.MSG_PEEK, "MSG_WAITALL": unix.MSG_WAITALL, "MSG_DONTWAIT": unix.MSG_DONTWAIT,
	"MSG_OOB":    unix.MSG_OOB,
	"SOMAXCONN":  4096,
	"INADDR_ANY": 0, "INADDR_LOOPBACK": 0x7f000001, "INADDR_BROADCAST": 0xffffffff,
	"AI_PASSIVE": aiPassive, "AI_CANONNAME": 2, "AI_NUMERICHOST": 4, // glibc's values
}

func (m *Module) socketpair(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	family, typ, proto := unix.AF_UNIX, unix.SOCK_STREAM, 0
	if err := starlark.UnpackArgs("socketpair", args, kwargs, "family?", &family, "type?", &typ, "proto?", &proto); err != nil {
		return nil, err
	}
	if m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	fds, err := unix.Socketpair(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, oserr.FromGo(err, "")
	}
	a, err := m.newSocketFD(fds[0], family, typ, proto)
	if err != nil {
		unix.Close(fds[1])
		return nil, err
	}
	c, err := m.newSocketFD(fds[1], family, typ, proto)
	if err != nil {
		a.Close()
		return nil, err
	}
	return starlark.Tuple{a, c}, nil
}

// hostPort reads a (host, port) pair for create_connection and create_server.
func hostPort(fn string, v starlark.Value) (starlark.Value, int, error) {
	tup, ok := v.(starlark.Tuple)
	if !ok || len(tup) < 2 {
		return nil, 0, interp.Errorf(interp.TypeError, "%s: address must be a (host, port) tuple, not %s", fn, interp.PyRepr(v))
	}
	port, err := pyarg.CInt(tup[1])
	if err != nil {
		return nil, 0, err
	}
	if port < 0 || port > 65535 {
		return nil, 0, interp.Errorf(interp.OverflowError, "%s(): port must be 0-65535.", fn)
	}
	return tup[0], port, nil
}

// addrFor is a sockaddr for a resolved address.
func addrFor(a netip.Addr, port int) (int, unix.Sockaddr) {
	if a.Is4() {
		return unix.AF_INET, &unix.SockaddrInet4{Port: port, Addr: a.As4()}
	}
	return unix.AF_INET6, &unix.SockaddrInet6{Port: port, Addr: a.As16()}
}

// createConnection is create_connection(address, timeout=<default>,
// source_address=None): each address of the host in turn, the first
// error raised if none connects.
func (m *Module) createConnection(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var address, timeoutV, source starlark.Value = nil, nil, starlark.None
	var allErrors bool
	if err := starlark.UnpackArgs("create_connection", args, kwargs, "address", &address, "timeout?", &timeoutV,
		"source_address?", &source, "all_errors?", &allErrors); err != nil {
		return nil, err
	}
	hostV, port, err := hostPort("create_connection", address)
	if err != nil {
		return nil, err
	}
	timeout := m.defaultTimeout
	if timeoutV != nil {
		if timeout, err = TimeoutArg(timeoutV); err != nil {
			return nil, err
		}
	}
	if m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	host := "localhost"
	if hostV != starlark.None {
		if host, err = hostArg(hostV); err != nil {
			return nil, err
		}
	}
	addrs, err := m.lookup(th, host, unix.AF_UNSPEC)
	if err != nil {
		return nil, err
	}
	var first error
	for _, a := range addrs {
		family, sa := addrFor(a, port)
		s, err := m.OpenSocket(family, unix.SOCK_STREAM, 0)
		if err != nil {
			return nil, err
		}
		s.timeout = timeout
		if source != starlark.None {
			ssa, err := m.Sockaddr(th, "bind", family, source)
			if err == nil {
				err = Err(unix.Bind(s.fd, ssa))
			}
			if err != nil {
				s.Close()
				return nil, err
			}
		}
		err = s.connect(th, sa)
		if err == nil {
			return s, nil
		}
		s.Close()
		perr := Err(err)
		if exc := interp.ExceptionFromError(perr); exc == nil || !exc.Class().IsSubclassOf(interp.OSError) {
			return nil, perr // Ctrl-C, or the thread stopped: stop trying
		}
		if first == nil {
			first = perr
		}
	}
	if first == nil {
		first = interp.Errorf(interp.OSError, "getaddrinfo returns an empty list")
	}
	return nil, first
}

// createServer is create_server(address, *, family=AF_INET, backlog=None,
// reuse_port=False, dualstack_ipv6=False): a listening TCP socket with
// SO_REUSEADDR, as on POSIX.
func (m *Module) createServer(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var address, backlogV starlark.Value = nil, starlark.None
	family := unix.AF_INET
	var reusePort, dualstack bool
	if err := starlark.UnpackArgs("create_server", args, kwargs, "address", &address, "family?", &family,
		"backlog?", &backlogV, "reuse_port?", &reusePort, "dualstack_ipv6?", &dualstack); err != nil {
		return nil, err
	}
	if dualstack && family != unix.AF_INET6 {
		return nil, interp.Errorf(interp.ValueError, "dualstack_ipv6 requires AF_INET6 family")
	}
	s, err := m.OpenSocket(family, unix.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (starlark.Value, error) {
		s.Close()
		return nil, err
	}
	if err := unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fail(Err(err))
	}
	if reusePort {
		if err := unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
			return fail(Err(err))
		}
	}
	if family == unix.AF_INET6 {
		v6only := 1
		if dualstack {
			v6only = 0
		}
		unix.SetsockoptInt(s.fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v6only)
	}
	sa, err := m.Sockaddr(th, "bind", family, address)
	if err != nil {
		return fail(err)
	}
	if err := unix.Bind(s.fd, sa); err != nil {
		// CPython re-raises a bind error with the address in the message.
		var errno syscall.Errno
		errors.As(err, &errno)
		msg := fmt.Sprintf("%s (while attempting to bind on address %s)", oserr.Strerror(errno), interp.PyRepr(address))
		return fail(interp.Raise(interp.NewException(interp.OSError, starlark.MakeInt(int(errno)), starlark.String(msg))))
	}
	backlog := 128
	if backlogV != starlark.None {
		if backlog, err = pyarg.CInt(backlogV); err != nil {
			return fail(err)
		}
	}
	if err := unix.Listen(s.fd, max(backlog, 0)); err != nil {
		return fail(Err(err))
	}
	return s, nil
}

// getaddrinfo is getaddrinfo(host, port, family=0, type=0, proto=0,
// flags=0): a list of (family, type, proto, canonname, sockaddr).
func (m *Module) getaddrinfo(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var hostV, portV starlark.Value
	var family, typ, proto, flags int
	if err := starlark.UnpackArgs("getaddrinfo", args, kwargs, "host", &hostV, "port", &portV, "family?", &family,
		"type?", &typ, "proto?", &proto, "flags?", &flags); err != nil {
		return nil, err
	}
	port, err := portArg(portV, typ)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	switch hostV.(type) {
	case starlark.NoneType:
		loop := flags&aiPassive == 0
		switch {
		case family == unix.AF_INET6 && loop:
			addrs = []netip.Addr{netip.IPv6Loopback()}
		case family == unix.AF_INET6:
			addrs = []netip.Addr{netip.IPv6Unspecified()}
		case loop:
			addrs = []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1})}
		default:
			addrs = []netip.Addr{netip.IPv4Unspecified()}
		}
	default:
		host, err := hostArg(hostV)
		if err != nil {
			return nil, err
		}
		if addrs, err = m.lookup(th, host, family); err != nil {
			return nil, err
		}
	}
	type kind struct{ typ, proto int }
	kinds := []kind{{unix.SOCK_STREAM, unix.IPPROTO_TCP}, {unix.SOCK_DGRAM, unix.IPPROTO_UDP}, {unix.SOCK_RAW, 0}}
	if typ != 0 {
		p := proto
		if p == 0 {
			switch typ {
			case unix.SOCK_STREAM:
				p = unix.IPPROTO_TCP
			case unix.SOCK_DGRAM:
				p = unix.IPPROTO_UDP
			}
		}
		kinds = []kind{{typ, p}}
	}
	var out []starlark.Value
	for _, a := range addrs {
		fam, sa := addrFor(a, port)
		for _, k := range kinds {
			out = append(out, starlark.Tuple{starlark.MakeInt(fam), starlark.MakeInt(k.typ), starlark.MakeInt(k.proto),
				starlark.String(""), SockaddrValue(sa)})
		}
	}
	return starlark.NewList(out), nil
}

func (m *Module) gethostbyname(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var hostV starlark.Value
	if err := starlark.UnpackPositionalArgs("gethostbyname", args, kwargs, 1, &hostV); err != nil {
		return nil, err
	}
	host, err := hostArg(hostV)
	if err != nil {
		return nil, err
	}
	a, err := m.resolveHost(th, host, unix.AF_INET)
	if err != nil {
		return nil, err
	}
	return starlark.String(a.String()), nil
}

func sockGethostname(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("gethostname", args, kwargs, 0); err != nil {
		return nil, err
	}
	name, err := os.Hostname()
	if err != nil {
		return nil, oserr.FromGo(err, "")
	}
	return starlark.String(name), nil
}

func (m *Module) getdefaulttimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getdefaulttimeout", args, kwargs, 0); err != nil {
		return nil, err
	}
	return timeoutValue(m.defaultTimeout), nil
}

func (m *Module) setdefaulttimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs("setdefaulttimeout", args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	d, err := TimeoutArg(v)
	if err != nil {
		return nil, err
	}
	m.defaultTimeout = d
	return starlark.None, nil
}

// sockByteOrder is htons/ntohs (16 bits) and htonl/ntohl (32): a byte swap
// on little-endian Linux.
func sockByteOrder(bits int) func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var xV starlark.Value
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &xV); err != nil {
			return nil, err
		}
		xi, ok := xV.(starlark.Int)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(xV))
		}
		x, ok := xi.Int64()
		if !ok || x < 0 || x >= 1<<bits {
			return nil, interp.Errorf(interp.OverflowError, "%s: Python int too large to convert to C %d-bit unsigned integer", b.Name(), bits)
		}
		if bits == 16 {
			return starlark.MakeInt64(int64(uint16(x)>>8 | uint16(x)<<8)), nil
		}
		u := uint32(x)
		return starlark.MakeInt64(int64(u>>24 | (u>>8)&0xff00 | (u<<8)&0xff0000 | u<<24)), nil
	}
}

func sockInetAton(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s string
	if err := starlark.UnpackPositionalArgs("inet_aton", args, kwargs, 1, &s); err != nil {
		return nil, err
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return nil, interp.Errorf(interp.OSError, "illegal IP address string passed to inet_aton")
	}
	b4 := a.As4()
	return interp.Bytes(b4[:]), nil
}

func sockInetNtoa(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs("inet_ntoa", args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	data, err := pyarg.Bytes(v)
	if err != nil {
		return nil, err
	}
	if len(data) != 4 {
		return nil, interp.Errorf(interp.OSError, "packed IP wrong length for inet_ntoa")
	}
	return starlark.String(netip.AddrFrom4([4]byte{data[0], data[1], data[2], data[3]}).String()), nil
}
