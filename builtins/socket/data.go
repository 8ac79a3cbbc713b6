package socket

import (
	"unsafe"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"
)

// bytesData views a bytes value's data without copying; never written to.
func bytesData(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
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
func bytesResult(buf []byte, n int) interp.Bytes {
	if n == 0 {
		return ""
	}
	if n < len(buf)/2 {
		return interp.Bytes(buf[:n])
	}
	return interp.Bytes(unsafe.String(&buf[0], n))
}

// sockRecv is recv(bufsize, flags=0) and recvfrom(bufsize, flags=0), which
// returns (data, address); b"" means the peer closed the connection.
func sockRecv(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var bufsizeV, flagsV starlark.Value = nil, starlark.MakeInt(0)
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &bufsizeV, &flagsV); err != nil {
		return nil, err
	}
	bufsize, err := pyarg.CInt(bufsizeV)
	if err != nil {
		return nil, err
	}
	flags, err := pyarg.CInt(flagsV)
	if err != nil {
		return nil, err
	}
	s := b.Receiver().(*Socket)
	if bufsize < 0 {
		return nil, interp.Errorf(interp.ValueError, "negative buffersize in %s", b.Name())
	}
	if err := s.CheckOpen(); err != nil {
		return nil, err
	}
	data, from, err := s.Recv(th, "socket."+b.Name(), bufsize, flags, b.Name() == "recvfrom")
	if err != nil {
		return nil, Err(err)
	}
	if b.Name() == "recvfrom" {
		return starlark.Tuple{data, SockaddrValue(from)}, nil
	}
	return data, nil
}

// Recv is one recv(2) (or recvfrom(2) with from) of at most bufsize bytes,
// with the socket's blocking mode; the error is raw, for sockErr.
//
// The data lands in the socket's reusable buffer. A reply that fills most
// of it becomes the bytes value as it is, without a copy (the socket gets a
// new buffer next time), as CPython's recv does: a 64 KiB bulk read copies
// nothing twice. A short one is copied out, so that recv(65536) on an
// interactive connection does not allocate 64 KiB a call.
func (s *Socket) Recv(th *starlark.Thread, reason string, bufsize, flags int, withFrom bool) (interp.Bytes, unix.Sockaddr, error) {
	buf, scratch := s.takeScratch(bufsize)
	if scratch {
		defer func() { s.scratchBusy = false }()
	} else {
		buf = make([]byte, min(bufsize, 16<<20))
	}
	var n int
	var from unix.Sockaddr
	err := s.Wait(th, reason, false, s.Deadline(), func(fd int) error {
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
		return interp.Bytes(unsafe.String(&buf[0], n)), from, nil
	}
	if scratch {
		return interp.Bytes(buf[:n]), from, nil // a copy: the buffer is reused
	}
	return bytesResult(buf, n), from, nil
}

// RecvInto reads into p for a socket file (makefile, rfile): (0, nil) at
// the end. The error is raw (for sockErr).
func (s *Socket) RecvInto(th *starlark.Thread, reason string, p []byte) (int, error) {
	var n int
	err := s.Wait(th, reason, false, s.Deadline(), func(fd int) error {
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
	data, err := pyarg.Bytes(dataV)
	if err != nil {
		return nil, 0, err
	}
	flags, err := pyarg.CInt(flagsV)
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
	err = s.Wait(th, "socket.send", true, s.Deadline(), func(fd int) error {
		var err error
		n, err = sysSend(fd, p, flags)
		return err
	})
	if err != nil {
		return nil, Err(err)
	}
	return starlark.MakeInt(n), nil
}

// SendAll sends all of p (a raw error for sockErr). The timeout bounds the
// whole call, as in CPython 3.5+.
func (s *Socket) SendAll(th *starlark.Thread, reason string, p []byte, flags int) error {
	deadline := s.Deadline()
	for {
		var n int
		err := s.Wait(th, reason, true, deadline, func(fd int) error {
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
	if err := s.SendAll(th, "socket.sendall", p, flags); err != nil {
		return nil, Err(err)
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
	data, err := pyarg.Bytes(args[0])
	if err != nil {
		return nil, err
	}
	flags := 0
	addr := args[len(args)-1]
	if len(args) == 3 {
		if flags, err = pyarg.CInt(args[1]); err != nil {
			return nil, err
		}
	}
	s := b.Receiver().(*Socket)
	sa, err := s.m.Sockaddr(th, "sendto", s.family, addr)
	if err != nil {
		return nil, err
	}
	p := bytesData(data)
	err = s.Wait(th, "socket.sendto", true, s.Deadline(), func(fd int) error {
		for {
			err := unix.Sendto(fd, p, flags|unix.MSG_NOSIGNAL, sa)
			if err != unix.EINTR {
				return err
			}
		}
	})
	if err != nil {
		return nil, Err(err)
	}
	return starlark.MakeInt(len(p)), nil
}
