package urllib

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sort"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/internal/pyarg"
	"github.com/starlab-dev/starlab/interp"
)

// Request is urllib.request.Request(url, data=None, headers={}, method=None).
type Request struct {
	url     string
	data    starlark.Value // None or bytes
	headers [][2]string
	method  string
}

func newRequest(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var u string
	var data, headers, method starlark.Value = starlark.None, starlark.None, starlark.None
	if err := starlark.UnpackArgs("Request", args, kwargs, "url", &u, "data?", &data, "headers?", &headers, "method?", &method); err != nil {
		return nil, err
	}
	r := &Request{url: u, data: data}
	if err := checkData(data); err != nil {
		return nil, err
	}
	if d, ok := headers.(*starlark.Dict); ok {
		for _, kv := range d.Items() {
			r.headers = append(r.headers, [2]string{interp.PyStr(kv[0]), interp.PyStr(kv[1])})
		}
	} else if headers != starlark.None {
		return nil, interp.Errorf(interp.TypeError, "Request: headers must be a dict, not %s", interp.PyTypeName(headers))
	}
	if method != starlark.None {
		r.method = strings.ToUpper(interp.PyStr(method))
	}
	return r, nil
}

func checkData(data starlark.Value) error {
	if _, ok := interp.AsBytes(data); !ok && data != starlark.None {
		return interp.Errorf(interp.TypeError, "POST data should be bytes, an iterable of bytes, or a file object. It cannot be of type %s.", interp.PyTypeName(data))
	}
	return nil
}

func (r *Request) getMethod() string {
	if r.method != "" {
		return r.method
	}
	if r.data != starlark.None {
		return "POST"
	}
	return "GET"
}

var requestMethods = map[string]*starlark.Builtin{
	"get_method": starlark.NewBuiltin("get_method", reqGetMethod),
	"add_header": starlark.NewBuiltin("add_header", reqAddHeader),
}

func (r *Request) String() string        { return "<urllib.request.Request object>" }
func (r *Request) Type() string          { return "urllib.request.Request" }
func (r *Request) Freeze()               {}
func (r *Request) Truth() starlark.Bool  { return true }
func (r *Request) Hash() (uint32, error) { return interp.IdentityHash(r), nil }
func (r *Request) AttrNames() []string {
	return append(interp.SortedAttrNames(requestMethods), "data", "full_url", "headers", "method")
}

func (r *Request) Attr(name string) (starlark.Value, error) {
	switch name {
	case "full_url":
		return starlark.String(r.url), nil
	case "data":
		return r.data, nil
	case "method":
		if r.method == "" {
			return starlark.None, nil
		}
		return starlark.String(r.method), nil
	case "headers":
		d := starlark.NewDict(len(r.headers))
		for _, h := range r.headers {
			d.SetKey(starlark.String(h[0]), starlark.String(h[1]))
		}
		return d, nil
	}
	if b, ok := requestMethods[name]; ok {
		return b.BindReceiver(r), nil
	}
	return nil, nil
}

func reqGetMethod(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("get_method", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.String(b.Receiver().(*Request).getMethod()), nil
}

func reqAddHeader(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var k, v string
	if err := starlark.UnpackPositionalArgs("add_header", args, kwargs, 2, &k, &v); err != nil {
		return nil, err
	}
	r := b.Receiver().(*Request)
	r.headers = append(r.headers, [2]string{k, v})
	return starlark.None, nil
}

// urlopen is urlopen(url, data=None, timeout=None): url a str or a Request.
func (m *module) urlopen(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var target, data, timeout starlark.Value = nil, starlark.None, starlark.None
	if err := starlark.UnpackArgs("urlopen", args, kwargs, "url", &target, "data?", &data, "timeout?", &timeout); err != nil {
		return nil, err
	}
	var req *Request
	switch v := target.(type) {
	case starlark.String:
		req = &Request{url: string(v), data: starlark.None}
	case *Request:
		req = v
	default:
		return nil, interp.Errorf(interp.AttributeError, "'%s' object has no attribute 'timeout'", interp.PyTypeName(target))
	}
	if data != starlark.None {
		if err := checkData(data); err != nil {
			return nil, err
		}
		copy := *req
		copy.data = data
		req = &copy
	}
	d, err := timeoutOf(timeout)
	if err != nil {
		return nil, err
	}
	t, err := pyarg.CurrentThread(th)
	if err != nil {
		return nil, err
	}
	if m.it.Sched().Sim() {
		return nil, interp.Errorf(interp.RuntimeError, "real sockets can't run in sim mode (--sim); run without --sim")
	}
	u, err := url.Parse(req.url)
	if err != nil || u.Scheme == "" {
		return nil, interp.Errorf(interp.ValueError, "unknown url type: %s", interp.PyRepr(starlark.String(req.url)))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, urlError("unknown url type: " + u.Scheme)
	}
	if u.Host == "" {
		return nil, urlError("no host given")
	}
	if _, err := loopbackHost(u.Hostname()); err != nil {
		return nil, urlError(reasonOf(err)) // refused before anything is sent
	}
	return m.do(t, req, u, d)
}

// do sends the request and waits for the answer's headers, as an external
// wait; the body is read later by read().
func (m *module) do(t *interp.Thread, req *Request, u *url.URL, timeout time.Duration) (starlark.Value, error) {
	var body io.Reader
	if b, ok := interp.AsBytes(req.data); ok {
		body = strings.NewReader(b)
	}
	ctx, cancelCtx := context.WithCancel(context.Background())
	connected := false
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected = true }})
	hreq, err := http.NewRequestWithContext(ctx, req.getMethod(), u.String(), body)
	if err != nil {
		cancelCtx()
		return nil, urlError(err.Error())
	}
	hreq.Header.Set("User-Agent", "Python-urllib/3.11")
	for _, h := range req.headers {
		hreq.Header.Set(h[0], h[1])
	}
	if body != nil && hreq.Header.Get("Content-Type") == "" {
		hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	var resp *http.Response
	timedOut := false
	err = m.it.Sched().External(t, "urlopen", func(cancel <-chan struct{}) error {
		stop := watch(cancel, timeout, cancelCtx, &timedOut)
		defer stop()
		var err error
		resp, err = m.client.Do(hreq)
		return err
	})
	if err != nil {
		cancelCtx()
		if isInterp(err) {
			return nil, err
		}
		if timedOut {
			if connected {
				return nil, interp.Errorf(interp.TimeoutError, "timed out")
			}
			return nil, urlError("timed out")
		}
		return nil, urlError(reasonOf(err))
	}
	r := &Response{m: m, t: t, resp: resp, body: bufio.NewReader(resp.Body), cancel: cancelCtx, timeout: timeout, url: resp.Request.URL.String()}
	untrack := m.it.Track(func() { resp.Body.Close(); cancelCtx() })
	r.untrack = untrack
	if resp.StatusCode >= 400 {
		return nil, r.httpError()
	}
	return r, nil
}

// watch cancels the request when the External wait is cancelled (Ctrl-C,
// the thread stopped) or the timeout passes; stop ends the watch.
func watch(cancel <-chan struct{}, timeout time.Duration, cancelCtx func(), timedOut *bool) (stop func()) {
	done := make(chan struct{})
	fired := make(chan bool, 1)
	var tc <-chan time.Time
	var tm *time.Timer
	if timeout >= 0 {
		tm = time.NewTimer(timeout)
		tc = tm.C
	}
	go func() {
		select {
		case <-cancel:
			cancelCtx()
			fired <- false
		case <-tc:
			cancelCtx()
			fired <- true
		case <-done:
			fired <- false
		}
	}()
	return func() {
		close(done)
		*timedOut = <-fired
		if tm != nil {
			tm.Stop()
		}
	}
}

// headerList is the answer's headers as (name, value) pairs, sorted by name
// (Go keeps them in a map, so the server's order is lost).
func headerList(h http.Header) starlark.Tuple {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out starlark.Tuple
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, starlark.Tuple{starlark.String(k), starlark.String(v)})
		}
	}
	return out
}
