// Package pydoc holds the shape of the texts help(x) prints: each module
// package keeps a Table of them beside its code (docs.go), and
// builtins.Predeclared gathers the tables of the modules it wires.
//
// A table maps the qualified name of a builtin to its Doc:
//
//	"threading"              the module
//	"threading.Lock"         a class (a constructor builtin) of the module
//	"threading.Lock.acquire" a method or attribute of the class's objects
//	"sys.stdout.write"       an attribute of an object the module holds
//	"try_", "print", "len"   a global: starlab's own, or Starlark's universe
package pydoc

// Doc documents one builtin for help().
type Doc struct {
	// Sig is the parameter list of a function, method or class, as Python
	// spells it: "(blocking=True, timeout=-1)". Empty for a module or data.
	Sig string
	// Summary is one sentence: what it is or does.
	Summary string
	// Python is the Python equivalent, for a builtin that differs from
	// Python's (try_, raise_, exception, ...). Empty means: the same name and
	// arguments as in Python.
	Python string
	// More is optional extra text (examples, differences), one paragraph.
	More string

	// For a class (or an object held by a module, such as sys.stdout):
	// Type is the Type() of its instances, by which help(obj) finds the
	// class; Make is an expression that makes one, for TestDocs (default:
	// the qualified name followed by "()"); Base is the class whose methods
	// it inherits ("threading.Thread" for threading.Timer).
	Type, Make, Base string

	// Alias is the qualified name of the builtin this one is another
	// spelling of (threading.currentThread is threading.current_thread).
	Alias string
}

// Table is the docs of one module: qualified name → Doc.
type Table = map[string]Doc
