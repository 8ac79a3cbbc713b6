package multiprocessing

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/builtins/threading"
	"github.com/starlab-dev/starlab/interp"
)

// The parent serves its shared objects on a Unix socket, started with the
// first one. A request is one frame, (id, method, args, kwargs); the reply
// ("ok", result) or ("err", class name, message). A child keeps a few
// connections open and uses one per call in flight.

// registry is the parent's table of shared objects and its server.
type registry struct {
	mu   sync.Mutex
	objs map[uint64]object
	next uint64
	ln   net.Listener
	addr string
}

// register adds obj (in the parent) and returns its proxy. In sim mode
// every process of the run shares one registry and calls the objects
// directly: no server, and the object blocks its callers through the
// scheduler (cond.sched).
func (m *Module) register(obj object) (*proxy, error) {
	r := m.reg
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := m.it.Sched(); s.Sim() {
		if b, ok := obj.(interface{ base() *cond }); ok {
			b.base().sched = s
		}
		if r.objs == nil {
			r.objs = make(map[uint64]object)
		}
	} else if r.ln == nil {
		dir, err := os.MkdirTemp("", "starlab-mp-")
		if err != nil {
			return nil, interp.Errorf(interp.OSError, "multiprocessing: %v", err)
		}
		addr := filepath.Join(dir, "s")
		ln, err := net.Listen("unix", addr)
		if err != nil {
			os.RemoveAll(dir)
			return nil, interp.Errorf(interp.OSError, "multiprocessing: %v", err)
		}
		r.ln, r.addr, r.objs = ln, addr, make(map[uint64]object)
		m.it.Track(func() { ln.Close(); os.RemoveAll(dir) })
		go m.serve(ln)
	}
	r.next++
	r.objs[r.next] = obj
	if sem, ok := obj.(*semaphore); ok && m.it.Sched().Sim() {
		sem.label = fmt.Sprintf("multiprocessing.%s-%d", sem.name, r.next)
		sem.q.Of = sem
	}
	return &proxy{m: m, kind: obj.kind(), id: r.next, obj: obj}, nil
}

func (m *Module) lookup(id uint64) object {
	m.reg.mu.Lock()
	defer m.reg.mu.Unlock()
	return m.reg.objs[id]
}

func (m *Module) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go m.serveConn(c)
	}
}

// serveConn answers one child connection's requests, one at a time. A
// reader goroutine watches the connection meanwhile: if the child goes
// away (killed while it waits in q.get()), the wait is cancelled, so a dead
// child never takes an item or a lock.
func (m *Module) serveConn(c net.Conn) {
	frames := make(chan []byte)
	gone := make(chan struct{})
	quit := make(chan struct{})
	defer func() { close(quit); c.Close() }()
	go func() {
		defer close(gone)
		for {
			frame, err := readFrame(c)
			if err != nil {
				return
			}
			select {
			case frames <- frame:
			case <-quit:
				return
			}
		}
	}()
	for {
		var frame []byte
		select {
		case frame = <-frames:
		case <-gone:
			return
		}
		reply := m.answer(frame, gone)
		if writeFrame(c, reply) != nil {
			return
		}
	}
}

func (m *Module) answer(frame []byte, cancel <-chan struct{}) []byte {
	res, err := m.handleSafely(frame, cancel)
	var msg starlark.Tuple
	if err == nil {
		if p, e := encodeValue(starlark.Tuple{starlark.String("ok"), res}, m.refOf); e == nil {
			return p
		} else {
			err = e
		}
	}
	exc := interp.ExceptionFromError(err)
	if exc == nil {
		exc = interp.NewException(interp.RuntimeError, starlark.String(err.Error()))
	}
	msg = starlark.Tuple{starlark.String("err"), starlark.String(exc.Class().Name()), starlark.String(exc.Message())}
	p, _ := encodeValue(msg, nil)
	return p
}

// handleSafely is handle, with a request that makes a method panic (a
// bug, or a malformed request with too few arguments) answered as an
// error instead of ending the parent.
func (m *Module) handleSafely(frame []byte, cancel <-chan struct{}) (v starlark.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, interp.Errorf(interp.SystemError, "internal error in starlab's multiprocessing server (please report it): %v", r)
		}
	}()
	return m.handle(frame, cancel)
}

func (m *Module) handle(frame []byte, cancel <-chan struct{}) (starlark.Value, error) {
	v, err := decodeValue(frame, m.resolveLocal)
	if err != nil {
		return nil, err
	}
	req, ok := v.(starlark.Tuple)
	if !ok || len(req) != 4 {
		return nil, wireErrorf("bad request")
	}
	id, err1 := starlark.AsInt32(req[0])
	method, ok1 := req[1].(starlark.String)
	args, ok2 := req[2].(starlark.Tuple)
	kw, ok3 := req[3].(*starlark.Dict)
	if err1 != nil || !ok1 || !ok2 || !ok3 {
		return nil, wireErrorf("bad request")
	}
	obj := m.lookup(uint64(id))
	if obj == nil {
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: no shared object %d", id)
	}
	return obj.call(string(method), args, kwargs(kw), &waiter{cancel: cancel})
}

func kwargs(d *starlark.Dict) []starlark.Tuple {
	var out []starlark.Tuple
	for _, kv := range d.Items() {
		out = append(out, starlark.Tuple{kv[0], kv[1]})
	}
	return out
}

// resolveLocal turns a reference into the parent's own proxy.
func (m *Module) resolveLocal(r any) (starlark.Value, error) {
	if ref, ok := r.(Ref); ok {
		if obj := m.lookup(ref.ID); obj != nil {
			return wrapProxy(&proxy{m: m, kind: ref.Kind, id: ref.ID, obj: obj}), nil
		}
	}
	return nil, wireErrorf("unknown reference")
}

// resolveRemote turns a reference into a proxy that calls the parent (in
// sim mode, where the processes share the registry, the object itself).
func (m *Module) resolveRemote(r any) (starlark.Value, error) {
	if m.it.Sched().Sim() {
		return m.resolveLocal(r)
	}
	if ref, ok := r.(Ref); ok {
		return wrapProxy(&proxy{m: m, kind: ref.Kind, id: ref.ID}), nil
	}
	return nil, wireErrorf("unexpected reference")
}

// client is a child's connections to its parent's server.
type client struct {
	addr string
	mu   sync.Mutex
	idle []net.Conn
}

func (c *client) get() (net.Conn, error) {
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		conn := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return conn, nil
	}
	c.mu.Unlock()
	return net.Dial("unix", c.addr)
}

func (c *client) put(conn net.Conn) {
	c.mu.Lock()
	c.idle = append(c.idle, conn)
	c.mu.Unlock()
}

// blocking are the methods that may wait: they run without the baton.
var blocking = map[string]bool{"acquire": true, "get": true, "put": true, "wait": true, "recv": true, "poll": true, "send": true, "join": true}

// invoke calls method on the shared object behind p, from thread th.
func (p *proxy) invoke(th *starlark.Thread, method string, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	m := p.m
	kwd := starlark.NewDict(len(kw))
	for _, kv := range kw {
		kwd.SetKey(kv[0], kv[1])
	}
	if p.obj != nil && m.it.Sched().Sim() {
		return p.invokeSim(th, method, args, kwd)
	}
	if p.obj != nil { // in the parent: call it here, on copies
		call, err := m.copyCall(args, kwd)
		if err != nil {
			return nil, err
		}
		var res starlark.Value
		run := func(cancel <-chan struct{}) error {
			res, err = p.obj.call(method, call[0].(starlark.Tuple), kwargs(call[1].(*starlark.Dict)), &waiter{cancel: cancel})
			return err
		}
		if blocking[method] && th != nil {
			t, terr := pyarg.CurrentThread(th)
			if terr != nil {
				return nil, terr
			}
			if werr := t.Sched().External(t, p.kind+"."+method, run); werr != nil {
				return nil, werr
			}
		} else if err := run(nil); err != nil {
			return nil, err
		}
		out, err := encodeValue(res, m.refOf)
		if err != nil {
			return nil, err
		}
		return decodeValue(out, m.resolveLocal)
	}
	if m.client == nil {
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: this shared object's process is gone")
	}
	req, err := encodeValue(starlark.Tuple{starlark.MakeUint64(p.id), starlark.String(method), args, kwd}, m.refOf)
	if err != nil {
		return nil, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	var reply []byte
	err = t.Sched().External(t, p.kind+"."+method, func(cancel <-chan struct{}) error {
		conn, err := m.client.get()
		if err != nil {
			return interp.Errorf(interp.ConnectionError, "multiprocessing: can't reach the parent: %v", err)
		}
		done := make(chan struct{})
		go func() {
			select {
			case <-cancel:
				conn.Close()
			case <-done:
			}
		}()
		defer close(done)
		if err := writeFrame(conn, req); err != nil {
			conn.Close()
			return interp.Errorf(interp.ConnectionError, "multiprocessing: the parent is gone: %v", err)
		}
		reply, err = readFrame(conn)
		if err != nil {
			conn.Close()
			return interp.Errorf(interp.ConnectionError, "multiprocessing: the parent is gone: %v", err)
		}
		m.client.put(conn)
		return nil
	})
	if err != nil {
		return nil, err
	}
	v, err := decodeValue(reply, m.resolveRemote)
	if err != nil {
		return nil, err
	}
	rep, ok := v.(starlark.Tuple)
	if ok && len(rep) == 2 && rep[0] == starlark.String("ok") {
		return rep[1], nil
	}
	if ok && len(rep) == 3 && rep[0] == starlark.String("err") {
		name, _ := starlark.AsString(rep[1])
		msg, _ := starlark.AsString(rep[2])
		cls := interp.BuiltinExceptions()[name]
		switch name {
		case "Empty":
			cls = m.empty
		case "Full":
			cls = m.full
		case "BrokenBarrierError":
			cls = threading.BrokenBarrierError
		}
		if cls == nil {
			cls = interp.RuntimeError
		}
		if msg == "" {
			return nil, interp.Raise(interp.NewException(cls))
		}
		return nil, interp.Raise(interp.NewException(cls, starlark.String(msg)))
	}
	return nil, wireErrorf("bad reply")
}

func (m *Module) refOfProxy(v starlark.Value) (any, bool) {
	if s, ok := v.(seqProxy); ok {
		v = s.proxy
	}
	if p, ok := v.(*proxy); ok {
		return Ref{Kind: p.kind, ID: p.id}, true
	}
	return nil, false
}

// serverAddr is where this process serves its shared objects ("" if it
// has none): a child's own children reach its parent's objects through it
// only if it proxies them, so a child passes its parent's address on.
func (m *Module) serverAddr() string {
	m.reg.mu.Lock()
	defer m.reg.mu.Unlock()
	if m.reg.addr == "" && m.client != nil {
		return m.client.addr
	}
	return m.reg.addr
}

// invokeSim calls the object directly, in sim mode, from whichever
// process of the run th belongs to. Arguments and result still cross
// encoded, so a child gets copies and the same values are refused as in
// real mode; a blocking method parks th through the scheduler.
func (p *proxy) invokeSim(th *starlark.Thread, method string, args starlark.Tuple, kwd *starlark.Dict) (starlark.Value, error) {
	m := p.m
	call, err := m.copyCall(args, kwd)
	if err != nil {
		return nil, err
	}
	w := &waiter{reason: p.kind + "." + method}
	if th != nil {
		w.t = interp.Current(th)
	}
	res, err := p.obj.call(method, call[0].(starlark.Tuple), kwargs(call[1].(*starlark.Dict)), w)
	if w.err != nil {
		return nil, w.err
	}
	if err != nil {
		return nil, err
	}
	out, err := encodeValue(res, m.refOf)
	if err != nil {
		return nil, err
	}
	return decodeValue(out, m.resolveLocal)
}

// copyCall copies a call's (args, kwargs) as they would cross to the
// parent: encoded and decoded, so the object never shares a value with the
// caller, and what can't cross is refused as in a child.
func (m *Module) copyCall(args starlark.Tuple, kwd *starlark.Dict) (starlark.Tuple, error) {
	payload, err := encodeValue(starlark.Tuple{args, kwd}, m.refOf)
	if err != nil {
		return nil, err
	}
	v, err := decodeValue(payload, m.resolveLocal)
	if err != nil {
		return nil, err
	}
	return v.(starlark.Tuple), nil
}
