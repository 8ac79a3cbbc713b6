package sys

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the sys module, beside its code.

var Docs = pydoc.Table{
	"sys": {
		Summary: "The interpreter: the command line (argv), exit, the standard streams and the GIL's switch interval.",
	},
	"sys.argv":              {Summary: "The command line: the script's path, then its arguments (starlab run FILE ARGS...)."},
	"sys.platform":          {Summary: "The platform's name, 'linux'."},
	"sys.version":           {Summary: "The version string of the interpreter."},
	"sys.maxsize":           {Summary: "The largest int a container index can be, 2**63 - 1."},
	"sys.exit":              {Sig: "(code=None)", Summary: "End the program with the exit status code (raises SystemExit; the other threads are waited for, as in Python)."},
	"sys.getswitchinterval": {Sig: "()", Summary: "How long, in seconds, a thread keeps the GIL while others wait for it (0.005 by default)."},
	"sys.setswitchinterval": {Sig: "(interval)", Summary: "Set the switch interval, in seconds."},
	"sys.stdout": {
		Summary: "Standard output, for print(..., file=sys.stdout) and sys.stdout.write(s).",
		Type:    "TextIOWrapper",
		Make:    "sys.stdout",
	},
	"sys.stdout.write": {Sig: "(s)", Summary: "Write the string s; returns its length."},
	"sys.stdout.flush": {Sig: "()", Summary: "Flush the stream (starlab's streams are never buffered)."},
	"sys.stdout.name":  {Summary: "The stream's name, '<stdout>' or '<stderr>'."},
	"sys.stderr": {
		Summary: "Standard error, for print(..., file=sys.stderr).",
		Make:    "sys.stderr",
		Base:    "sys.stdout",
	},
}
