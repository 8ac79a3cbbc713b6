// Package builtins wires starlab's Python modules into a run: Predeclared
// gives a script its globals, the list below says which module is which
// package, and help() finds every module's texts through it.
//
// Each module lives in a package of its own under builtins/, as
// go.starlark.net's lib/ does: threading, queue, random, time, sys, os, io
// (open), socket, socketserver, pyselect (select), greenlet, gevent,
// urllib, exceptions (try_, raise_ and the exception classes). A module is
// built per run from the interpreter it serves and keeps its state in
// values made for that run, never in package variables, so runs in one
// process (tests, seed sweeps) never share state. Helpers the modules share (arguments read with
// CPython's errors, OSError from errno, waiting on descriptors, file
// objects) are in builtins/internal.
package builtins

import (
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins/exceptions"
	"github.com/starlab-dev/starlab/builtins/gevent"
	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/builtins/internal/pydoc"
	pyio "github.com/starlab-dev/starlab/builtins/io"
	"github.com/starlab-dev/starlab/builtins/multiprocessing"
	pyos "github.com/starlab-dev/starlab/builtins/os"
	"github.com/starlab-dev/starlab/builtins/pyselect"
	"github.com/starlab-dev/starlab/builtins/queue"
	"github.com/starlab-dev/starlab/builtins/random"
	"github.com/starlab-dev/starlab/builtins/socket"
	"github.com/starlab-dev/starlab/builtins/socketserver"
	"github.com/starlab-dev/starlab/builtins/sys"
	"github.com/starlab-dev/starlab/builtins/threading"
	pytime "github.com/starlab-dev/starlab/builtins/time"
	"github.com/starlab-dev/starlab/builtins/urllib"
	"github.com/starlab-dev/starlab/interp"
)

// Doc documents one builtin for help(); see package pydoc.
type Doc = pydoc.Doc

// run is what a module's constructor may need: the run's interpreter and
// the modules other modules build on (socketserver makes its sockets with
// the run's socket module).
type run struct {
	it        *interp.Interp
	sock      *socket.Module
	greenlets *greenlet.Runtime // the hubs that greenlet and gevent share
}

// module is one wired Python module: the global a script sees, how to
// build it for a run, and its help() texts.
type module struct {
	name string
	make func(r *run) starlark.Value
	docs pydoc.Table
}

// modules are the Python modules of every run. Adding one is a line here
// and its package; TestDocs fails while its help texts are missing.
var modules = []module{
	{"threading", func(r *run) starlark.Value { return threading.New(r.it) }, threading.Docs},
	{"queue", func(r *run) starlark.Value { return queue.New(r.it) }, queue.Docs},
	{"random", func(r *run) starlark.Value { return random.New(r.it) }, random.Docs},
	{"time", func(r *run) starlark.Value { return pytime.New(r.it) }, pytime.Docs},
	{"sys", func(r *run) starlark.Value { return sys.New(r.it) }, sys.Docs},
	{"os", func(r *run) starlark.Value { return pyos.New(r.it) }, pyos.Docs},
	{"open", func(r *run) starlark.Value { return pyio.Open(r.it) }, pyio.Docs},
	{"socket", func(r *run) starlark.Value { return r.sock.Value() }, socket.Docs},
	{"socketserver", func(r *run) starlark.Value { return socketserver.New(r.it, r.sock) }, socketserver.Docs},
	{"select", func(r *run) starlark.Value { return pyselect.New(r.it) }, pyselect.Docs},
	{"greenlet", func(r *run) starlark.Value { return greenlet.New(r.it, r.greenlets) }, greenlet.Docs},
	{"gevent", func(r *run) starlark.Value { return gevent.New(r.it, r.greenlets, queue.Empty, queue.Full) }, gevent.Docs},
	{"urllib", func(r *run) starlark.Value { return urllib.New(r.it) }, urllib.Docs},
	{"multiprocessing", func(r *run) starlark.Value { return multiprocessing.New(r.it, queue.Empty, queue.Full) }, multiprocessing.Docs},
}

// Predeclared returns the globals of a run: the exception builtins (try_,
// raise_, ..., the exception classes), the modules, and help. Pass it as
// interp.Options.Predeclared.
func Predeclared(it *interp.Interp) starlark.StringDict {
	r := &run{it: it, sock: socket.New(it), greenlets: greenlet.NewRuntime(it)}
	d := exceptions.Globals(it)
	for _, m := range modules {
		d[m.name] = m.make(r)
	}
	d["help"] = newHelp(it, d) // last: help finds builtins by looking in d
	return d
}

// docTables are the help texts of the globals and of every wired module.
func docTables() []pydoc.Table {
	tables := []pydoc.Table{coreDocs, universeDocs, limitDocs, exceptions.Docs}
	for _, m := range modules {
		tables = append(tables, m.docs)
	}
	return tables
}
