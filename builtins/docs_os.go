package builtins

// Docs of the os module (builtins.go). See docs.go.

var osDocs = map[string]Doc{
	"os": {
		Summary: "The operating system: process ids and path separators.",
	},
	"os.getpid":  {Sig: "()", Summary: "The id of the current process."},
	"os.getppid": {Sig: "()", Summary: "The id of the parent process."},
	"os.sep":     {Summary: "The path separator, '/'."},
	"os.linesep": {Summary: "The line separator, '\\n'."},
}
