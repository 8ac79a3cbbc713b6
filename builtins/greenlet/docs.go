package greenlet

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// Docs are the help texts of the greenlet module.
var Docs = pydoc.Table{
	"greenlet": {
		Summary: "Coroutines switched by hand: greenlet(run) makes one, g.switch() runs it until it switches elsewhere.",
		More:    "The greenlets of one thread run one at a time; a switch hands over to its target and waits until something switches back. Each greenlet is a starlab thread underneath, so deadlock reports list them.",
	},
	"greenlet.greenlet": {
		Sig:     "(run=None, parent=None)",
		Summary: "A greenlet that will call run on its first switch(); when run returns, its parent (by default the greenlet that made it) gets control and run's value.",
		Type:    "greenlet.greenlet",
		Make:    "greenlet.greenlet(print)",
	},
	"greenlet.greenlet.switch": {
		Sig:     "(*args, **kwargs)",
		Summary: "Run this greenlet: the first switch calls run(*args, **kwargs), a later one makes its pending switch() return the arguments; returns what the next switch back passes.",
		More:    "One argument is passed as itself, none as (), several as a tuple, keywords as a dict. Switching to a dead greenlet goes to its parent.",
	},
	"greenlet.greenlet.throw": {
		Sig:     "(typ=GreenletExit, val=None, tb=None)",
		Summary: "Switch to this greenlet and raise the exception in it at once; a GreenletExit that ends it is returned to the parent, not raised.",
	},
	"greenlet.greenlet.dead":   {Summary: "True once run has ended (or a throw killed it before it started)."},
	"greenlet.greenlet.parent": {Summary: "The greenlet that gets control when this one ends; may be set to another greenlet of the same thread."},
	"greenlet.greenlet.run":    {Summary: "The function the greenlet runs (None for a thread's main greenlet)."},
	"greenlet.getcurrent":      {Sig: "()", Summary: "The greenlet running now (the thread's main greenlet outside any other)."},
	"greenlet.GreenletExit": {
		Summary: "Raised in a greenlet to kill it (throw() with no argument): it ends the greenlet quietly and is returned to the parent.",
	},
	"greenlet.error": {Summary: "Raised when switching to a greenlet of another thread."},
}
