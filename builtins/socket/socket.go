package socket

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
)

// Socket is socket.socket.
type Socket struct {
	m       *Module
	family  int
	typ     int
	proto   int
	fd      int      // -1 once closed
	file    *os.File // owns fd; registered with Go's poller
	rc      syscall.RawConn
	timeout time.Duration // -1: blocking (None), 0: non-blocking, > 0: a timeout
	untrack func()

	scratch     []byte // recv's reusable buffer (takeScratch)
	scratchBusy bool

	// readBlocked and writeBlocked say that the last call in that direction
	// had to wait (wait's fast path is skipped). Guarded by the baton.
	readBlocked, writeBlocked bool

	// dlRead and dlWrite say that a deadline may be set on that side of
	// the poller: a wait without a timeout then clears it, and the
	// common case (none ever set) costs no call.
	dlRead, dlWrite atomic.Bool
	bound           map[string]*starlark.Builtin
}

// FD returns the socket's descriptor, -1 once closed.
func (s *Socket) FD() int { return s.fd }

// Family returns the address family (AF_INET, AF_INET6, AF_UNIX).
func (s *Socket) Family() int { return s.family }

// Module returns the socket module the socket was made by.
func (s *Socket) Module() *Module { return s.m }

// Timeout returns the socket's timeout: -1 blocking, 0 non-blocking.
func (s *Socket) Timeout() time.Duration { return s.timeout }

// SetTimeout sets it, as settimeout() does.
func (s *Socket) SetTimeout(d time.Duration) { s.timeout = d }

var (
	_ starlark.HasAttrs = (*Socket)(nil)

	// ErrTimeout and errSockClosed are what wait reports when the
	// Deadline passed and when the socket was closed under a waiting thread.
	ErrTimeout    = errors.New("timed out")
	errSockClosed = errors.New("socket closed while in use")
)

// newSocketFD wraps fd, a non-blocking socket, and tracks it for the run.
func (m *Module) newSocketFD(fd, family, typ, proto int) (*Socket, error) {
	f := os.NewFile(uintptr(fd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, oserr.FromGo(err, "")
	}
	s := &Socket{m: m, family: family, typ: typ, proto: proto, fd: fd, file: f, rc: rc, timeout: m.defaultTimeout}
	s.untrack = m.it.Track(func() { f.Close() })
	return s, nil
}

// OpenSocket is socket(2), non-blocking and close-on-exec.
func (m *Module) OpenSocket(family, typ, proto int) (*Socket, error) {
	if m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	fd, err := unix.Socket(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, oserr.FromGo(err, "")
	}
	return m.newSocketFD(fd, family, typ, proto)
}

// newSocket is socket.socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None).
func (m *Module) newSocket(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var familyV, typeV, protoV starlark.Value = starlark.MakeInt(-1), starlark.MakeInt(-1), starlark.MakeInt(-1)
	var fileno starlark.Value = starlark.None
	if err := starlark.UnpackArgs("socket", args, kwargs, "family?", &familyV, "type?", &typeV, "proto?", &protoV, "fileno?", &fileno); err != nil {
		return nil, err
	}
	if fileno != starlark.None {
		return nil, interp.Errorf(interp.ValueError, "socket(fileno=...) is not supported by starlab")
	}
	family, err := pyarg.CInt(familyV)
	if err != nil {
		return nil, err
	}
	typ, err := pyarg.CInt(typeV)
	if err != nil {
		return nil, err
	}
	proto, err := pyarg.CInt(protoV)
	if err != nil {
		return nil, err
	}
	if family == -1 {
		family = unix.AF_INET
	}
	if typ == -1 {
		typ = unix.SOCK_STREAM
	}
	if proto == -1 {
		proto = 0
	}
	nonblock := typ&unix.SOCK_NONBLOCK != 0
	typ &^= unix.SOCK_NONBLOCK | unix.SOCK_CLOEXEC
	s, err := m.OpenSocket(family, typ, proto)
	if err != nil {
		return nil, err
	}
	if nonblock {
		s.timeout = 0
	}
	return s, nil
}

func (s *Socket) String() string {
	var b strings.Builder
	b.WriteString("<socket.socket ")
	if s.fd < 0 {
		b.WriteString("[closed] ")
	}
	fmt.Fprintf(&b, "fd=%d, family=%d, type=%d, proto=%d", s.fd, s.family, s.typ, s.proto)
	if s.fd >= 0 {
		if sa, err := unix.Getsockname(s.fd); err == nil {
			if v := SockaddrValue(sa); v.Truth() {
				b.WriteString(", laddr=" + interp.PyRepr(v))
			}
		}
		if sa, err := unix.Getpeername(s.fd); err == nil {
			if v := SockaddrValue(sa); v.Truth() {
				b.WriteString(", raddr=" + interp.PyRepr(v))
			}
		}
	}
	b.WriteString(">")
	return b.String()
}
func (s *Socket) Type() string          { return "socket" }
func (s *Socket) Freeze()               {}
func (s *Socket) Truth() starlark.Bool  { return true }
func (s *Socket) Hash() (uint32, error) { return interp.IdentityHash(s), nil }

var socketMethods = map[string]*starlark.Builtin{
	"accept":      starlark.NewBuiltin("accept", sockAccept),
	"bind":        starlark.NewBuiltin("bind", sockBind),
	"close":       starlark.NewBuiltin("close", sockClose),
	"connect":     starlark.NewBuiltin("connect", sockConnect),
	"connect_ex":  starlark.NewBuiltin("connect_ex", sockConnect),
	"fileno":      starlark.NewBuiltin("fileno", sockFileno),
	"getblocking": starlark.NewBuiltin("getblocking", sockGetblocking),
	"getpeername": starlark.NewBuiltin("getpeername", sockGetname),
	"getsockname": starlark.NewBuiltin("getsockname", sockGetname),
	"getsockopt":  starlark.NewBuiltin("getsockopt", sockGetsockopt),
	"gettimeout":  starlark.NewBuiltin("gettimeout", sockGettimeout),
	"listen":      starlark.NewBuiltin("listen", sockListen),
	"makefile":    starlark.NewBuiltin("makefile", sockMakefile),
	"recv":        starlark.NewBuiltin("recv", sockRecv),
	"recvfrom":    starlark.NewBuiltin("recvfrom", sockRecv),
	"send":        starlark.NewBuiltin("send", sockSend),
	"sendall":     starlark.NewBuiltin("sendall", sockSendall),
	"sendfile":    starlark.NewBuiltin("sendfile", sockSendfile),
	"sendto":      starlark.NewBuiltin("sendto", sockSendto),
	"setblocking": starlark.NewBuiltin("setblocking", sockSetblocking),
	"setsockopt":  starlark.NewBuiltin("setsockopt", sockSetsockopt),
	"settimeout":  starlark.NewBuiltin("settimeout", sockSettimeout),
	"shutdown":    starlark.NewBuiltin("shutdown", sockShutdown),
}

func (s *Socket) AttrNames() []string {
	return append(interp.SortedAttrNames(socketMethods), "family", "proto", "timeout", "type")
}

func (s *Socket) Attr(name string) (starlark.Value, error) {
	switch name {
	case "family":
		return starlark.MakeInt(s.family), nil
	case "type":
		return starlark.MakeInt(s.typ), nil
	case "proto":
		return starlark.MakeInt(s.proto), nil
	case "timeout":
		return timeoutValue(s.timeout), nil
	}
	return pyobj.BindCached(&s.bound, socketMethods, name, s), nil
}

func timeoutValue(d time.Duration) starlark.Value {
	if d < 0 {
		return starlark.None
	}
	return starlark.Float(d.Seconds())
}

// Why pollerWait returned without the socket being ready.
var (
	errSockCancelled = errors.New("wait cancelled") // External returns the cancellation
	ErrStopped       = errors.New("wait stopped")   // the stop channel closed
)

// CheckOpen raises EBADF for a closed socket.
func (s *Socket) CheckOpen() error {
	if s.fd < 0 {
		return oserr.Raise(unix.EBADF)
	}
	return nil
}

// Close closes the socket; a second close does nothing.
func (s *Socket) Close() {
	if s.fd < 0 {
		return
	}
	s.fd = -1
	s.untrack()
	s.file.Close() // wakes a thread blocked on it (EBADF), then closes
}

func sockClose(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("close", args, kwargs, 0); err != nil {
		return nil, err
	}
	b.Receiver().(*Socket).Close()
	return starlark.None, nil
}

func sockFileno(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("fileno", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(b.Receiver().(*Socket).fd), nil
}

func sockBind(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var addr starlark.Value
	if err := starlark.UnpackPositionalArgs("bind", args, kwargs, 1, &addr); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	sa, err := s.m.Sockaddr(th, "bind", s.family, addr)
	if err != nil {
		return nil, err
	}
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	return starlark.None, Err(unix.Bind(s.fd, sa))
}

func sockListen(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var backlogV starlark.Value = starlark.MakeInt(128) // min(SOMAXCONN, 128), as CPython
	if err := starlark.UnpackPositionalArgs("listen", args, kwargs, 0, &backlogV); err != nil {
		return nil, err
	}
	backlog, err := pyarg.CInt(backlogV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	return starlark.None, Err(unix.Listen(s.fd, max(backlog, 0)))
}

// Accept waits for a connection: (conn, address). The new socket is
// blocking unless socket.setdefaulttimeout says otherwise, as in CPython.
func sockAccept(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("accept", args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	conn, addr, err := s.Accept(th)
	if err != nil {
		return nil, err
	}
	return starlark.Tuple{conn, addr}, nil
}

func (s *Socket) Accept(th *starlark.Thread) (*Socket, starlark.Value, error) {
	var nfd int
	var sa unix.Sockaddr
	err := s.Wait(th, "socket.accept", false, s.Deadline(), func(fd int) error {
		var err error
		nfd, sa, err = sysAccept(fd)
		return err
	})
	if err != nil {
		return nil, nil, Err(err)
	}
	conn, err := s.m.newSocketFD(nfd, s.family, s.typ, s.proto)
	if err != nil {
		unix.Close(nfd)
		return nil, nil, err
	}
	return conn, SockaddrValue(sa), nil
}

// sockConnect is connect(address) and connect_ex(address), which returns
// the errno (0 on success) instead of raising it.
func sockConnect(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var addr starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &addr); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	sa, err := s.m.Sockaddr(th, b.Name(), s.family, addr)
	if err != nil {
		return nil, err
	}
	err = s.connect(th, sa)
	if b.Name() == "connect" {
		return starlark.None, Err(err)
	}
	var errno syscall.Errno
	switch {
	case err == nil:
		return starlark.MakeInt(0), nil
	case err == ErrTimeout:
		return starlark.MakeInt(int(unix.EAGAIN)), nil // CPython's SOCK_TIMEOUT_ERR
	case err == errSockClosed:
		return starlark.MakeInt(int(unix.EBADF)), nil
	case errors.As(err, &errno):
		return starlark.MakeInt(int(errno)), nil
	}
	return nil, err
}

// connect returns a raw error for sockErr, or a Python one.
func (s *Socket) connect(th *starlark.Thread, sa unix.Sockaddr) error {
	if s.fd < 0 {
		return unix.EBADF
	}
	err := unix.Connect(s.fd, sa)
	switch {
	case err == nil:
		return nil
	case err == unix.EINPROGRESS || err == unix.EINTR:
	case err == unix.EAGAIN && s.family == unix.AF_UNIX:
		// A Unix socket's listener has a full backlog: retry when writable.
	default:
		return err
	}
	if s.timeout == 0 {
		return err
	}
	retry := err == unix.EAGAIN
	return s.Wait(th, "socket.connect", true, s.Deadline(), func(fd int) error {
		if retry {
			err := unix.Connect(fd, sa)
			if err == unix.EAGAIN || err == nil {
				return err
			}
			if err != unix.EINPROGRESS {
				return err
			}
			retry = false
		}
		nerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err != nil {
			return err
		}
		switch e := syscall.Errno(nerr); e {
		case unix.EINPROGRESS, unix.EALREADY, unix.EINTR:
			return unix.EAGAIN
		case 0:
			// The poller can wake early: connected only if there is a peer.
			if _, err := unix.Getpeername(fd); err == nil {
				return nil
			}
			return unix.EAGAIN
		default:
			return e
		}
	})
}

func sockShutdown(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var howV starlark.Value
	if err := starlark.UnpackPositionalArgs("shutdown", args, kwargs, 1, &howV); err != nil {
		return nil, err
	}
	how, err := pyarg.CInt(howV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	return starlark.None, Err(unix.Shutdown(s.fd, how))
}

// sockGetname is getsockname() and getpeername().
func sockGetname(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	var sa unix.Sockaddr
	var err error
	if b.Name() == "getsockname" {
		sa, err = unix.Getsockname(s.fd)
	} else {
		sa, err = unix.Getpeername(s.fd)
	}
	if err != nil {
		return nil, Err(err)
	}
	return SockaddrValue(sa), nil
}

// sockSetsockopt is setsockopt(level, optname, value: int | bytes).
func sockSetsockopt(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var levelV, optV, value starlark.Value
	if err := starlark.UnpackPositionalArgs("setsockopt", args, kwargs, 3, &levelV, &optV, &value); err != nil {
		return nil, err
	}
	level, err := pyarg.CInt(levelV)
	if err != nil {
		return nil, err
	}
	opt, err := pyarg.CInt(optV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	if v, ok := interp.AsBytes(value); ok {
		err = unix.SetsockoptString(s.fd, level, opt, v)
	} else {
		n, ierr := pyarg.CInt(value)
		if ierr != nil {
			return nil, interp.Errorf(interp.TypeError, "a bytes-like object is required, not '%s'", interp.PyTypeName(value))
		}
		err = unix.SetsockoptInt(s.fd, level, opt, n)
	}
	return starlark.None, Err(err)
}

// sockGetsockopt is getsockopt(level, optname, buflen=0): an int, or
// buflen bytes of the option's value.
func sockGetsockopt(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var levelV, optV starlark.Value
	var buflenV starlark.Value = starlark.MakeInt(0)
	if err := starlark.UnpackPositionalArgs("getsockopt", args, kwargs, 2, &levelV, &optV, &buflenV); err != nil {
		return nil, err
	}
	level, err := pyarg.CInt(levelV)
	if err != nil {
		return nil, err
	}
	opt, err := pyarg.CInt(optV)
	if err != nil {
		return nil, err
	}
	buflen, err := pyarg.CInt(buflenV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	if buflen == 0 {
		n, err := unix.GetsockoptInt(s.fd, level, opt)
		if err != nil {
			return nil, Err(err)
		}
		return starlark.MakeInt(n), nil
	}
	if buflen < 0 || buflen > 1024 {
		return nil, interp.Errorf(interp.OSError, "getsockopt buflen out of range")
	}
	buf := make([]byte, buflen)
	l := uint32(buflen)
	_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(s.fd), uintptr(level), uintptr(opt),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&l)), 0)
	if e != 0 {
		return nil, Err(e)
	}
	return interp.Bytes(buf[:l]), nil
}

// TimeoutArg reads settimeout's argument with CPython's messages.
func TimeoutArg(v starlark.Value) (time.Duration, error) {
	if v == starlark.None {
		return -1, nil
	}
	f, ok := starlark.AsFloat(v)
	if !ok {
		return 0, interp.Errorf(interp.TypeError, "'%s' object cannot be interpreted as an integer", interp.PyTypeName(v))
	}
	if math.IsNaN(f) {
		return 0, interp.Errorf(interp.ValueError, "Invalid value NaN (not a number)")
	}
	if f < 0 {
		return 0, interp.Errorf(interp.ValueError, "Timeout value out of range")
	}
	if f > pyarg.TimeoutMax {
		return 0, interp.Errorf(interp.OverflowError, "timeout doesn't fit into C timeval")
	}
	if f == 0 {
		return 0, nil
	}
	return pyarg.SecondsToDuration(f), nil
}

func sockSettimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs("settimeout", args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	d, err := TimeoutArg(v)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	s.timeout = d
	return starlark.None, nil
}

func sockGettimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("gettimeout", args, kwargs, 0); err != nil {
		return nil, err
	}
	return timeoutValue(b.Receiver().(*Socket).timeout), nil
}

func sockSetblocking(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var flag starlark.Value
	if err := starlark.UnpackPositionalArgs("setblocking", args, kwargs, 1, &flag); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	if flag.Truth() {
		s.timeout = -1
	} else {
		s.timeout = 0
	}
	return starlark.None, nil
}

func sockGetblocking(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getblocking", args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	return starlark.Bool(s.timeout != 0), nil
}

// Module functions.
