package builtins

import (
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/gevent"
	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/builtins/urllib"
	"github.com/starlab-dev/starlab/interp"
)

// addCoroutines adds the coroutine modules to a run's globals: greenlet,
// and (sharing its hubs) gevent; and urllib, whose urlopen the course's
// gevent example downloads with. Called by Predeclared.
func addCoroutines(it *interp.Interp, d starlark.StringDict) {
	rt := greenlet.NewRuntime(it)
	d["greenlet"] = greenlet.New(it, rt)
	d["gevent"] = gevent.New(it, rt, QueueEmpty, QueueFull)
	d["urllib"] = urllib.New(it)
}
