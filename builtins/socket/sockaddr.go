package socket

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/builtins/internal/netpoll"
	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// Socket addresses as Python writes them: (host, port) for AF_INET,
// (host, port, flowinfo, scope_id) for AF_INET6, a path for AF_UNIX.

// socket.gaierror and socket.herror: OSError subclasses that live in the
// socket module. Immutable, so shared by every run like the builtin classes.
var (
	sockGaierror = interp.NewModuleExceptionClass("socket", "gaierror", interp.OSError)
	sockHerror   = interp.NewModuleExceptionClass("socket", "herror", interp.OSError)
)

// getaddrinfo's error codes (glibc's EAI_*), as socket.gaierror carries them.
const (
	eaiNoName  = -2
	eaiAgain   = -3
	eaiService = -8
	eaiFamily  = -9
)

var eaiMessages = map[int]string{
	eaiNoName:  "Name or service not known",
	eaiAgain:   "Temporary failure in name resolution",
	eaiService: "Servname not supported for ai_socktype",
	eaiFamily:  "Address family for hostname not supported",
}

func gaiError(code int) error {
	return interp.Raise(interp.NewException(sockGaierror, starlark.MakeInt(code), starlark.String(eaiMessages[code])))
}

// SockaddrValue is the Python value of an address: what getsockname,
// getpeername, accept and recvfrom return.
func SockaddrValue(sa unix.Sockaddr) starlark.Value {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return starlark.Tuple{starlark.String(netip.AddrFrom4(sa.Addr).String()), starlark.MakeInt(sa.Port)}
	case *unix.SockaddrInet6:
		return starlark.Tuple{starlark.String(netip.AddrFrom16(sa.Addr).String()), starlark.MakeInt(sa.Port),
			starlark.MakeInt(0), starlark.MakeInt(int(sa.ZoneId))}
	case *unix.SockaddrUnix:
		// x/sys/unix shows an abstract name's leading NUL as '@', and an
		// unnamed socket as "@"; Python gives b'\x00name' and ''.
		switch {
		case sa.Name == "@":
			return starlark.String("")
		case len(sa.Name) > 0 && sa.Name[0] == '@':
			return interp.Bytes("\x00" + sa.Name[1:])
		}
		return starlark.String(sa.Name)
	}
	return starlark.None
}

// Sockaddr reads a Python address for family: fn names the method in
// messages ("bind(): AF_INET address must be tuple, not str"). A host name
// is resolved, which may block: it is an external wait.
func (m *Module) Sockaddr(th *starlark.Thread, fn string, family int, v starlark.Value) (unix.Sockaddr, error) {
	switch family {
	case unix.AF_INET, unix.AF_INET6:
		name := "AF_INET"
		if family == unix.AF_INET6 {
			name = "AF_INET6"
		}
		tup, ok := v.(starlark.Tuple)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "%s(): %s address must be tuple, not %s", fn, name, interp.PyTypeName(v))
		}
		if family == unix.AF_INET && len(tup) != 2 {
			return nil, interp.Errorf(interp.TypeError, "AF_INET address must be a pair (host, port)")
		}
		if family == unix.AF_INET6 && (len(tup) < 2 || len(tup) > 4) {
			return nil, interp.Errorf(interp.TypeError, "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])")
		}
		host, err := hostArg(tup[0])
		if err != nil {
			return nil, err
		}
		port, err := pyarg.CInt(tup[1])
		if err != nil {
			return nil, err
		}
		if port < 0 || port > 65535 {
			return nil, interp.Errorf(interp.OverflowError, "%s(): port must be 0-65535.", fn)
		}
		// A graded run: loopback only, refused before any packet (a name
		// lookup is one) is sent (interp.Confinement).
		if err := interp.ConfinementOf(th).Host(host); err != nil {
			return nil, err
		}
		addr, err := m.resolveHost(th, host, family)
		if err != nil {
			return nil, err
		}
		if err := interp.ConfinementOf(th).Addr(fn, addr); err != nil {
			return nil, err
		}
		if family == unix.AF_INET {
			return &unix.SockaddrInet4{Port: port, Addr: addr.As4()}, nil
		}
		sa := &unix.SockaddrInet6{Port: port, Addr: addr.As16()}
		if len(tup) >= 3 {
			flow, err := pyarg.CInt(tup[2])
			if err != nil {
				return nil, err
			}
			if flow < 0 || flow > 0xfffff {
				return nil, interp.Errorf(interp.OverflowError, "%s(): flowinfo must be 0-1048575.", fn)
			}
		}
		if len(tup) == 4 {
			scope, err := pyarg.CInt(tup[3])
			if err != nil {
				return nil, err
			}
			sa.ZoneId = uint32(scope)
		}
		return sa, nil
	case unix.AF_UNIX:
		var path string
		switch v := v.(type) {
		case starlark.String:
			path = string(v)
		default:
			b, ok := interp.AsBytes(v)
			if ok {
				path = b
				break
			}
			return nil, interp.Errorf(interp.TypeError, "%s(): AF_UNIX address must be str or bytes, not %s", fn, interp.PyTypeName(v))
		}
		if path != "" && path[0] != 0 && path[0] != '@' {
			// A confined run's relative path is in its own folder, as
			// its os.getcwd() says, not in starlab's working directory.
			confined, ok := interp.ConfinementOf(th).Path(path, true)
			if !ok {
				return nil, oserr.Raise(unix.EACCES, path)
			}
			path = confined
		}
		if len(path) >= 108 {
			return nil, interp.Errorf(interp.OSError, "AF_UNIX path too long")
		}
		return &unix.SockaddrUnix{Name: path}, nil
	}
	return nil, interp.Errorf(interp.OSError, "%s(): bad family", fn)
}

// hostArg reads the host of an address: str or bytes.
func hostArg(v starlark.Value) (string, error) {
	if s, ok := v.(starlark.String); ok {
		return string(s), nil
	}
	if b, ok := interp.AsBytes(v); ok {
		return b, nil
	}
	return "", interp.Errorf(interp.TypeError, "str, bytes or bytearray expected, not %s", interp.PyTypeName(v))
}

// resolveHost finds the address of host for family, as CPython's
// setipaddr does: "" is the wildcard, "<broadcast>" the broadcast address,
// a literal is itself, and a name is looked up (in an external wait).
func (m *Module) resolveHost(th *starlark.Thread, host string, family int) (netip.Addr, error) {
	switch host {
	case "":
		if family == unix.AF_INET6 {
			return netip.IPv6Unspecified(), nil
		}
		return netip.IPv4Unspecified(), nil
	case "<broadcast>":
		if family == unix.AF_INET {
			return netip.AddrFrom4([4]byte{255, 255, 255, 255}), nil
		}
		return netip.Addr{}, gaiError(eaiFamily)
	}
	addrs, err := m.lookup(th, host, family)
	if err != nil {
		return netip.Addr{}, err
	}
	return addrs[0], nil
}

// lookup resolves host to its addresses of family (0: any), literals
// without a wait.
func (m *Module) lookup(th *starlark.Thread, host string, family int) ([]netip.Addr, error) {
	if err := interp.ConfinementOf(th).Host(host); err != nil { // a lookup is a packet
		return nil, err
	}
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.WithZone("")
		switch {
		case family == unix.AF_INET && !a.Is4():
			return nil, gaiError(eaiFamily)
		case family == unix.AF_INET6 && !a.Is6():
			return nil, gaiError(eaiFamily)
		}
		return []netip.Addr{a}, nil
	}
	if m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	network := "ip"
	switch family {
	case unix.AF_INET:
		network = "ip4"
	case unix.AF_INET6:
		network = "ip6"
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	var lerr error
	err = m.it.Sched().External(t, "socket.getaddrinfo", func(cancel <-chan struct{}) error {
		ctx, stop := context.WithCancel(context.Background())
		w := netpoll.WatchCancel(cancel, stop)
		addrs, lerr = net.DefaultResolver.LookupNetIP(ctx, network, host)
		w.Stop()
		stop()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if lerr != nil || len(addrs) == 0 {
		var dnsErr *net.DNSError
		if errors.As(lerr, &dnsErr) && (dnsErr.IsTimeout || dnsErr.IsTemporary) && !dnsErr.IsNotFound {
			return nil, gaiError(eaiAgain)
		}
		return nil, gaiError(eaiNoName)
	}
	for i, a := range addrs {
		if family != unix.AF_INET6 {
			a = a.Unmap() // the resolver may give IPv4 as ::ffff:a.b.c.d
		}
		addrs[i] = a.WithZone("")
	}
	return addrs, nil
}

// portArg reads getaddrinfo's port: an int, a numeric or service string, or None.
func portArg(v starlark.Value, socktype int) (int, error) {
	switch v := v.(type) {
	case starlark.NoneType:
		return 0, nil
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n < 0 || n > 65535 {
			return 0, interp.Errorf(interp.OverflowError, "getaddrinfo(): port must be 0-65535.")
		}
		return int(n), nil
	case starlark.String, starlark.Bytes, interp.Bytes:
		s := interp.PyStr(v)
		if b, ok := interp.AsBytes(v); ok {
			s = b
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 65535 {
			return n, nil
		}
		network := "tcp"
		if socktype == unix.SOCK_DGRAM {
			network = "udp"
		}
		n, err := net.LookupPort(network, s)
		if err != nil {
			return 0, gaiError(eaiService)
		}
		return n, nil
	}
	return 0, interp.Errorf(interp.OSError, "Int or String expected")
}
