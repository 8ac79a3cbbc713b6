package builtins

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// The documentation that help(x) prints lives next to the builtins it
// describes: one docs_MODULE.go file per module, each a map from the
// qualified name of a builtin to its Doc:
//
//	"threading"              the module
//	"threading.Lock"         a class (a constructor builtin) of the module
//	"threading.Lock.acquire" a method or attribute of the class's objects
//	"sys.stdout.write"       an attribute of an object the module holds
//	"try_", "print", "len"   a global: starlab's own, or Starlark's universe
//
// TestDocs (docs_test.go) keeps the maps honest: it fails when a module
// member, a method of one of its objects, or a global has no doc, and when a
// doc names something that does not exist any more. Adding a module's docs
// means writing docs_MODULE.go and listing its map in docTables.

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

// docTables are the docs of every module; a new docs_MODULE.go adds its map here.
var docTables = []map[string]Doc{
	coreDocs, universeDocs, exceptionDocs, limitDocs,
	threadingDocs, queueDocs, randomDocs, timeDocs, sysDocs, osDocs,
	socketDocs, socketserverDocs, selectDocs, fileDocs,
}

// LookupDoc returns the doc of a qualified name ("threading.Lock.acquire"),
// looking through the bases of a class for an inherited method.
func LookupDoc(name string) (Doc, bool) {
	for range 8 { // a base chain is short; this bounds a cycle by mistake
		for _, t := range docTables {
			if d, ok := t[name]; ok {
				return d, true
			}
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			return Doc{}, false
		}
		cls, ok := lookupDocOwn(name[:i])
		if !ok || cls.Base == "" {
			return Doc{}, false
		}
		name = cls.Base + name[i:]
	}
	return Doc{}, false
}

func lookupDocOwn(name string) (Doc, bool) {
	for _, t := range docTables {
		if d, ok := t[name]; ok {
			return d, true
		}
	}
	return Doc{}, false
}

// docNames returns every documented name, sorted.
func docNames() []string {
	var names []string
	for _, t := range docTables {
		for k := range t {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// classByType maps an object's Type() to the class documented with it.
func classByType(typ string) (string, bool) {
	for _, name := range docNames() {
		if d, _ := lookupDocOwn(name); d.Type == typ {
			return name, true
		}
	}
	return "", false
}

// memberDocs returns the documented attributes of a class or module:
// name → doc, the class's own overriding its base's.
func memberDocs(qual string) map[string]Doc {
	out := make(map[string]Doc)
	var chain []string
	for name, n := qual, 0; name != "" && n < 8; n++ {
		chain = append(chain, name)
		d, _ := lookupDocOwn(name)
		name = d.Base
	}
	for i := len(chain) - 1; i >= 0; i-- {
		prefix := chain[i] + "."
		for _, t := range docTables {
			for k, d := range t {
				if rest, ok := strings.CutPrefix(k, prefix); ok && !strings.Contains(rest, ".") {
					out[rest] = d
				}
			}
		}
	}
	return out
}

// newHelp makes help(x). globals are the predeclared names of the run (the
// map Predeclared is building): help finds the qualified name of a builtin
// by looking for it there, in the modules, and in Starlark's universe.
func newHelp(it *interp.Interp, globals starlark.StringDict) *starlark.Builtin {
	return starlark.NewBuiltin("help", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var x starlark.Value
		if err := starlark.UnpackPositionalArgs("help", args, kwargs, 0, &x); err != nil {
			return nil, err
		}
		io.WriteString(it.Stdout(), HelpText(globals, x))
		return starlark.None, nil
	})
}

// helpIntro is what help() with no argument prints.
const helpIntro = `Welcome to starlab: Python's concurrency examples, written in Starlark.

help(x) explains x: a module (help(threading)), a class (help(threading.Lock)),
a function or method (help(q.get)), an object (help(q)), or a name given as a
string (help("try_")). dir(x) lists the attributes of x.

Starlark is Python without classes, exceptions or with; starlab stands in:
  try: ... except E as e: ...   try_(body, except_=[(E, handler)])
  raise E("msg")                raise_(E("msg"))
  class MyError(ValueError)     MyError = exception("MyError", ValueError)
  assert cond, msg              assert_(cond, msg)
  with lock: ...                lock.acquire() ... lock.release()

The modules need no import:
`

// HelpText is what help(x) prints; x nil is help() with no argument.
func HelpText(globals starlark.StringDict, x starlark.Value) string {
	var b strings.Builder
	h := docHelper{globals: globals}
	switch x := x.(type) {
	case nil:
		b.WriteString(helpIntro)
		h.listModules(&b)
		return b.String()
	case starlark.String:
		name := string(x)
		v, found := h.resolve(name)
		if d, ok := LookupDoc(name); ok {
			if !found {
				v = nil
			}
			h.writeDoc(&b, name, d, v)
			return b.String()
		}
		if _, isString := v.(starlark.String); found && !isString {
			return HelpText(globals, v)
		}
		if d, ok := keywordDocs[name]; ok {
			docWrap(&b, name+": ", "    ", d)
			return b.String()
		}
		return fmt.Sprintf("No documentation found for %s. Try help() for a list of modules.\n", interp.PyRepr(x))
	}
	if name, ok := h.nameOf(x); ok {
		if d, ok := LookupDoc(name); ok {
			h.writeDoc(&b, name, d, x)
			return b.String()
		}
	}
	h.writeUndocumented(&b, x)
	return b.String()
}

type docHelper struct {
	globals starlark.StringDict
}

// resolve finds a dotted name ("threading.Lock") among the globals and the
// modules' members.
func (h docHelper) resolve(name string) (starlark.Value, bool) {
	parts := strings.Split(name, ".")
	v, ok := h.globals[parts[0]]
	if !ok {
		v, ok = starlark.Universe[parts[0]]
	}
	for _, p := range parts[1:] {
		if !ok {
			break
		}
		m, isModule := v.(*starlarkstruct.Module)
		if !isModule {
			return nil, false
		}
		v, ok = m.Members[p]
	}
	return v, ok
}

// docIdentical reports whether a and b are the same object. Only pointers are
// compared: an interface comparison of two tuples would panic.
func docIdentical(a, b starlark.Value) bool {
	ta := reflect.TypeOf(a)
	return ta != nil && ta.Kind() == reflect.Pointer && ta == reflect.TypeOf(b) && a == b
}

// nameOf returns the qualified name under which x is documented.
func (h docHelper) nameOf(x starlark.Value) (string, bool) {
	if name, ok := h.find(x); ok {
		return name, true
	}
	if m, ok := x.(*starlarkstruct.Module); ok {
		return m.Name, true
	}
	switch x := x.(type) {
	case *starlark.Builtin:
		if recv := x.Receiver(); recv != nil {
			if owner, ok := h.nameOf(recv); ok {
				return owner + "." + x.Name(), true
			}
			return "", false
		}
		// interp's core builtins (print, input, str, ...) are not among
		// the globals help was given: a global builtin is known by its name.
		if _, ok := LookupDoc(x.Name()); ok && !strings.Contains(x.Name(), ".") {
			return x.Name(), true
		}
	case *interp.Exception:
		return h.nameOf(x.Class())
	case starlark.HasAttrs:
		if _, isStarlark := docStarlarkTypes[x.Type()]; !isStarlark {
			return classByType(x.Type())
		}
	}
	return "", false
}

// docStarlarkTypes are the types of Starlark's own values: help shows them as
// values, not as starlab objects.
var docStarlarkTypes = map[string]bool{
	"string": true, "bytes": true, "list": true, "dict": true, "tuple": true, "set": true,
	"int": true, "float": true, "bool": true, "NoneType": true, "builtin_function_or_method": true,
	"function": true, "range": true,
}

// find looks x up by identity among the globals, the modules' members (os.path's
// too) and Starlark's universe; only documented names count (a learner's
// q = Queue() is not where Queue's methods are documented).
func (h docHelper) find(x starlark.Value) (string, bool) {
	if name, ok := findIn(h.globals, "", x, 0); ok {
		return name, true
	}
	for k, v := range starlark.Universe {
		if _, ok := LookupDoc(k); ok && docIdentical(v, x) {
			return k, true
		}
	}
	return "", false
}

// findIn looks x up in d and in the modules d holds, prefixing names with prefix.
func findIn(d starlark.StringDict, prefix string, x starlark.Value, depth int) (string, bool) {
	for _, k := range docSortedKeys(d) {
		name := prefix + k
		if _, ok := LookupDoc(name); ok && docIdentical(d[k], x) {
			return name, true
		}
		if m, ok := d[k].(*starlarkstruct.Module); ok && depth < 3 {
			if name, ok := findIn(m.Members, name+".", x, depth+1); ok {
				return name, true
			}
		}
	}
	return "", false
}

func docSortedKeys(d starlark.StringDict) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeDoc renders the doc of name; x is the value, if help was given one.
func (h docHelper) writeDoc(b *strings.Builder, name string, d Doc, x starlark.Value) {
	if d.Alias != "" {
		fmt.Fprintf(b, "%s is another name for %s.\n\n", name, d.Alias)
		target, _ := LookupDoc(d.Alias)
		h.writeDoc(b, d.Alias, target, nil)
		return
	}
	if m, ok := x.(*starlarkstruct.Module); ok {
		h.writeModule(b, name, m, d)
		return
	}
	if x == nil {
		if v, ok := h.resolve(name); ok {
			if m, ok := v.(*starlarkstruct.Module); ok {
				h.writeModule(b, name, m, d)
				return
			}
		}
	}
	if d.Type != "" {
		if obj, isObj := x.(starlark.HasAttrs); isObj {
			if _, isBuiltin := x.(*starlark.Builtin); !isBuiltin {
				fmt.Fprintf(b, "%s: an object of class %s\n\n", interp.PyRepr(obj), name)
			}
		}
	}
	fmt.Fprintf(b, "%s%s\n", name, d.Sig)
	docIndent(b, d.Summary)
	if d.More != "" {
		docIndent(b, d.More)
	}
	python := d.Python
	if python == "" {
		python = "the same as Python's " + name
	}
	docWrap(b, "    Python: ", "        ", python)
	if d.Type != "" {
		h.writeMembers(b, memberDocs(name))
	}
}

// writeMembers lists the methods and attributes of a class.
func (h docHelper) writeMembers(b *strings.Builder, members map[string]Doc) {
	var methods, attrs [][2]string
	for _, name := range docSortedNames(members) {
		d := members[name]
		if strings.HasPrefix(name, "_") {
			continue
		}
		if d.Alias != "" {
			target, _ := LookupDoc(d.Alias)
			d = Doc{Sig: target.Sig, Summary: "another name for " + d.Alias[strings.LastIndexByte(d.Alias, '.')+1:] + "."}
		}
		if d.Sig != "" {
			methods = append(methods, [2]string{name + d.Sig, d.Summary})
		} else {
			attrs = append(attrs, [2]string{name, d.Summary})
		}
	}
	docTable(b, "Methods", methods)
	docTable(b, "Attributes", attrs)
}

// writeModule renders a module: its summary, then its members by kind.
func (h docHelper) writeModule(b *strings.Builder, name string, m *starlarkstruct.Module, d Doc) {
	fmt.Fprintf(b, "Help on module %s:\n\n", name)
	docWrap(b, "", "", d.Summary)
	if d.More != "" {
		docWrap(b, "", "", d.More)
	}
	python := d.Python
	if python == "" {
		python = "the same as Python's " + name + " (starlab predeclares it: no import needed)"
	}
	docWrap(b, "Python: ", "    ", python)
	var mods, classes, funcs, excs, data [][2]string
	for _, k := range docSortedKeys(m.Members) {
		md, ok := LookupDoc(name + "." + k)
		if !ok {
			md.Summary = "(undocumented)"
		}
		summary := md.Summary
		if md.Alias != "" {
			summary = "another name for " + md.Alias[strings.LastIndexByte(md.Alias, '.')+1:] + "."
			md, _ = LookupDoc(md.Alias)
		}
		switch m.Members[k].(type) {
		case *starlarkstruct.Module:
			mods = append(mods, [2]string{k, summary})
		case *interp.ExceptionClass:
			excs = append(excs, [2]string{k, summary})
		case *starlark.Builtin:
			if md.Type != "" {
				classes = append(classes, [2]string{k + md.Sig, summary})
			} else {
				funcs = append(funcs, [2]string{k + md.Sig, summary})
			}
		default:
			data = append(data, [2]string{k, summary})
		}
	}
	docTable(b, "Modules", mods)
	docTable(b, "Classes", classes)
	docTable(b, "Functions", funcs)
	docTable(b, "Exceptions", excs)
	docTable(b, "Data", data)
}

// listModules lists the predeclared modules with their summaries.
func (h docHelper) listModules(b *strings.Builder) {
	var rows [][2]string
	for _, k := range docSortedKeys(h.globals) {
		if _, ok := h.globals[k].(*starlarkstruct.Module); ok {
			d, _ := LookupDoc(k)
			rows = append(rows, [2]string{k, d.Summary})
		}
	}
	for _, r := range rows {
		docWrap(b, fmt.Sprintf("  %-10s ", r[0]), strings.Repeat(" ", 13), r[1])
	}
}

// writeUndocumented describes a value that has no doc: a function of the
// learner's own, a value of a Starlark type, a method of one.
func (h docHelper) writeUndocumented(b *strings.Builder, x starlark.Value) {
	switch x := x.(type) {
	case *starlark.Function:
		fmt.Fprintf(b, "%s%s\n", x.Name(), docFunctionSig(x))
		if doc := x.Doc(); doc != "" {
			docIndent(b, doc)
		}
		fmt.Fprintf(b, "    A function defined at %s.\n", x.Position())
		return
	case *interp.ExceptionClass:
		base := "BaseException"
		if x.Base() != nil {
			base = x.Base().QualName()
		}
		fmt.Fprintf(b, "%s(*args)\n    An exception class, a subclass of %s.\n    Python: class %s(%s): pass\n", x.QualName(), base, x.Name(), base)
		return
	case *starlark.Builtin:
		if recv := x.Receiver(); recv != nil {
			fmt.Fprintf(b, "%s.%s(...)\n    A method of %s; it works as Python's %s.%s.\n", interp.PyTypeName(recv), x.Name(), interp.PyTypeName(recv), interp.PyTypeName(recv), x.Name())
			return
		}
	}
	fmt.Fprintf(b, "%s: a value of type %s\n", interp.PyRepr(x), interp.PyTypeName(x))
	if ha, ok := x.(starlark.HasAttrs); ok {
		var names []string
		for _, n := range ha.AttrNames() {
			if !strings.HasPrefix(n, "_") {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			fmt.Fprintf(b, "    Attributes: %s\n", strings.Join(names, ", "))
		}
	}
}

// docFunctionSig is the parameter list of a learner's function: (a, b=1, *args, **kwargs).
// go.starlark.net orders the parameters: positional ones, *args, keyword-only
// ones, **kwargs.
func docFunctionSig(f *starlark.Function) string {
	n := f.NumParams()
	varargs, kwargs := -1, -1
	if f.HasKwargs() {
		kwargs = n - 1
	}
	if f.HasVarargs() {
		varargs = n - f.NumKwonlyParams() - 1
		if f.HasKwargs() {
			varargs--
		}
	}
	parts := make([]string, 0, n)
	for i := 0; i < n; i++ {
		name, _ := f.Param(i)
		switch {
		case i == varargs:
			name = "*" + name
		case i == kwargs:
			name = "**" + name
		case f.ParamDefault(i) != nil:
			name += "=" + interp.PyRepr(f.ParamDefault(i))
		}
		parts = append(parts, name)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func docSortedNames(m map[string]Doc) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func docIndent(b *strings.Builder, text string) {
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		docWrap(b, "    ", "    ", strings.TrimSpace(line))
	}
}

// docWrap writes text wrapped at 79 columns: its first line after first,
// the others after indent.
func docWrap(b *strings.Builder, first, indent, text string) {
	b.WriteString(first)
	col := len(first)
	for i, w := range strings.Fields(text) {
		if i > 0 && col+1+len(w) > 79 {
			b.WriteString("\n" + indent)
			col = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	b.WriteString("\n")
}

// docTable writes a titled list of (name, summary) rows: in two aligned
// columns when the names are short, else each summary under its name.
func docTable(b *strings.Builder, title string, rows [][2]string) {
	if len(rows) == 0 {
		return
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	fmt.Fprintf(b, "\n%s:\n", title)
	for _, r := range rows {
		if width > 24 {
			fmt.Fprintf(b, "  %s\n", r[0])
			docWrap(b, "      ", "      ", r[1])
			continue
		}
		docWrap(b, fmt.Sprintf("  %-*s  ", width, r[0]), strings.Repeat(" ", width+4), r[1])
	}
}
