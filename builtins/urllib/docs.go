package urllib

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// Docs are the help texts of the urllib module.
var Docs = pydoc.Table{
	"urllib": {
		Summary: "Fetch URLs: urllib.request.urlopen and its errors in urllib.error.",
		More:    "starlab reaches loopback hosts only (localhost, 127.0.0.1, ::1): another host fails with URLError, as offline, and nothing is sent.",
	},
	"urllib.request": {Summary: "Opening URLs: urlopen and Request."},
	"urllib.request.urlopen": {
		Sig:     "(url, data=None, timeout=None)",
		Summary: "Send a GET (a POST with data bytes) to url, a str or a Request, and return the response: read(amt), readline(), status, reason, getcode(), getheader(name), getheaders(), geturl(), info(), close().",
		More:    "A status of 400 or more raises HTTPError; a failed connection URLError. It waits without holding the GIL, and switches greenlets after gevent.monkey.patch_all(). In sim mode it raises RuntimeError, as real sockets do.",
	},
	"urllib.request.Request": {
		Sig:     "(url, data=None, headers={}, method=None)",
		Summary: "A request to pass to urlopen, with its own headers or method.",
		Type:    "urllib.request.Request",
		Make:    "urllib.request.Request('http://localhost/')",
	},
	"urllib.request.Request.get_method": {Sig: "()", Summary: "The HTTP method: the one given, else POST with data and GET without."},
	"urllib.request.Request.add_header": {Sig: "(key, val)", Summary: "Add a header to send."},
	"urllib.request.Request.data":       {Summary: "The bytes to send, or None."},
	"urllib.request.Request.full_url":   {Summary: "The URL."},
	"urllib.request.Request.headers":    {Summary: "The headers to send, a dict."},
	"urllib.request.Request.method":     {Summary: "The method given, or None."},
	"urllib.error":                      {Summary: "The exceptions urlopen raises."},
	"urllib.error.URLError": {
		Summary: "A URL could not be opened (refused, a host that is not loopback, a timeout while connecting); e.reason says why.",
		Python:  "the same; str(e) is \"<urlopen error REASON>\", and so is e.args[0]",
	},
	"urllib.error.HTTPError": {
		Summary: "The server answered with a status of 400 or more: e.code, e.reason, e.headers, and e.read() the error page.",
	},
}
