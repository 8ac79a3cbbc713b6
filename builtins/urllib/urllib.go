// Package urllib is the part of Python's urllib that the course's gevent
// download example needs: urllib.request.urlopen (and Request), and
// urllib.error's URLError and HTTPError, on Go's net/http.
//
//	resp = urllib.request.urlopen("http://127.0.0.1:8000/", timeout = 5)
//	data = resp.read()              # bytes
//	print(resp.status, resp.getheader("Content-Type"), len(data))
//
// As in Python: urlopen(url, data=None, timeout) sends a GET (a POST with
// data), follows redirects, returns a response with read(), readline(),
// status, reason, getcode(), getheader(), getheaders(), geturl(), info()
// and close(); a status of 400 or more raises HTTPError (code, reason,
// headers, and read() of the error page); a connection that fails raises
// URLError ("<urlopen error [Errno 111] Connection refused>"); a timeout
// while connecting is URLError("timed out"), while waiting for the answer
// TimeoutError. Each blocking step is an external wait of the scheduler, so
// other threads run meanwhile, and other greenlets too once
// gevent.monkey.patch_all() patched sockets.
//
// What departs: starlab reaches loopback hosts only (localhost, 127.0.0.1,
// ::1). Any other host fails with URLError as it would offline, and no
// packet leaves the machine: no name is resolved, and the dialer refuses an
// address that is not loopback before it connects (a redirect elsewhere
// and a proxy from the environment included). Labs run a local server. In
// sim mode, urlopen raises RuntimeError, as real sockets do. str(e) of a
// URLError is Python's "<urlopen error ...>", and that text is also its
// args[0]; e.reason is the reason.
package urllib

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// The module's exception classes, immutable and shared by every run.
var (
	// URLError is urllib.error.URLError, an OSError.
	URLError = interp.NewModuleExceptionClass("urllib.error", "URLError", interp.OSError)
	// HTTPError is urllib.error.HTTPError: a status of 400 or more.
	HTTPError = interp.NewModuleExceptionClass("urllib.error", "HTTPError", URLError)
)

// New returns the urllib module of a run, with its request and error
// submodules. Its HTTP client is the run's own; its idle connections are
// closed when the run ends.
func New(it *interp.Interp) *starlarkstruct.Module {
	m := &module{it: it}
	tr := &http.Transport{
		Proxy:                 nil, // never a proxy: it would not be loopback
		DialContext:           dialLoopback,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: 0,
	}
	m.client = &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			if _, err := loopbackHost(req.URL.Hostname()); err != nil {
				return err
			}
			return nil
		},
	}
	it.Track(tr.CloseIdleConnections)
	return &starlarkstruct.Module{
		Name: "urllib",
		Members: starlark.StringDict{
			"request": &starlarkstruct.Module{
				Name: "urllib.request",
				Members: starlark.StringDict{
					"urlopen": starlark.NewBuiltin("urlopen", m.urlopen),
					"Request": starlark.NewBuiltin("Request", newRequest),
				},
			},
			"error": &starlarkstruct.Module{
				Name: "urllib.error",
				Members: starlark.StringDict{
					"URLError":  URLError,
					"HTTPError": HTTPError,
				},
			},
		},
	}
}

type module struct {
	it     *interp.Interp
	client *http.Client
}

// errNotLoopback is why a host other than a loopback one is refused.
type errNotLoopback struct{ host string }

func (e errNotLoopback) Error() string {
	return "[Errno -3] Temporary failure in name resolution (starlab reaches loopback hosts only: localhost, 127.0.0.1, ::1; not " + e.host + ")"
}

// loopbackHost returns the loopback address host names, without resolving
// anything: "localhost" and loopback IP literals only.
func loopbackHost(host string) (net.IP, error) {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return net.IPv4(127, 0, 0, 1), nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return ip, nil
	}
	return nil, errNotLoopback{host}
}

// dialLoopback is the transport's dialer: it connects to loopback addresses
// only, checking the address again just before connect(2).
func dialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ip, err := loopbackHost(host)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Control: func(_, address string, _ syscall.RawConn) error {
		h, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() {
			return errNotLoopback{h}
		}
		return nil
	}}
	return d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
}

// urlError raises URLError with reason, as "<urlopen error REASON>".
func urlError(reason string) error {
	exc := interp.NewException(URLError, starlark.String("<urlopen error "+reason+">"))
	exc.SetAttr("reason", starlark.String(reason))
	return interp.Raise(exc)
}

// reasonOf words a Go network error as Python's urlopen does.
func reasonOf(err error) string {
	var nl errNotLoopback
	if errors.As(err, &nl) {
		return nl.Error()
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return fmt.Sprintf("[Errno %d] %s", int(errno), strings.ToUpper(s[:1])+s[1:])
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// timeoutOf reads urlopen's timeout: None or absent is no timeout.
func timeoutOf(v starlark.Value) (time.Duration, error) {
	if v == nil || v == starlark.None {
		return -1, nil
	}
	f, ok := starlark.AsFloat(v)
	if !ok {
		return 0, interp.Errorf(interp.TypeError, "urlopen: timeout must be a number, not %s", interp.PyTypeName(v))
	}
	if f < 0 || f != f {
		return 0, interp.Errorf(interp.ValueError, "Timeout value out of range")
	}
	return max(time.Duration(f*float64(time.Second)), 1), nil
}
