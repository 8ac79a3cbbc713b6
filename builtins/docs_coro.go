package builtins

import (
	"github.com/starlab-dev/starlab/builtins/gevent"
	"github.com/starlab-dev/starlab/builtins/greenlet"
	"github.com/starlab-dev/starlab/builtins/internal/pydoc"
	"github.com/starlab-dev/starlab/builtins/urllib"
)

// The docs of the module packages, converted to this package's Doc (the
// same fields as pydoc.Doc) for docTables.
var (
	greenletDocs = fromPydoc(greenlet.Docs)
	geventDocs   = fromPydoc(gevent.Docs)
	urllibDocs   = fromPydoc(urllib.Docs)
)

func fromPydoc(t pydoc.Table) map[string]Doc {
	out := make(map[string]Doc, len(t))
	for k, d := range t {
		out[k] = Doc(d)
	}
	return out
}
