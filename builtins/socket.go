package builtins

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/interp"
)

// The socket module: Python's socket API on the OS's sockets.
//
// A socket is a non-blocking descriptor, made with socket(2) as in CPython
// (so bind/listen/setsockopt/fileno behave exactly as Python's), and handed
// to Go's poller through an *os.File. Python's blocking and timeout modes
// are built on top, as CPython builds them on poll(): a call first tries the
// system call while holding the baton (no switch when data is ready); if it
// would block, the thread gives the baton up in an external wait and parks
// in Go's poller until the socket is ready, the timeout's deadline passes
// (socket.timeout, which is TimeoutError), or the wait is cancelled
// (Ctrl-C, the thread being stopped): a past deadline wakes it at once.
//
// golang.org/x/sys/unix provides the calls the syscall package lacks or
// spells awkwardly: accept4, socket options, sockaddr conversions, poll,
// sendfile. Every socket is registered with Interp.Track, so none outlives
// the run. In sim mode, making a socket raises an error naming --sim.

type socketModule struct {
	it             *interp.Interp
	defaultTimeout time.Duration // getdefaulttimeout(): -1 for None
}

// module builds the socket module of m's run.
func (m *socketModule) module() *starlarkstruct.Module {
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

// Socket is socket.socket.
type Socket struct {
	m       *socketModule
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

var (
	_ starlark.HasAttrs = (*Socket)(nil)

	// errSockTimeout and errSockClosed are what wait reports when the
	// deadline passed and when the socket was closed under a waiting thread.
	errSockTimeout = errors.New("timed out")
	errSockClosed  = errors.New("socket closed while in use")
)

// newSocketFD wraps fd, a non-blocking socket, and tracks it for the run.
func (m *socketModule) newSocketFD(fd, family, typ, proto int) (*Socket, error) {
	f := os.NewFile(uintptr(fd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, oserrFromGo(err, "")
	}
	s := &Socket{m: m, family: family, typ: typ, proto: proto, fd: fd, file: f, rc: rc, timeout: m.defaultTimeout}
	s.untrack = m.it.Track(func() { f.Close() })
	return s, nil
}

// openSocket is socket(2), non-blocking and close-on-exec.
func (m *socketModule) openSocket(family, typ, proto int) (*Socket, error) {
	if m.it.Sched().Sim() {
		return nil, errSimSockets()
	}
	fd, err := unix.Socket(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, oserrFromGo(err, "")
	}
	return m.newSocketFD(fd, family, typ, proto)
}

// newSocket is socket.socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None).
func (m *socketModule) newSocket(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var familyV, typeV, protoV starlark.Value = starlark.MakeInt(-1), starlark.MakeInt(-1), starlark.MakeInt(-1)
	var fileno starlark.Value = starlark.None
	if err := starlark.UnpackArgs("socket", args, kwargs, "family?", &familyV, "type?", &typeV, "proto?", &protoV, "fileno?", &fileno); err != nil {
		return nil, err
	}
	if fileno != starlark.None {
		return nil, interp.Errorf(interp.ValueError, "socket(fileno=...) is not supported by starlab")
	}
	family, err := netInt(familyV)
	if err != nil {
		return nil, err
	}
	typ, err := netInt(typeV)
	if err != nil {
		return nil, err
	}
	proto, err := netInt(protoV)
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
	s, err := m.openSocket(family, typ, proto)
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
			if v := sockaddrValue(sa); v.Truth() {
				b.WriteString(", laddr=" + interp.PyRepr(v))
			}
		}
		if sa, err := unix.Getpeername(s.fd); err == nil {
			if v := sockaddrValue(sa); v.Truth() {
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
	return bindCached(&s.bound, socketMethods, name, s), nil
}

func timeoutValue(d time.Duration) starlark.Value {
	if d < 0 {
		return starlark.None
	}
	return starlark.Float(d.Seconds())
}

// deadline is when a call that starts now times out; zero for none.
func (s *Socket) deadline() time.Time {
	if s.timeout > 0 {
		return time.Now().Add(s.timeout)
	}
	return time.Time{}
}

// wait runs op, a non-blocking system call on the socket that returns
// EAGAIN when it would block, with Python's blocking semantics: at once;
// in non-blocking mode, EAGAIN is returned for the caller to raise
// BlockingIOError; otherwise in an external wait until op is done, the
// deadline (if not zero) passes (errSockTimeout), or the wait is
// cancelled (the scheduler's error: KeyboardInterrupt, or the thread
// being stopped). write says which readiness op waits for.
func (s *Socket) wait(th *starlark.Thread, reason string, write bool, deadline time.Time, op func(fd int) error) error {
	if s.fd < 0 {
		return unix.EBADF
	}
	// Try at once, keeping the baton, unless the last call in this
	// direction had to wait: then this one very likely waits too (a reply
	// not yet sent), and the try inside the external wait is enough.
	blocked := &s.readBlocked
	if write {
		blocked = &s.writeBlocked
	}
	if !*blocked || s.timeout == 0 {
		err := op(s.fd)
		if err != unix.EAGAIN || s.timeout == 0 {
			*blocked = false
			return err
		}
	}
	t, err := netThread(th)
	if err != nil {
		return err
	}
	tries := 0
	err = s.m.it.Sched().External(t, reason, func(cancel <-chan struct{}) error {
		var opErr error
		if err := s.pollerWait(cancel, nil, write, deadline, func(fd int) bool {
			tries++
			opErr = op(fd)
			return opErr != unix.EAGAIN
		}); err != nil {
			return err
		}
		return opErr
	})
	*blocked = tries != 1
	return err
}

// Why pollerWait returned without the socket being ready.
var (
	errSockCancelled = errors.New("wait cancelled") // External returns the cancellation
	errSockStopped   = errors.New("wait stopped")   // the stop channel closed
)

// watchDelay is how long a wait goes without a cancel watcher: most waits
// on a busy connection are shorter, and a goroutine per wait would cost
// more than the wait. A Ctrl-C is seen at most this late.
const watchDelay = time.Millisecond

// pollerWait parks in Go's poller until ready(fd), called each time the
// socket may be ready, returns true; the deadline passes (errSockTimeout);
// stop is closed (errSockStopped); or cancel is (errSockCancelled). It runs
// in an external wait, without the baton.
func (s *Socket) pollerWait(cancel, stop <-chan struct{}, write bool, deadline time.Time, ready func(fd int) bool) error {
	waitFor := s.rc.Read
	if write {
		waitFor = s.rc.Write
	}
	var w *cancelWatch
	defer func() {
		if w != nil {
			w.stop()
		}
	}()
	for {
		d := deadline
		if w == nil {
			select {
			case <-cancel:
				return errSockCancelled
			case <-stop:
				return errSockStopped
			default:
			}
			if probe := time.Now().Add(watchDelay); d.IsZero() || probe.Before(d) {
				d = probe
			}
		}
		if err := s.setDeadline(write, d); err != nil {
			return errSockClosed
		}
		werr := waitFor(func(fd uintptr) bool { return ready(int(fd)) })
		switch {
		case werr == nil:
			return nil
		case errors.Is(werr, os.ErrDeadlineExceeded):
			if w != nil && w.cancelled.Load() {
				return errSockCancelled
			}
			if w != nil && w.stopped.Load() {
				return errSockStopped
			}
			if !deadline.IsZero() && !time.Now().Before(deadline) {
				return errSockTimeout
			}
			if w == nil {
				// A long wait: from now on, a goroutine watches for Ctrl-C.
				w = watchCancelOr(cancel, stop, func() { s.kick(write) })
			}
			// (Or another thread's cancellation kicked this socket: wait on.)
			s.deadlineSide(write).Store(true)
		default:
			return errSockClosed // closed by another thread meanwhile
		}
	}
}

func (s *Socket) deadlineSide(write bool) *atomic.Bool {
	if write {
		return &s.dlWrite
	}
	return &s.dlRead
}

// setDeadline sets the poller's deadline for reads or writes (zero: none),
// without a call when none is set and none is wanted. Safe without the
// baton.
func (s *Socket) setDeadline(write bool, d time.Time) error {
	side := s.deadlineSide(write)
	if d.IsZero() && !side.Swap(false) {
		return nil
	}
	if !d.IsZero() {
		side.Store(true)
	}
	if write {
		return s.file.SetWriteDeadline(d)
	}
	return s.file.SetReadDeadline(d)
}

// kick wakes the threads waiting to read (or write) at once: a deadline in
// the past. Safe without the baton.
func (s *Socket) kick(write bool) {
	s.deadlineSide(write).Store(true)
	if write {
		s.file.SetWriteDeadline(aLongTimeAgo)
	} else {
		s.file.SetReadDeadline(aLongTimeAgo)
	}
}

// sockErr raises what wait and the system calls report, as CPython does.
func sockErr(err error) error {
	switch err {
	case nil:
		return nil
	case errSockTimeout:
		return interp.Raise(interp.NewException(interp.TimeoutError, starlark.String("timed out")))
	case errSockClosed:
		return oserrRaise(unix.EBADF)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return oserrRaise(errno)
	}
	return err // a Python exception already, or the thread being stopped
}

// The system calls, retried on EINTR (a signal can interrupt even a
// non-blocking call).

func sysRecv(fd int, p []byte, flags int) (int, unix.Sockaddr, error) {
	for {
		var n int
		var from unix.Sockaddr
		var err error
		if flags == 0 && len(p) > 0 {
			n, err = unix.Read(fd, p)
		} else {
			n, from, err = unix.Recvfrom(fd, p, flags)
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		return n, from, nil
	}
}

var zeroByte byte

func sysSend(fd int, p []byte, flags int) (int, error) {
	ptr := unsafe.Pointer(&zeroByte)
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	for {
		// send(2) with MSG_NOSIGNAL: a closed peer is EPIPE, never SIGPIPE.
		n, _, e := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags|unix.MSG_NOSIGNAL), 0, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, e
		}
		return int(n), nil
	}
}

func sysAccept(fd int) (int, unix.Sockaddr, error) {
	for {
		nfd, sa, err := unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch err {
		case unix.EINTR:
			continue
		case unix.ECONNABORTED:
			return -1, nil, unix.EAGAIN // the client gave up: wait for the next one
		}
		return nfd, sa, err
	}
}

// bytesData views a bytes value's data without copying; never written to.
func bytesData(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// closedCheck raises EBADF for a closed socket.
func (s *Socket) closedCheck() error {
	if s.fd < 0 {
		return oserrRaise(unix.EBADF)
	}
	return nil
}

// close closes the socket; a second close does nothing.
func (s *Socket) close() {
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
	b.Receiver().(*Socket).close()
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
	sa, err := s.m.sockaddr(th, "bind", s.family, addr)
	if err != nil {
		return nil, err
	}
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	return starlark.None, sockErr(unix.Bind(s.fd, sa))
}

func sockListen(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var backlogV starlark.Value = starlark.MakeInt(128) // min(SOMAXCONN, 128), as CPython
	if err := starlark.UnpackPositionalArgs("listen", args, kwargs, 0, &backlogV); err != nil {
		return nil, err
	}
	backlog, err := netInt(backlogV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	return starlark.None, sockErr(unix.Listen(s.fd, max(backlog, 0)))
}

// accept waits for a connection: (conn, address). The new socket is
// blocking unless socket.setdefaulttimeout says otherwise, as in CPython.
func sockAccept(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("accept", args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	conn, addr, err := s.accept(th)
	if err != nil {
		return nil, err
	}
	return starlark.Tuple{conn, addr}, nil
}

func (s *Socket) accept(th *starlark.Thread) (*Socket, starlark.Value, error) {
	var nfd int
	var sa unix.Sockaddr
	err := s.wait(th, "socket.accept", false, s.deadline(), func(fd int) error {
		var err error
		nfd, sa, err = sysAccept(fd)
		return err
	})
	if err != nil {
		return nil, nil, sockErr(err)
	}
	conn, err := s.m.newSocketFD(nfd, s.family, s.typ, s.proto)
	if err != nil {
		unix.Close(nfd)
		return nil, nil, err
	}
	return conn, sockaddrValue(sa), nil
}

// sockConnect is connect(address) and connect_ex(address), which returns
// the errno (0 on success) instead of raising it.
func sockConnect(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var addr starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &addr); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	sa, err := s.m.sockaddr(th, b.Name(), s.family, addr)
	if err != nil {
		return nil, err
	}
	err = s.connect(th, sa)
	if b.Name() == "connect" {
		return starlark.None, sockErr(err)
	}
	var errno syscall.Errno
	switch {
	case err == nil:
		return starlark.MakeInt(0), nil
	case err == errSockTimeout:
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
	return s.wait(th, "socket.connect", true, s.deadline(), func(fd int) error {
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

// recvScratchMax caps the reusable receive buffer: a recv(16 << 20) reads
// at most this much at once, as recv may.
const recvScratchMax = 1 << 20

// takeScratch lends recv the socket's reusable buffer, sized for bufsize,
// so that recv(65536) in a loop does not allocate (and zero) 64 KiB per
// call only to return a few bytes; ok is false when another thread's recv
// has it, or bufsize is small enough to allocate exactly.
func (s *Socket) takeScratch(bufsize int) (buf []byte, ok bool) {
	if s.scratchBusy || bufsize <= 256 {
		return nil, false
	}
	n := min(bufsize, recvScratchMax)
	if cap(s.scratch) < n {
		s.scratch = make([]byte, n)
	}
	s.scratchBusy = true
	return s.scratch[:n], true
}

// bytesResult turns a filled buffer into bytes, copying when most of the
// buffer is unused (so a small reply does not pin a big buffer).
func bytesResult(buf []byte, n int) starlark.Bytes {
	if n == 0 {
		return ""
	}
	if n < len(buf)/2 {
		return starlark.Bytes(buf[:n])
	}
	return starlark.Bytes(unsafe.String(&buf[0], n))
}

// sockRecv is recv(bufsize, flags=0) and recvfrom(bufsize, flags=0), which
// returns (data, address); b"" means the peer closed the connection.
func sockRecv(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var bufsizeV, flagsV starlark.Value = nil, starlark.MakeInt(0)
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &bufsizeV, &flagsV); err != nil {
		return nil, err
	}
	bufsize, err := netInt(bufsizeV)
	if err != nil {
		return nil, err
	}
	flags, err := netInt(flagsV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if bufsize < 0 {
		return nil, interp.Errorf(interp.ValueError, "negative buffersize in %s", b.Name())
	}
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	data, from, err := s.recv(th, "socket."+b.Name(), bufsize, flags, b.Name() == "recvfrom")
	if err != nil {
		return nil, sockErr(err)
	}
	if b.Name() == "recvfrom" {
		return starlark.Tuple{data, sockaddrValue(from)}, nil
	}
	return data, nil
}

// recv is one recv(2) (or recvfrom(2) with from) of at most bufsize bytes,
// with the socket's blocking mode; the error is raw, for sockErr.
//
// The data lands in the socket's reusable buffer. A reply that fills most
// of it becomes the bytes value as it is, without a copy (the socket gets a
// new buffer next time), as CPython's recv does: a 64 KiB bulk read copies
// nothing twice. A short one is copied out, so that recv(65536) on an
// interactive connection does not allocate 64 KiB a call.
func (s *Socket) recv(th *starlark.Thread, reason string, bufsize, flags int, withFrom bool) (starlark.Bytes, unix.Sockaddr, error) {
	buf, scratch := s.takeScratch(bufsize)
	if scratch {
		defer func() { s.scratchBusy = false }()
	} else {
		buf = make([]byte, min(bufsize, 16<<20))
	}
	var n int
	var from unix.Sockaddr
	err := s.wait(th, reason, false, s.deadline(), func(fd int) error {
		var err error
		for {
			if withFrom && flags == 0 && len(buf) > 0 {
				n, from, err = unix.Recvfrom(fd, buf, 0)
			} else {
				n, from, err = sysRecv(fd, buf, flags)
			}
			if err != unix.EINTR {
				return err
			}
		}
	})
	if err != nil {
		return "", nil, err
	}
	if scratch && n > 0 && 2*n >= len(buf) {
		s.scratch = nil // given away with the data
		return starlark.Bytes(unsafe.String(&buf[0], n)), from, nil
	}
	if scratch {
		return starlark.Bytes(buf[:n]), from, nil // a copy: the buffer is reused
	}
	return bytesResult(buf, n), from, nil
}

// recvInto reads into p for a socket file (makefile, rfile): (0, nil) at
// the end. The error is raw (for sockErr).
func (s *Socket) recvInto(th *starlark.Thread, reason string, p []byte) (int, error) {
	var n int
	err := s.wait(th, reason, false, s.deadline(), func(fd int) error {
		var err error
		n, _, err = sysRecv(fd, p, 0)
		return err
	})
	return n, err
}

// sendArgs reads (data, flags=0), the arguments of send and sendall.
func sendArgs(fn string, args starlark.Tuple, kwargs []starlark.Tuple) ([]byte, int, error) {
	var dataV, flagsV starlark.Value = nil, starlark.MakeInt(0)
	if err := starlark.UnpackPositionalArgs(fn, args, kwargs, 1, &dataV, &flagsV); err != nil {
		return nil, 0, err
	}
	data, err := netBytes(dataV)
	if err != nil {
		return nil, 0, err
	}
	flags, err := netInt(flagsV)
	if err != nil {
		return nil, 0, err
	}
	return bytesData(data), flags, nil
}

// sockSend is send(data, flags=0): one send(2), which may send less.
func sockSend(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p, flags, err := sendArgs("send", args, kwargs)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	var n int
	err = s.wait(th, "socket.send", true, s.deadline(), func(fd int) error {
		var err error
		n, err = sysSend(fd, p, flags)
		return err
	})
	if err != nil {
		return nil, sockErr(err)
	}
	return starlark.MakeInt(n), nil
}

// sendAll sends all of p (a raw error for sockErr). The timeout bounds the
// whole call, as in CPython 3.5+.
func (s *Socket) sendAll(th *starlark.Thread, reason string, p []byte, flags int) error {
	deadline := s.deadline()
	for {
		var n int
		err := s.wait(th, reason, true, deadline, func(fd int) error {
			var err error
			n, err = sysSend(fd, p, flags)
			return err
		})
		if err != nil {
			return err
		}
		p = p[n:]
		if len(p) == 0 {
			return nil
		}
	}
}

func sockSendall(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	p, flags, err := sendArgs("sendall", args, kwargs)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.sendAll(th, "socket.sendall", p, flags); err != nil {
		return nil, sockErr(err)
	}
	return starlark.None, nil
}

// sockSendto is sendto(data, address) or sendto(data, flags, address).
func sockSendto(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, interp.Errorf(interp.TypeError, "sendto() takes no keyword arguments")
	}
	if len(args) < 2 || len(args) > 3 {
		return nil, interp.Errorf(interp.TypeError, "sendto() takes 2 or 3 arguments (%d given)", len(args))
	}
	data, err := netBytes(args[0])
	if err != nil {
		return nil, err
	}
	flags := 0
	addr := args[len(args)-1]
	if len(args) == 3 {
		if flags, err = netInt(args[1]); err != nil {
			return nil, err
		}
	}
	s := b.Receiver().(*Socket)
	sa, err := s.m.sockaddr(th, "sendto", s.family, addr)
	if err != nil {
		return nil, err
	}
	p := bytesData(data)
	err = s.wait(th, "socket.sendto", true, s.deadline(), func(fd int) error {
		for {
			err := unix.Sendto(fd, p, flags|unix.MSG_NOSIGNAL, sa)
			if err != unix.EINTR {
				return err
			}
		}
	})
	if err != nil {
		return nil, sockErr(err)
	}
	return starlark.MakeInt(len(p)), nil
}

func sockShutdown(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var howV starlark.Value
	if err := starlark.UnpackPositionalArgs("shutdown", args, kwargs, 1, &howV); err != nil {
		return nil, err
	}
	how, err := netInt(howV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	return starlark.None, sockErr(unix.Shutdown(s.fd, how))
}

// sockGetname is getsockname() and getpeername().
func sockGetname(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.closedCheck(); err != nil {
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
		return nil, sockErr(err)
	}
	return sockaddrValue(sa), nil
}

// sockSetsockopt is setsockopt(level, optname, value: int | bytes).
func sockSetsockopt(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var levelV, optV, value starlark.Value
	if err := starlark.UnpackPositionalArgs("setsockopt", args, kwargs, 3, &levelV, &optV, &value); err != nil {
		return nil, err
	}
	level, err := netInt(levelV)
	if err != nil {
		return nil, err
	}
	opt, err := netInt(optV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	switch v := value.(type) {
	case starlark.Bytes:
		err = unix.SetsockoptString(s.fd, level, opt, string(v))
	default:
		n, ierr := netInt(value)
		if ierr != nil {
			return nil, interp.Errorf(interp.TypeError, "a bytes-like object is required, not '%s'", interp.PyTypeName(value))
		}
		err = unix.SetsockoptInt(s.fd, level, opt, n)
	}
	return starlark.None, sockErr(err)
}

// sockGetsockopt is getsockopt(level, optname, buflen=0): an int, or
// buflen bytes of the option's value.
func sockGetsockopt(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var levelV, optV starlark.Value
	var buflenV starlark.Value = starlark.MakeInt(0)
	if err := starlark.UnpackPositionalArgs("getsockopt", args, kwargs, 2, &levelV, &optV, &buflenV); err != nil {
		return nil, err
	}
	level, err := netInt(levelV)
	if err != nil {
		return nil, err
	}
	opt, err := netInt(optV)
	if err != nil {
		return nil, err
	}
	buflen, err := netInt(buflenV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	if buflen == 0 {
		n, err := unix.GetsockoptInt(s.fd, level, opt)
		if err != nil {
			return nil, sockErr(err)
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
		return nil, sockErr(e)
	}
	return starlark.Bytes(buf[:l]), nil
}

// sockTimeoutArg reads settimeout's argument with CPython's messages.
func sockTimeoutArg(v starlark.Value) (time.Duration, error) {
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
	if f > timeoutMax {
		return 0, interp.Errorf(interp.OverflowError, "timeout doesn't fit into C timeval")
	}
	if f == 0 {
		return 0, nil
	}
	return secondsToDuration(f), nil
}

func sockSettimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs("settimeout", args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	d, err := sockTimeoutArg(v)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if err := s.closedCheck(); err != nil {
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
	if err := s.closedCheck(); err != nil {
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
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	return starlark.Bool(s.timeout != 0), nil
}

// sockMakefile is makefile(mode='r', buffering=None, *, encoding=None,
// errors=None, newline=None).
func sockMakefile(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	mode := "r"
	var buffering, encoding, errorsArg, newline starlark.Value = starlark.None, starlark.None, starlark.None, starlark.None
	if err := starlark.UnpackArgs("makefile", args, kwargs, "mode?", &mode, "buffering?", &buffering,
		"encoding?", &encoding, "errors?", &errorsArg, "newline?", &newline); err != nil {
		return nil, err
	}
	for _, c := range mode {
		if !strings.ContainsRune("rwb", c) {
			return nil, interp.Errorf(interp.ValueError, "invalid mode %s (only r, w, b allowed)", interp.PyRepr(starlark.String(mode)))
		}
	}
	s := b.Receiver().(*Socket)
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	enc, encName := "utf-8", "UTF-8"
	if s, ok := encoding.(starlark.String); ok {
		var known bool
		if enc, known = ioEncoding(string(s)); !known {
			return nil, interp.Errorf(interp.LookupError, "unknown encoding: %s (starlab supports utf-8, ascii and latin-1)", s)
		}
		encName = string(s)
	}
	if !strings.ContainsAny(mode, "rw") {
		mode = "r" + mode
	}
	return newSockFile(s, mode, enc, encName), nil
}

// sockSendfile is sendfile(file, offset=0, count=None): the file's bytes
// from offset, by sendfile(2); the file's position ends after them.
func sockSendfile(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fileV starlark.Value
	var offsetV, countV starlark.Value = starlark.MakeInt(0), starlark.None
	if err := starlark.UnpackArgs("sendfile", args, kwargs, "file", &fileV, "offset?", &offsetV, "count?", &countV); err != nil {
		return nil, err
	}
	var f *ioFile
	switch v := fileV.(type) {
	case *iterFile:
		f = v.ioFile
	case *ioFile:
		f = v
	}
	if f == nil || f.kind != ioOS {
		return nil, interp.Errorf(interp.TypeError, "sendfile: file must be a file object from open(..., 'rb'), not %s", interp.PyTypeName(fileV))
	}
	if !f.binary {
		return nil, interp.Errorf(interp.ValueError, "file should be opened in binary mode")
	}
	offset, err := netInt(offsetV)
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, interp.Errorf(interp.ValueError, "offset must be a non-negative integer (got %d)", offset)
	}
	count := -1
	if countV != starlark.None {
		if count, err = netInt(countV); err != nil {
			return nil, err
		}
		if count <= 0 {
			return nil, interp.Errorf(interp.ValueError, "count must be a positive integer (got %d)", count)
		}
	}
	s := b.Receiver().(*Socket)
	if s.typ != unix.SOCK_STREAM {
		return nil, interp.Errorf(interp.ValueError, "only SOCK_STREAM type sockets are supported")
	}
	if err := s.closedCheck(); err != nil {
		return nil, err
	}
	if s.timeout == 0 {
		return nil, interp.Errorf(interp.ValueError, "non-blocking sockets are not supported")
	}
	if err := f.check(true, false); err != nil {
		return nil, err
	}
	if f.w != nil {
		if err := f.w.Flush(); err != nil {
			return nil, oserrFromGo(err, "")
		}
	}
	infd := osFd(f.f)
	off := int64(offset)
	total := 0
	deadline := s.deadline()
	for count < 0 || total < count {
		chunk := 1 << 30
		if count >= 0 {
			chunk = count - total
		}
		var n int
		err := s.wait(th, "socket.sendfile", true, deadline, func(fd int) error {
			var err error
			for {
				n, err = unix.Sendfile(fd, infd, &off, chunk)
				if err != unix.EINTR {
					return err
				}
			}
		})
		if err != nil {
			return nil, sockErr(err)
		}
		if n == 0 {
			break // end of the file
		}
		total += n
	}
	if total > 0 {
		if _, err := f.f.Seek(off, 0); err != nil {
			return nil, oserrFromGo(err, "")
		}
		if f.r != nil {
			f.r.reset()
		}
	}
	return starlark.MakeInt(total), nil
}

// Module functions.

func (m *socketModule) socketpair(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	family, typ, proto := unix.AF_UNIX, unix.SOCK_STREAM, 0
	if err := starlark.UnpackArgs("socketpair", args, kwargs, "family?", &family, "type?", &typ, "proto?", &proto); err != nil {
		return nil, err
	}
	if m.it.Sched().Sim() {
		return nil, errSimSockets()
	}
	fds, err := unix.Socketpair(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, oserrFromGo(err, "")
	}
	a, err := m.newSocketFD(fds[0], family, typ, proto)
	if err != nil {
		unix.Close(fds[1])
		return nil, err
	}
	c, err := m.newSocketFD(fds[1], family, typ, proto)
	if err != nil {
		a.close()
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
	port, err := netInt(tup[1])
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
func (m *socketModule) createConnection(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
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
		if timeout, err = sockTimeoutArg(timeoutV); err != nil {
			return nil, err
		}
	}
	if m.it.Sched().Sim() {
		return nil, errSimSockets()
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
		s, err := m.openSocket(family, unix.SOCK_STREAM, 0)
		if err != nil {
			return nil, err
		}
		s.timeout = timeout
		if source != starlark.None {
			ssa, err := m.sockaddr(th, "bind", family, source)
			if err == nil {
				err = sockErr(unix.Bind(s.fd, ssa))
			}
			if err != nil {
				s.close()
				return nil, err
			}
		}
		err = s.connect(th, sa)
		if err == nil {
			return s, nil
		}
		s.close()
		perr := sockErr(err)
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
func (m *socketModule) createServer(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
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
	s, err := m.openSocket(family, unix.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (starlark.Value, error) {
		s.close()
		return nil, err
	}
	if err := unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fail(sockErr(err))
	}
	if reusePort {
		if err := unix.SetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
			return fail(sockErr(err))
		}
	}
	if family == unix.AF_INET6 {
		v6only := 1
		if dualstack {
			v6only = 0
		}
		unix.SetsockoptInt(s.fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v6only)
	}
	sa, err := m.sockaddr(th, "bind", family, address)
	if err != nil {
		return fail(err)
	}
	if err := unix.Bind(s.fd, sa); err != nil {
		// CPython re-raises a bind error with the address in the message.
		var errno syscall.Errno
		errors.As(err, &errno)
		msg := fmt.Sprintf("%s (while attempting to bind on address %s)", oserrStrerror(errno), interp.PyRepr(address))
		return fail(interp.Raise(interp.NewException(interp.OSError, starlark.MakeInt(int(errno)), starlark.String(msg))))
	}
	backlog := 128
	if backlogV != starlark.None {
		if backlog, err = netInt(backlogV); err != nil {
			return fail(err)
		}
	}
	if err := unix.Listen(s.fd, max(backlog, 0)); err != nil {
		return fail(sockErr(err))
	}
	return s, nil
}

// getaddrinfo is getaddrinfo(host, port, family=0, type=0, proto=0,
// flags=0): a list of (family, type, proto, canonname, sockaddr).
func (m *socketModule) getaddrinfo(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
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
				starlark.String(""), sockaddrValue(sa)})
		}
	}
	return starlark.NewList(out), nil
}

func (m *socketModule) gethostbyname(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
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
		return nil, oserrFromGo(err, "")
	}
	return starlark.String(name), nil
}

func (m *socketModule) getdefaulttimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getdefaulttimeout", args, kwargs, 0); err != nil {
		return nil, err
	}
	return timeoutValue(m.defaultTimeout), nil
}

func (m *socketModule) setdefaulttimeout(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs("setdefaulttimeout", args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	d, err := sockTimeoutArg(v)
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
	return starlark.Bytes(b4[:]), nil
}

func sockInetNtoa(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs("inet_ntoa", args, kwargs, 1, &v); err != nil {
		return nil, err
	}
	data, err := netBytes(v)
	if err != nil {
		return nil, err
	}
	if len(data) != 4 {
		return nil, interp.Errorf(interp.OSError, "packed IP wrong length for inet_ntoa")
	}
	return starlark.String(netip.AddrFrom4([4]byte{data[0], data[1], data[2], data[3]}).String()), nil
}
