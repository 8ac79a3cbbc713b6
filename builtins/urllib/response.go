package urllib

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// Response is what urlopen returns (http.client.HTTPResponse): the status
// and headers at once, the body read by read() and readline(), each read an
// external wait.
type Response struct {
	m       *module
	t       *interp.Thread
	resp    *http.Response
	body    *bufio.Reader
	cancel  func()
	untrack func()
	timeout time.Duration
	url     string
	closed  bool
}

// isInterp reports whether err is the scheduler's (an interrupt, the
// thread stopped) rather than the network's.
func isInterp(err error) bool {
	var pe *interp.PyError
	return errors.As(err, &pe) || interp.IsKilled(err)
}

// httpError makes the HTTPError of a status of 400 or more: it is also the
// response, so e.read() reads the error page.
func (r *Response) httpError() error {
	code := r.resp.StatusCode
	reason := http.StatusText(code)
	exc := interp.NewException(HTTPError, starlark.String("HTTP Error "+itoa(code)+": "+reason))
	exc.SetAttr("code", starlark.MakeInt(code))
	exc.SetAttr("status", starlark.MakeInt(code))
	exc.SetAttr("reason", starlark.String(reason))
	exc.SetAttr("msg", starlark.String(reason))
	exc.SetAttr("url", starlark.String(r.url))
	exc.SetAttr("filename", starlark.String(r.url))
	exc.SetAttr("headers", r.headerDict())
	exc.SetAttr("hdrs", r.headerDict())
	for _, name := range []string{"read", "getcode", "geturl", "getheader", "getheaders", "close"} {
		v, _ := r.Attr(name)
		exc.SetAttr(name, v)
	}
	return interp.Raise(exc)
}

func itoa(n int) string { return starlark.MakeInt(n).String() }

var responseMethods = map[string]*starlark.Builtin{
	"read":       starlark.NewBuiltin("read", respRead),
	"readline":   starlark.NewBuiltin("readline", respRead),
	"close":      starlark.NewBuiltin("close", respClose),
	"getcode":    starlark.NewBuiltin("getcode", respGetcode),
	"geturl":     starlark.NewBuiltin("geturl", respGeturl),
	"getheader":  starlark.NewBuiltin("getheader", respGetheader),
	"getheaders": starlark.NewBuiltin("getheaders", respGetheaders),
	"info":       starlark.NewBuiltin("info", respInfo),
}

func (r *Response) String() string        { return "<http.client.HTTPResponse object>" }
func (r *Response) Type() string          { return "http.client.HTTPResponse" }
func (r *Response) Freeze()               {}
func (r *Response) Truth() starlark.Bool  { return true }
func (r *Response) Hash() (uint32, error) { return interp.IdentityHash(r), nil }
func (r *Response) AttrNames() []string {
	return append(interp.SortedAttrNames(responseMethods), "closed", "code", "headers", "reason", "status", "url")
}

func (r *Response) Attr(name string) (starlark.Value, error) {
	switch name {
	case "status", "code":
		return starlark.MakeInt(r.resp.StatusCode), nil
	case "reason":
		return starlark.String(http.StatusText(r.resp.StatusCode)), nil
	case "url":
		return starlark.String(r.url), nil
	case "headers":
		return r.headerDict(), nil
	case "closed":
		return starlark.Bool(r.closed), nil
	}
	if b, ok := responseMethods[name]; ok {
		return b.BindReceiver(r), nil
	}
	return nil, nil
}

// headerDict is the headers as a dict, name → value (values of a repeated
// header joined by ", ", as getheader does).
func (r *Response) headerDict() *starlark.Dict {
	d := starlark.NewDict(len(r.resp.Header))
	for _, kv := range headerList(r.resp.Header) {
		pair := kv.(starlark.Tuple)
		if old, found, _ := d.Get(pair[0]); found {
			d.SetKey(pair[0], starlark.String(string(old.(starlark.String))+", "+string(pair[1].(starlark.String))))
			continue
		}
		d.SetKey(pair[0], pair[1])
	}
	return d
}

// respRead is read(amt=None) (up to amt bytes, all to the end without it)
// and readline(limit=-1).
func respRead(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var amt starlark.Value = starlark.None
	name := "amt"
	if b.Name() == "readline" {
		name = "limit"
	}
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, name+"?", &amt); err != nil {
		return nil, err
	}
	n := -1
	if amt != starlark.None {
		v, err := starlark.AsInt32(amt)
		if err != nil {
			return nil, interp.Errorf(interp.TypeError, "%s: %s must be an int or None", b.Name(), name)
		}
		n = v
	}
	r := b.Receiver().(*Response)
	if r.closed {
		return interp.Bytes(""), nil
	}
	t := interp.Current(th)
	if t == nil {
		return nil, interp.Errorf(interp.RuntimeError, "not called from a starlab thread")
	}
	var data []byte
	timedOut := false
	err := r.m.it.Sched().External(t, "urlopen.read", func(cancel <-chan struct{}) error {
		stop := watch(cancel, r.timeout, r.cancel, &timedOut)
		defer stop()
		var err error
		switch {
		case b.Name() == "readline":
			data, err = readLine(r.body, n)
		case n < 0:
			data, err = io.ReadAll(r.body)
		default:
			data = make([]byte, n)
			var got int
			got, err = io.ReadFull(r.body, data)
			data = data[:got]
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				err = nil
			}
		}
		return err
	})
	if err != nil {
		if isInterp(err) {
			return nil, err
		}
		if timedOut {
			return nil, interp.Errorf(interp.TimeoutError, "timed out")
		}
		return nil, interp.Errorf(interp.OSError, "%v", err)
	}
	return interp.NewBytes(data), nil
}

// readLine reads through the next b"\n", at most limit bytes (limit < 0: no limit).
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var out []byte
	for limit < 0 || len(out) < limit {
		c, err := br.ReadByte()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, c)
		if c == '\n' {
			break
		}
	}
	return out, nil
}

func respClose(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("close", args, kwargs, 0); err != nil {
		return nil, err
	}
	r := b.Receiver().(*Response)
	if !r.closed {
		r.closed = true
		r.resp.Body.Close()
		r.cancel()
		r.untrack()
	}
	return starlark.None, nil
}

func respGetcode(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getcode", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.MakeInt(b.Receiver().(*Response).resp.StatusCode), nil
}

func respGeturl(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("geturl", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.String(b.Receiver().(*Response).url), nil
}

// respGetheader is getheader(name, default=None): the values of the header
// joined by ", ".
func respGetheader(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var def starlark.Value = starlark.None
	if err := starlark.UnpackArgs("getheader", args, kwargs, "name", &name, "default?", &def); err != nil {
		return nil, err
	}
	vals := b.Receiver().(*Response).resp.Header.Values(name)
	if len(vals) == 0 {
		return def, nil
	}
	return starlark.String(strings.Join(vals, ", ")), nil
}

func respGetheaders(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("getheaders", args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.NewList(headerList(b.Receiver().(*Response).resp.Header)), nil
}

func respInfo(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("info", args, kwargs, 0); err != nil {
		return nil, err
	}
	return b.Receiver().(*Response).headerDict(), nil
}
