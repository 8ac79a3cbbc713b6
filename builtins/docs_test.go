package builtins

import (
	"io"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// docSession starts an interactive session with every module, to list what
// exists and to make objects whose methods must be documented.
func docSession(t *testing.T) *interp.Session {
	t.Helper()
	it := interp.New(interp.Options{
		Stdout: io.Discard, Stderr: io.Discard, Predeclared: Predeclared,
		Sched: interp.SchedConfig{Interactive: true},
	})
	s := it.NewSession()
	t.Cleanup(func() { s.Close() })
	return s
}

// evalIn evaluates one expression in the session.
func evalIn(t *testing.T, s *interp.Session, src string) (starlark.Value, error) {
	t.Helper()
	lines := []string{src + "\n"}
	f, err := s.Parse("<docs>", func() ([]byte, error) {
		if len(lines) == 0 {
			return nil, nil
		}
		l := lines[0]
		lines = lines[1:]
		return []byte(l), nil
	})
	if err != nil {
		return nil, err
	}
	return s.Exec(f)
}

// isClass reports whether a module member is a class: a constructor whose
// doc says what its instances are, or a builtin named as Python names
// classes (Lock, Thread, Queue). A new class with no Type in its doc fails
// TestDocs, so that its methods cannot go undocumented.
func isClass(v starlark.Value, d Doc) bool {
	b, ok := v.(*starlark.Builtin)
	if !ok {
		return false
	}
	return d.Type != "" || unicode.IsUpper([]rune(b.Name())[0])
}

// isObject reports whether a module member is an object with attributes of
// its own (sys.stdout), as opposed to a Starlark value (a list, a string) or
// a function, class or module.
func isObject(v starlark.Value) bool {
	switch v.(type) {
	case *starlark.Builtin, *starlark.Function, *starlarkstruct.Module, *interp.ExceptionClass:
		return false
	}
	_, ok := v.(starlark.HasAttrs)
	return ok && !docStarlarkTypes[v.Type()]
}

// TestDocs keeps help() in step with the builtins: every wired module has
// its help texts, every global and every member of a module has a doc, and
// so has every public attribute of the objects its classes make; every doc
// names something that exists.
func TestDocs(t *testing.T) {
	s := docSession(t)
	globals := s.Globals()
	checked := make(map[string]bool) // doc names found to exist

	// Every module of the modules list brings its package's table, which
	// documents the module itself and only the module.
	require.NotEmpty(t, modules)
	for _, m := range modules {
		if len(m.docs) == 0 {
			t.Errorf("module %s has no help texts: give its package a docs.go table and list it with the module in builtins.go", m.name)
			continue
		}
		if _, ok := m.docs[m.name]; !ok {
			t.Errorf("module %s: its docs table does not document %s itself", m.name, m.name)
		}
		for name := range m.docs {
			if name != m.name && !strings.HasPrefix(name, m.name+".") {
				t.Errorf("module %s: its docs table documents %s, which is not of the module", m.name, name)
			}
		}
		if _, ok := globals[m.name]; !ok {
			t.Errorf("module %s is in the modules list but not among a run's globals", m.name)
		}
	}

	requireDoc := func(name, what string) {
		if _, ok := LookupDoc(name); ok {
			checked[name] = true
			return
		}
		t.Errorf("%s %s has no doc: add it to its module's docs.go (a global's: builtins/docs_core.go)", what, name)
	}

	// Globals: starlab's, interp's core ones and Starlark's universe.
	for name, v := range globals {
		if name == "__name__" {
			continue
		}
		if _, isModule := v.(*starlarkstruct.Module); isModule {
			continue
		}
		requireDoc(name, "global")
	}
	for name := range starlark.Universe {
		requireDoc(name, "Starlark builtin")
	}

	// Modules, their members, and the attributes of their objects.
	for _, modName := range docSortedKeys(globals) {
		m, ok := globals[modName].(*starlarkstruct.Module)
		if !ok {
			continue
		}
		if !moduleHasDocs(modName) {
			t.Errorf("module %s has no docs: give its package a docs.go table and list it with the module in builtins.go", modName)
			continue
		}
		requireDoc(modName, "module")
		var checkModule func(qual string, m *starlarkstruct.Module)
		checkModule = func(mod string, m *starlarkstruct.Module) {
			for _, member := range docSortedKeys(m.Members) {
				qual := mod + "." + member
				requireDoc(qual, "module member")
				d, _ := LookupDoc(qual)
				switch v := m.Members[member].(type) {
				case *starlarkstruct.Module: // os.path
					checkModule(qual, v)
				default:
					if isClass(v, d) || isObject(v) {
						checkClass(t, s, qual, v, checked)
					}
				}
			}
		}
		checkModule(modName, m)
	}

	// Every doc must name something that exists, and be well formed.
	for _, name := range docNames() {
		d, _ := lookupDocOwn(name)
		if !checked[name] {
			t.Errorf("doc %q names nothing that exists: remove it or fix its name", name)
		}
		if d.Alias != "" {
			_, ok := LookupDoc(d.Alias)
			assert.True(t, ok, "doc %s: alias %s has no doc", name, d.Alias)
			continue
		}
		assert.NotEmpty(t, d.Summary, "doc %s has no summary", name)
		if d.Sig != "" {
			assert.True(t, strings.HasPrefix(d.Sig, "("), "doc %s: Sig %q must be a parameter list, (a, b=1)", name, d.Sig)
		}
		if d.Base != "" {
			_, ok := lookupDocOwn(d.Base)
			assert.True(t, ok, "doc %s: base %s has no doc", name, d.Base)
		}
	}

	// An object's Type() leads help(obj) to one class only.
	types := make(map[string]string)
	for _, name := range docNames() {
		d, _ := lookupDocOwn(name)
		if d.Type == "" {
			continue
		}
		if other, dup := types[d.Type]; dup {
			t.Errorf("docs %s and %s both say their objects' Type() is %q: help(obj) cannot tell them apart", other, name, d.Type)
		}
		types[d.Type] = name
	}
}

// moduleHasDocs reports whether any doc is about the module.
func moduleHasDocs(mod string) bool {
	for _, name := range docNames() {
		if name == mod || strings.HasPrefix(name, mod+".") {
			return true
		}
	}
	return false
}

// checkClass makes an instance of the class (or takes the object) qual and
// checks its attributes against the docs named qual.ATTR.
func checkClass(t *testing.T, s *interp.Session, qual string, v starlark.Value, checked map[string]bool) {
	t.Helper()
	d, _ := LookupDoc(qual)
	var obj starlark.Value = v
	if _, isBuiltin := v.(*starlark.Builtin); isBuiltin {
		if d.Type == "" {
			t.Errorf("class %s: its doc needs Type, the Type() of its objects, so that help(obj) finds it", qual)
		}
		expr := d.Make
		if expr == "" {
			expr = qual + "()"
		}
		var err error
		obj, err = evalIn(t, s, expr)
		if !assert.NoError(t, err, "class %s: its doc's Make %q failed; give Make an expression that makes one", qual, expr) {
			return
		}
	}
	if d.Type != "" {
		assert.Equal(t, d.Type, obj.Type(), "class %s: Type in its doc is not the Type() of its objects", qual)
		name, ok := docHelper{}.nameOf(obj)
		assert.True(t, ok && name == qual, "help(%s) would document %q, not %s", d.Make, name, qual)
	}
	ha, ok := obj.(starlark.HasAttrs)
	if !ok {
		return
	}
	attrs := make(map[string]bool)
	for _, a := range ha.AttrNames() {
		attrs[a] = true
		if strings.HasPrefix(a, "_") {
			if _, ok := LookupDoc(qual + "." + a); ok {
				checked[qual+"."+a] = true // private, documented all the same
			}
			continue
		}
		if _, ok := LookupDoc(qual + "." + a); !ok {
			t.Errorf("attribute %s.%s has no doc: add it to its module's docs.go", qual, a)
		}
		checked[qual+"."+a] = true
	}
	// Docs of the class's own attributes must name attributes it has.
	prefix := qual + "."
	for _, name := range docNames() {
		rest, ok := strings.CutPrefix(name, prefix)
		if ok && !strings.Contains(rest, ".") && !attrs[rest] {
			t.Errorf("doc %s: %s objects have no attribute %s", name, qual, rest)
			checked[name] = true // reported here, not again as nonexistent
		}
	}
}

// TestHelpText renders help for every doc and for values of each kind.
func TestHelpText(t *testing.T) {
	s := docSession(t)
	g := s.Globals()

	for _, name := range docNames() {
		text := HelpText(g, starlark.String(name))
		require.NotContains(t, text, "No documentation found", name)
		d, _ := LookupDoc(name)
		if d.Alias == "" {
			assert.Contains(t, unwrap(text), unwrap(d.Summary), name)
		}
	}

	help := func(src string) string {
		t.Helper()
		v, err := evalIn(t, s, src)
		require.NoError(t, err, src)
		return HelpText(g, v)
	}

	// A module: summary, Python equivalent, members by kind.
	text := help("threading")
	assert.Contains(t, text, "Help on module threading:")
	assert.Contains(t, text, "Python: the same as Python's threading")
	assert.Contains(t, text, "Classes:\n")
	assert.Contains(t, text, "Lock()")
	assert.Contains(t, text, "Functions:\n")
	assert.Contains(t, text, "active_count()")
	assert.Contains(t, text, "Exceptions:\n  BrokenBarrierError")

	// A class: signature, summary, Python equivalent, its methods.
	text = help("threading.Lock")
	assert.True(t, strings.HasPrefix(text, "threading.Lock()\n    A lock:"), text)
	assert.Contains(t, text, "Python: threading.Lock(); instead of with lock:")
	assert.Contains(t, text, "Methods:\n  acquire(blocking=True, timeout=-1)\n      Take the lock,")
	assert.Contains(t, text, "  acquire_lock(blocking=True, timeout=-1)\n      another name for acquire.")
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, len(line), 79, "help wraps its lines: %q", line)
	}

	// A bound method, found through its object's class.
	_, err := evalIn(t, s, "q = queue.Queue()")
	require.NoError(t, err)
	text = help("q.get")
	assert.True(t, strings.HasPrefix(text, "queue.Queue.get(block=True, timeout=None)\n"), text)
	assert.Contains(t, text, "Python: the same as Python's queue.Queue.get")

	// An object: its class, with the inherited methods of a subclass.
	text = help("threading.Timer(1, print)")
	assert.Contains(t, text, "an object of class threading.Timer")
	assert.Contains(t, text, "  cancel()")
	assert.Contains(t, text, "  join(timeout=None)", "inherited from threading.Thread")

	// The stand-ins show their Python equivalent.
	text = help("try_")
	assert.Contains(t, text, "try_(body, except_=None, else_=None, finally_=None)")
	assert.Contains(t, text, "Python: try: body() / except E as e: handler(e) / else: else_() /")

	// interp's core builtins and Starlark's universe.
	assert.Contains(t, help("print"), `print(*args, sep=" ", end="\n", file=None, flush=False)`)
	assert.Contains(t, help("len"), "len(x)\n")
	assert.Contains(t, help("type"), "type(1) == int")
	assert.Contains(t, help("int"), "int(x=0, base=10)\n", "int is a class now, still documented")

	// Exceptions: classes and instances, built-in and module ones.
	assert.Contains(t, help("ValueError"), "ValueError(*args)\n")
	assert.Contains(t, help("ValueError('x')"), "ValueError(*args)\n")
	assert.Contains(t, help("queue.Empty"), "queue.Empty(*args)\n")
	assert.Contains(t, help("exception('MyError', KeyError)"), "class MyError(KeyError): pass")

	// Aliases name what they stand for.
	assert.Contains(t, help("threading.currentThread"), "threading.currentThread is another name for threading.current_thread.")

	// A learner's own function: its signature and docstring.
	_, err = evalIn(t, s, "def work(n, delay=0.5, *args, **kw):\n    \"Do n things.\"\n    pass\n")
	require.NoError(t, err)
	text = help("work")
	assert.Contains(t, text, "work(n, delay=0.5, *args, **kw)\n    Do n things.\n")

	// Values of Starlark's own types, and their methods.
	assert.Contains(t, help("[1]"), "[1]: a value of type list\n    Attributes: append,")
	assert.Contains(t, help("'a'.upper"), "str.upper(...)")

	// No argument; a name that is not documented; a keyword.
	assert.Contains(t, HelpText(g, nil), "  threading  Threads and the primitives")
	assert.Contains(t, HelpText(g, starlark.String("nope")), "No documentation found for 'nope'")
	assert.Contains(t, HelpText(g, starlark.String("with")), "Starlark has no with statement")
}

// unwrap undoes help's line wrapping, to find a summary in its text.
func unwrap(text string) string { return strings.Join(strings.Fields(text), " ") }

// TestHelpBuiltin calls help() from Starlark: it prints to the run's stdout.
func TestHelpBuiltin(t *testing.T) {
	var out strings.Builder
	it := interp.New(interp.Options{Stdout: &out, Stderr: io.Discard, Predeclared: Predeclared})
	code := it.Run("help.star", []byte("help(threading.Event)\nhelp(print)\n"))
	require.Equal(t, 0, code)
	assert.Contains(t, out.String(), "threading.Event()\n    A flag that threads can wait for")
	assert.Contains(t, out.String(), "print(*args, sep=")
}
