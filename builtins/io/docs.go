package io

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of open(), beside its code.

var Docs = pydoc.Table{
	"open": {
		Sig:     "(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None)",
		Summary: "Open a file: 'r' read, 'w' write (truncate), 'a' append, 'x' create; add 'b' for bytes, '+' to read and write.",
		Python:  "open(...); instead of with open(path) as f: call f.close() (open files are flushed and closed when the run ends)",
		More: "A file has read(n=-1), readline(), readlines(), write(s), writelines(lines), seek(offset, whence=0), tell(), " +
			"flush(), close(), and name, mode, closed; for line in f: walks its lines. Text mode reads and writes str " +
			"(UTF-8; '\\r\\n' reads as '\\n'), binary mode bytes.",
	},
}
