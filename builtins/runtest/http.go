package runtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// SlowHTTPServer is an HTTP server on 127.0.0.1 that answers every request
// after delay with a page of size bytes: the slow site of the course's
// concurrent-download examples. The test's cleanup closes it.
func SlowHTTPServer(t testing.TB, delay time.Duration, size int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		w.Write([]byte(strings.Repeat("x", size)))
	}))
	t.Cleanup(srv.Close)
	return srv
}
