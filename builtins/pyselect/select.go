package pyselect

import (
	"math"
	"syscall"
	"time"
	"unsafe"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/builtins/internal/netpoll"
	"github.com/starlab-dev/starlab/builtins/internal/oserr"
	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/internal/pyobj"
	"github.com/starlab-dev/starlab/interp"
)

type selectModule struct{ it *interp.Interp }

// New builds the select module for one run.
func New(it *interp.Interp) *starlarkstruct.Module {
	m := &selectModule{it: it}
	members := starlark.StringDict{
		"select": starlark.NewBuiltin("select", m.selectFn),
		"poll":   starlark.NewBuiltin("poll", m.newPoll),
		"epoll":  starlark.NewBuiltin("epoll", m.newEpoll),
		"error":  interp.OSError,
	}
	for name, v := range map[string]int{
		"POLLIN": unix.POLLIN, "POLLPRI": unix.POLLPRI, "POLLOUT": unix.POLLOUT, "POLLERR": unix.POLLERR,
		"POLLHUP": unix.POLLHUP, "POLLNVAL": unix.POLLNVAL, "POLLRDNORM": 0x40,
		"POLLRDBAND": 0x80, "POLLWRNORM": 0x100, "POLLWRBAND": 0x200,
		"POLLRDHUP": unix.POLLRDHUP,
		"EPOLLIN":   unix.EPOLLIN, "EPOLLOUT": unix.EPOLLOUT, "EPOLLPRI": unix.EPOLLPRI, "EPOLLERR": unix.EPOLLERR,
		"EPOLLHUP": unix.EPOLLHUP, "EPOLLET": unix.EPOLLET, "EPOLLONESHOT": unix.EPOLLONESHOT,
		"EPOLLRDHUP": unix.EPOLLRDHUP, "EPOLLEXCLUSIVE": unix.EPOLLEXCLUSIVE,
		"EPOLLRDNORM": unix.EPOLLRDNORM, "EPOLLWRNORM": unix.EPOLLWRNORM,
	} {
		members[name] = starlark.MakeInt(v)
	}
	return &starlarkstruct.Module{Name: "select", Members: members}
}

// fdOf reads a descriptor argument: an int, or an object with fileno().
func fdOf(th *starlark.Thread, v starlark.Value) (int, error) {
	var fd int
	switch x := v.(type) {
	case netpoll.FD: // a socket, a server: no call into Starlark needed
		fd = x.FD()
	case starlark.Int:
		n, ok := x.Int64()
		if !ok || n > math.MaxInt32 {
			return 0, interp.Errorf(interp.OverflowError, "Python int too large to convert to C int")
		}
		fd = int(n)
	default:
		fileno, err := getFileno(v)
		if err != nil {
			return 0, err
		}
		r, err := starlark.Call(th, fileno, nil, nil)
		if err != nil {
			return 0, err
		}
		n, ok := r.(starlark.Int)
		if !ok {
			return 0, interp.Errorf(interp.TypeError, "fileno() returned a non-integer")
		}
		n64, _ := n.Int64()
		fd = int(n64)
	}
	if fd < 0 {
		return 0, interp.Errorf(interp.ValueError, "file descriptor cannot be a negative integer (%d)", fd)
	}
	return fd, nil
}

func getFileno(v starlark.Value) (starlark.Value, error) {
	if ha, ok := v.(starlark.HasAttrs); ok {
		if f, err := ha.Attr("fileno"); err == nil && f != nil {
			if _, ok := f.(starlark.Callable); ok {
				return f, nil
			}
		}
	}
	return nil, interp.Errorf(interp.TypeError, "argument must be an int, or have a fileno() method.")
}

// selectFn is select.select(rlist, wlist, xlist, timeout=None): the
// objects of each list that are ready, as three new lists.
func (m *selectModule) selectFn(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var lists [3]starlark.Value
	var timeoutV starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs("select", args, kwargs, 3, &lists[0], &lists[1], &lists[2], &timeoutV); err != nil {
		return nil, err
	}
	timeout, err := pyarg.Seconds(timeoutV, "timeout must be a float or None", "timeout must be non-negative")
	if err != nil {
		return nil, err
	}
	var objs [3][]starlark.Value
	for i, l := range lists {
		seq, ok := l.(starlark.Iterable)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "arguments 1-3 must be sequences")
		}
		iter := seq.Iterate()
		var x starlark.Value
		for iter.Next(&x) {
			objs[i] = append(objs[i], x)
		}
		iter.Done()
	}
	if m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	events := [3]int16{unix.POLLIN, unix.POLLOUT, unix.POLLPRI}
	var fds []unix.PollFd
	for i := range objs {
		for _, o := range objs[i] {
			fd, err := fdOf(th, o)
			if err != nil {
				return nil, err
			}
			fds = append(fds, unix.PollFd{Fd: int32(fd), Events: events[i]})
		}
	}
	if _, err := netpoll.Wait(m.it, th, "select.select", fds, timeout); err != nil {
		return nil, err
	}
	// select(2)'s sets: readable on data, end of file or error; writable
	// on room or error; exceptional on urgent data.
	ready := [3]int16{unix.POLLIN | unix.POLLHUP | unix.POLLERR, unix.POLLOUT | unix.POLLERR, unix.POLLPRI}
	var out starlark.Tuple
	k := 0
	for i := range objs {
		var got []starlark.Value
		for _, o := range objs[i] {
			re := fds[k].Revents
			k++
			if re&unix.POLLNVAL != 0 {
				return nil, oserr.Raise(unix.EBADF)
			}
			if re&ready[i] != 0 {
				got = append(got, o)
			}
		}
		out = append(out, starlark.NewList(got))
	}
	return out, nil
}

// pollObject is select.poll(): register descriptors, then poll(timeout_ms).
type pollObject struct {
	m     *selectModule
	fds   []int // in registration order
	masks map[int]int16
	bound map[string]*starlark.Builtin
}

func (m *selectModule) newPoll(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("poll", args, kwargs, 0); err != nil {
		return nil, err
	}
	return &pollObject{m: m, masks: map[int]int16{}}, nil
}

var pollMethods = map[string]*starlark.Builtin{
	"register":   starlark.NewBuiltin("register", pollRegister),
	"modify":     starlark.NewBuiltin("modify", pollRegister),
	"unregister": starlark.NewBuiltin("unregister", pollUnregister),
	"poll":       starlark.NewBuiltin("poll", pollPoll),
}

func (p *pollObject) String() string        { return "<select.poll object>" }
func (p *pollObject) Type() string          { return "select.poll" }
func (p *pollObject) Freeze()               {}
func (p *pollObject) Truth() starlark.Bool  { return true }
func (p *pollObject) Hash() (uint32, error) { return interp.IdentityHash(p), nil }
func (p *pollObject) AttrNames() []string   { return interp.SortedAttrNames(pollMethods) }
func (p *pollObject) Attr(name string) (starlark.Value, error) {
	return pyobj.BindCached(&p.bound, pollMethods, name, p), nil
}

// pollRegister is register(fd, eventmask=POLLIN|POLLPRI|POLLOUT) and
// modify(fd, eventmask), which needs fd registered.
func pollRegister(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fdV starlark.Value
	mask := unix.POLLIN | unix.POLLPRI | unix.POLLOUT
	min := 1
	if b.Name() == "modify" {
		min = 2
	}
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, min, &fdV, &mask); err != nil {
		return nil, err
	}
	fd, err := fdOf(th, fdV)
	if err != nil {
		return nil, err
	}
	p := b.Receiver().(*pollObject)
	if _, ok := p.masks[fd]; !ok {
		if b.Name() == "modify" {
			return nil, oserr.Raise(unix.ENOENT)
		}
		p.fds = append(p.fds, fd)
	}
	p.masks[fd] = int16(mask)
	return starlark.None, nil
}

func pollUnregister(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fdV starlark.Value
	if err := starlark.UnpackPositionalArgs("unregister", args, kwargs, 1, &fdV); err != nil {
		return nil, err
	}
	fd, err := fdOf(th, fdV)
	if err != nil {
		return nil, err
	}
	p := b.Receiver().(*pollObject)
	if _, ok := p.masks[fd]; !ok {
		return nil, interp.Raise(interp.NewException(interp.KeyError, starlark.MakeInt(fd)))
	}
	delete(p.masks, fd)
	for i, x := range p.fds {
		if x == fd {
			p.fds = append(p.fds[:i], p.fds[i+1:]...)
			break
		}
	}
	return starlark.None, nil
}

// pollPoll is poll(timeout=None): timeout in milliseconds, None or
// negative for none; a list of (fd, event) pairs.
func pollPoll(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeoutV starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs("poll", args, kwargs, 0, &timeoutV); err != nil {
		return nil, err
	}
	p := b.Receiver().(*pollObject)
	timeout := time.Duration(-1)
	if timeoutV != starlark.None {
		f, ok := starlark.AsFloat(timeoutV)
		if !ok {
			return nil, interp.Errorf(interp.TypeError, "timeout must be an integer or None")
		}
		if f >= 0 {
			timeout = time.Duration(math.Ceil(f)) * time.Millisecond
		}
	}
	if p.m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	fds := make([]unix.PollFd, len(p.fds))
	for i, fd := range p.fds {
		fds[i] = unix.PollFd{Fd: int32(fd), Events: p.masks[fd]}
	}
	if _, err := netpoll.Wait(p.m.it, th, "select.poll", fds, timeout); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, f := range fds {
		if f.Revents != 0 {
			out = append(out, starlark.Tuple{starlark.MakeInt(int(f.Fd)), starlark.MakeInt(int(uint16(f.Revents)))})
		}
	}
	return starlark.NewList(out), nil
}

// epollObject is select.epoll(): a real epoll instance (edge-triggered
// mode included), waited on through poll(2) of its descriptor.
type epollObject struct {
	m       *selectModule
	epfd    int // -1 once closed
	untrack func()
	bound   map[string]*starlark.Builtin
}

func (m *selectModule) newEpoll(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	sizehint, flags := -1, 0
	if err := starlark.UnpackArgs("epoll", args, kwargs, "sizehint?", &sizehint, "flags?", &flags); err != nil {
		return nil, err
	}
	if m.it.Sched().Sim() {
		return nil, oserr.SimSockets()
	}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, oserr.FromGo(err, "")
	}
	e := &epollObject{m: m, epfd: epfd}
	e.untrack = m.it.Track(func() { unix.Close(epfd) })
	return e, nil
}

var epollMethods = map[string]*starlark.Builtin{
	"register":   starlark.NewBuiltin("register", epollCtl),
	"modify":     starlark.NewBuiltin("modify", epollCtl),
	"unregister": starlark.NewBuiltin("unregister", epollCtl),
	"poll":       starlark.NewBuiltin("poll", epollPoll),
	"close":      starlark.NewBuiltin("close", epollClose),
	"fileno":     starlark.NewBuiltin("fileno", epollFileno),
}

func (e *epollObject) String() string        { return "<select.epoll object>" }
func (e *epollObject) Type() string          { return "select.epoll" }
func (e *epollObject) Freeze()               {}
func (e *epollObject) Truth() starlark.Bool  { return true }
func (e *epollObject) Hash() (uint32, error) { return interp.IdentityHash(e), nil }
func (e *epollObject) AttrNames() []string {
	return append(interp.SortedAttrNames(epollMethods), "closed")
}
func (e *epollObject) Attr(name string) (starlark.Value, error) {
	if name == "closed" {
		return starlark.Bool(e.epfd < 0), nil
	}
	return pyobj.BindCached(&e.bound, epollMethods, name, e), nil
}

func (e *epollObject) check() error {
	if e.epfd < 0 {
		return interp.Errorf(interp.ValueError, "I/O operation on closed epoll object")
	}
	return nil
}

// epollCtl is register(fd, eventmask=EPOLLIN|EPOLLPRI|EPOLLOUT),
// modify(fd, eventmask) and unregister(fd).
func epollCtl(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fdV starlark.Value
	mask := unix.EPOLLIN | unix.EPOLLPRI | unix.EPOLLOUT
	switch b.Name() {
	case "register":
		if err := starlark.UnpackArgs("register", args, kwargs, "fd", &fdV, "eventmask?", &mask); err != nil {
			return nil, err
		}
	case "modify":
		if err := starlark.UnpackArgs("modify", args, kwargs, "fd", &fdV, "eventmask", &mask); err != nil {
			return nil, err
		}
	default:
		if err := starlark.UnpackArgs("unregister", args, kwargs, "fd", &fdV); err != nil {
			return nil, err
		}
	}
	e := b.Receiver().(*epollObject)
	if err := e.check(); err != nil {
		return nil, err
	}
	fd, err := fdOf(th, fdV)
	if err != nil {
		return nil, err
	}
	op := map[string]int{"register": unix.EPOLL_CTL_ADD, "modify": unix.EPOLL_CTL_MOD, "unregister": unix.EPOLL_CTL_DEL}[b.Name()]
	ev := &unix.EpollEvent{Events: uint32(mask), Fd: int32(fd)}
	if err := unix.EpollCtl(e.epfd, op, fd, ev); err != nil {
		return nil, oserr.FromGo(err, "")
	}
	return starlark.None, nil
}

// epollPoll is poll(timeout=None, maxevents=-1): timeout in seconds; a
// list of (fd, events) pairs.
func epollPoll(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var timeoutV starlark.Value = starlark.None
	maxeventsV := starlark.MakeInt(-1)
	if err := starlark.UnpackArgs("poll", args, kwargs, "timeout?", &timeoutV, "maxevents?", &maxeventsV); err != nil {
		return nil, err
	}
	maxevents, err := pyarg.CInt(maxeventsV)
	if err != nil {
		return nil, err
	}
	if maxevents > math.MaxInt32/int(unsafe.Sizeof(unix.EpollEvent{})) {
		return nil, oserr.Raise(syscall.EINVAL) // epoll_wait(2)'s own limit, as CPython reports it
	}
	timeout, err := pyarg.Seconds(timeoutV, "timeout must be an integer or None", "")
	if err != nil {
		return nil, err
	}
	if f, ok := starlark.AsFloat(timeoutV); ok && f < 0 {
		timeout = -1 // epoll: a negative timeout waits forever
	}
	e := b.Receiver().(*epollObject)
	if err := e.check(); err != nil {
		return nil, err
	}
	if maxevents <= 0 {
		maxevents = 256
	}
	fds := []unix.PollFd{{Fd: int32(e.epfd), Events: unix.POLLIN}}
	if _, err := netpoll.Wait(e.m.it, th, "select.epoll.poll", fds, timeout); err != nil {
		return nil, err
	}
	events := make([]unix.EpollEvent, maxevents)
	n, err := unix.EpollWait(e.epfd, events, 0)
	for err == unix.EINTR {
		n, err = unix.EpollWait(e.epfd, events, 0)
	}
	if err != nil {
		return nil, oserr.FromGo(err, "")
	}
	out := make([]starlark.Value, n)
	for i, ev := range events[:n] {
		out[i] = starlark.Tuple{starlark.MakeInt(int(ev.Fd)), starlark.MakeInt64(int64(ev.Events))}
	}
	return starlark.NewList(out), nil
}

func epollClose(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("close", args, kwargs, 0); err != nil {
		return nil, err
	}
	e := b.Receiver().(*epollObject)
	if e.epfd >= 0 {
		unix.Close(e.epfd)
		e.epfd = -1
		e.untrack()
	}
	return starlark.None, nil
}

func epollFileno(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("fileno", args, kwargs, 0); err != nil {
		return nil, err
	}
	e := b.Receiver().(*epollObject)
	if err := e.check(); err != nil {
		return nil, err
	}
	return starlark.MakeInt(e.epfd), nil
}
