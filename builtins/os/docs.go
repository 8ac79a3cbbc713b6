package os

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the os module, beside its code.

var Docs = pydoc.Table{
	"os": {
		Summary: "The operating system: process ids and path separators.",
	},
	"os.getpid":  {Sig: "()", Summary: "The id of the current process."},
	"os.getppid": {Sig: "()", Summary: "The id of the parent process."},
	"os.sep":     {Summary: "The path separator, '/'."},
	"os.linesep": {Summary: "The line separator, '\\n'."},

	"os.listdir":  {Sig: "(path='.')", Summary: "The names of the entries of a directory."},
	"os.remove":   {Sig: "(path)", Summary: "Delete a file; IsADirectoryError for a directory."},
	"os.unlink":   {Alias: "os.remove"},
	"os.makedirs": {Sig: "(name, mode=0o777, exist_ok=False)", Summary: "Make a directory and the missing ones above it; FileExistsError if it exists, unless exist_ok."},
	"os.mkdir":    {Sig: "(path, mode=0o777)", Summary: "Make a directory."},
	"os.rmdir":    {Sig: "(path)", Summary: "Delete an empty directory."},
	"os.rename":   {Sig: "(src, dst)", Summary: "Rename (move) a file or directory."},
	"os.getcwd":   {Sig: "()", Summary: "The current working directory."},

	"os.path":          {Summary: "Path names: join, split, and questions about files (exists, getsize, isfile, isdir)."},
	"os.path.exists":   {Sig: "(path)", Summary: "Whether path names an existing file or directory."},
	"os.path.isfile":   {Sig: "(path)", Summary: "Whether path is an existing regular file."},
	"os.path.isdir":    {Sig: "(path)", Summary: "Whether path is an existing directory."},
	"os.path.getsize":  {Sig: "(filename)", Summary: "The size of a file in bytes; FileNotFoundError if it does not exist."},
	"os.path.join":     {Sig: "(a, *p)", Summary: "Join path parts with '/'; an absolute part starts over."},
	"os.path.basename": {Sig: "(p)", Summary: "The last part of a path: basename('/a/b.txt') is 'b.txt'."},
	"os.path.dirname":  {Sig: "(p)", Summary: "All but the last part of a path: dirname('/a/b.txt') is '/a'."},
	"os.path.split":    {Sig: "(p)", Summary: "(dirname(p), basename(p))."},
	"os.path.splitext": {Sig: "(p)", Summary: "(root, ext): splitext('a/b.tar.gz') is ('a/b.tar', '.gz')."},
	"os.path.abspath":  {Sig: "(path)", Summary: "The absolute form of path."},
	"os.path.sep":      {Summary: "The path separator, '/'."},
}
