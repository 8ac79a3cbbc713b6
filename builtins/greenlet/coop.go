package greenlet

import (
	"strings"
	"time"

	"github.com/starlab-dev/starlab/interp"
)

// coop is a hub as the scheduler sees it (interp.Coop): it decides whether
// time.sleep and the external waits (sockets, select, urlopen) of a
// greenlet let the other greenlets of its hub run, which they do once
// gevent.monkey patched their module.
type coop struct{ h *Hub }

var _ interp.Coop = coop{}

// patchOf says which monkey patch covers an external wait: select's waits
// are select's, stdin and files are never patched (as with gevent's
// default patch_all), every other one is a socket's.
func patchOf(reason string) string {
	switch {
	case strings.HasPrefix(reason, "select"):
		return "select"
	case strings.HasPrefix(reason, "file.") || strings.HasPrefix(reason, "input"):
		return ""
	}
	return "socket"
}

func (c coop) Sleep(t *interp.Thread, d time.Duration) (bool, error) {
	h := c.h
	if !h.rt.Patched("time") {
		return false, nil
	}
	g, ok := t.S.Local(gKey).(*G)
	if !ok || h.owner != g {
		return false, nil
	}
	return true, h.Sleep(g, d)
}

func (c coop) BeforeExternal(t *interp.Thread, reason string) func() error {
	h := c.h
	kind := patchOf(reason)
	if kind == "" || !h.rt.Patched(kind) {
		return nil
	}
	g, ok := t.S.Local(gKey).(*G)
	if !ok || h.owner != g {
		return nil
	}
	g.external = true
	h.release(t)
	return func() error {
		g.external = false
		return h.acquire(g)
	}
}

// acquire takes the token for g after a patched wait, queueing behind the
// ready greenlets if another one holds it.
func (h *Hub) acquire(g *G) error {
	if h.owner == nil || h.owner == g {
		h.owner = g
		return nil
	}
	if !g.queued {
		g.queued = true
		h.ready = append(h.ready, g)
	}
	return h.park(g, "hub (ready, waiting for its turn)")
}
