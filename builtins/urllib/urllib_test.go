package urllib_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/starlab-dev/starlab/builtins/runtest"
	"github.com/starlab-dev/starlab/interp"
)

// server is a local HTTP server with the pages the tests fetch.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Test", "yes")
		io.WriteString(w, "hello\nworld\n")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %s", r.Method, r.Header.Get("User-Agent"), b)
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such page", http.StatusNotFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
		io.WriteString(w, "late")
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/", http.StatusFound)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello", http.StatusFound)
	})
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv
}

// run runs a script with BASE set to the server's URL; it must exit 0.
func run(t *testing.T, base, body string, cfg interp.SchedConfig) (string, string) {
	t.Helper()
	src := fmt.Sprintf("BASE = %q\n%s", base, body)
	code, stdout, stderr := runtest.Outcome(t, "urllib_case.star", []byte(src), cfg)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	return stdout, stderr
}

func TestURLOpen(t *testing.T) {
	srv := server(t)
	cases := map[string]string{
		"get": `
r = urllib.request.urlopen(BASE + "/hello")
assert_eq(r.status, 200)
assert_eq(r.getcode(), 200)
assert_eq(r.reason, "OK")
assert_eq(r.geturl(), BASE + "/hello")
assert_eq(r.getheader("x-test"), "yes")
assert_eq(r.getheader("X-Missing", "none"), "none")
assert_(("X-Test", "yes") in r.getheaders())
assert_eq(r.readline(), b"hello\n")
assert_eq(r.read(), b"world\n")
assert_eq(r.read(), b"")
r.close()
assert_(r.closed)
assert_eq(urllib.request.urlopen(BASE + "/hello").read(3), b"hel")
`,
		"post and Request": `
r = urllib.request.urlopen(BASE + "/echo", data = b"x=1")
assert_eq(r.read(), b"POST Python-urllib/3.11 x=1")
req = urllib.request.Request(BASE + "/echo", headers = {"User-Agent": "starlab"}, method = "PUT")
assert_eq(req.get_method(), "PUT")
assert_eq(urllib.request.urlopen(req, timeout = 5).read(), b"PUT starlab ")
`,
		"redirect on loopback": `
r = urllib.request.urlopen(BASE + "/moved")
assert_eq(r.geturl(), BASE + "/hello")
assert_eq(r.read(), b"hello\nworld\n")
`,
		"HTTPError": `
e = try_(lambda: urllib.request.urlopen(BASE + "/missing"), except_ = [(urllib.error.HTTPError, lambda e: e)])
assert_eq(str(e), "HTTP Error 404: Not Found")
assert_eq(e.code, 404)
assert_eq(e.reason, "Not Found")
assert_eq(e.read(), b"no such page\n")
assert_(isinstance(e, urllib.error.URLError) and isinstance(e, OSError))
`,
		"refused": `
e = try_(lambda: urllib.request.urlopen("http://127.0.0.1:1/"), except_ = [(urllib.error.URLError, lambda e: e)])
assert_eq(str(e), "<urlopen error [Errno 111] Connection refused>")
assert_eq(e.reason, "[Errno 111] Connection refused")
`,
		"timeout": `
e = try_(lambda: urllib.request.urlopen(BASE + "/slow", timeout = 0.2), except_ = [(TimeoutError, lambda e: e)])
assert_eq(str(e), "timed out")
`,
		"bad urls": `
e = try_(lambda: urllib.request.urlopen("www.python.org"), except_ = [(ValueError, str)])
assert_eq(e, "unknown url type: 'www.python.org'")
e = try_(lambda: urllib.request.urlopen("ftp://127.0.0.1/x"), except_ = [(urllib.error.URLError, str)])
assert_eq(e, "<urlopen error unknown url type: ftp>")
e = try_(lambda: urllib.request.urlopen(BASE, data = "str"), except_ = [(TypeError, str)])
assert_(e.startswith("POST data should be bytes"))
`,
		"other threads run while it waits": `
state = {"ticks": 0, "done": False}
def ticker():
    while not state["done"]:
        state["ticks"] += 1
        time.sleep(0.01)
t = threading.Thread(target = ticker)
t.start()
try_(lambda: urllib.request.urlopen(BASE + "/slow", timeout = 0.3), except_ = [(TimeoutError, lambda e: None)])
state["done"] = True
t.join()
assert_(state["ticks"] >= 10, "the ticker ran %d times" % state["ticks"])
`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run(t, srv.URL, body, interp.SchedConfig{})
		})
	}
}

// TestNotLoopback: a host that is not loopback fails with URLError at once,
// before anything is resolved or sent; a redirect to one too.
func TestNotLoopback(t *testing.T) {
	srv := server(t)
	start := time.Now()
	out, _ := run(t, srv.URL, `
for url in ["https://www.python.org/", "http://10.1.2.3/", "http://[2001:db8::1]:80/", "http://0.0.0.0:80/", BASE + "/away"]:
    e = try_(lambda: urllib.request.urlopen(url), except_ = [(urllib.error.URLError, lambda e: e)])
    assert_(e != None, url)
    print(str(e))
`, interp.SchedConfig{})
	assert.Less(t, time.Since(start), 2*time.Second, "no lookup, no connect attempt")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5)
	for i, host := range []string{"www.python.org", "10.1.2.3", "2001:db8::1", "0.0.0.0", "example.com"} {
		assert.Contains(t, lines[i], "<urlopen error [Errno -3] Temporary failure in name resolution (starlab reaches loopback hosts only")
		assert.Contains(t, lines[i], host)
	}
}

// TestSim: real I/O can't run on the virtual clock.
func TestSim(t *testing.T) {
	run(t, "http://127.0.0.1:1", `
e = try_(lambda: urllib.request.urlopen(BASE), except_ = [(RuntimeError, str)])
assert_eq(e, "real sockets can't run in sim mode (--sim); run without --sim")
`, interp.SchedConfig{Sim: true, Seed: 1})
}
