package interp

import (
	"strings"

	"go.starlark.net/starlark"
)

// This file is the front end of the dialect: how Python-flavoured source
// becomes a Starlark program. Three steps, each through a public extension
// point of go.starlark.net (its source is never patched):
//
//  1. rewriteImports, a line-preserving source rewrite, for the one Python
//     statement learners paste that Starlark cannot parse at all and that
//     has a faithful meaning here: import. Every module is predeclared, so
//     `import threading` only checks that the module exists, and
//     `from queue import Queue` binds the name. Line numbers do not move.
//     f-strings are rewritten the same way into str.format calls (fstrings.go),
//     and global statements into pass, their names kept (pyglobals.go).
//  2. syntax.Parse, then the rewrites of the syntax tree: globalsPass for
//     the names declared global, and pyPass (pypass.go).
//  3. starlark.FileProgram, with a predeclared set that claims every name the
//     universe lacks, so that a name defined nowhere fails when its line
//     runs (NameError, with a traceback), as in Python, not before the
//     script starts. The missing name reaches the runtime as an
//     uninitialised predeclared variable, which errmap.go maps to NameError.
//
// A parse error is explained by syntaxhints.go: Python statements Starlark
// lacks (class, with, try, raise, global, ...) get the starlab form to use.

// compileSource parses, rewrites and compiles one module. globals are the
// predeclared names of the module (modules, builtins).
func compileSource(filename string, src []byte, globals starlark.StringDict) (*starlark.Program, error) {
	rewritten, globalDecls := rewriteGlobalStmts(rewriteFStrings(rewriteImports(src)))
	f, err := FileOptions().Parse(filename, rewritten, 0)
	if err != nil {
		return nil, explainSyntaxError(err, src)
	}
	if err := checkTreeDepth(f); err != nil { // depth.go: no Go stack overflow from input
		return nil, err
	}
	guardTree(f) // guard.go: before pyPass rewrites % and .format
	if globalDecls != nil {
		globalsPass(f, globalDecls)
	}
	pyPass(f)
	return starlark.FileProgram(f, func(name string) bool {
		return globals.Has(name) || !starlark.Universe.Has(name)
	})
}

// importHook is the hidden builtin the import rewrite calls (pyhooks.go).
const importHook = "__import__"

// rewriteImports turns each single-line import statement into an
// assignment from __import__, at the same indentation and on the same line:
//
//	import threading              → threading = __import__("threading")
//	import socket, time           → socket, time = __import__("socket"), __import__("time")
//	import numpy as np            → np = __import__("numpy")
//	from queue import Queue       → Queue = __import__("queue", "Queue")
//	from m import a, b as c       → a, c = __import__("m", "a", "b")
//
// Lines in a triple-quoted string are left alone; so are forms this cannot
// express (from m import *, an import continued on the next line), which
// then fail to parse and get a hint. Source without an import is returned
// as it is.
func rewriteImports(src []byte) []byte {
	s := string(src)
	if !strings.Contains(s, "import") {
		return src
	}
	lines := strings.Split(s, "\n")
	inString := false
	for i, line := range lines {
		if n := strings.Count(line, `"""`) + strings.Count(line, `'''`); n%2 == 1 {
			inString = !inString
			continue
		}
		if inString {
			continue
		}
		if r, ok := rewriteImportLine(line); ok {
			lines[i] = r
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

func rewriteImportLine(line string) (string, bool) {
	body := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(body)]
	if i := strings.IndexByte(body, '#'); i >= 0 {
		body = body[:i]
	}
	body = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(body), ";"))
	var lhs, rhs []string
	switch {
	case strings.HasPrefix(body, "import "):
		for _, item := range strings.Split(body[len("import "):], ",") {
			mod, as, ok := importItem(item, true)
			if !ok {
				return "", false
			}
			if as == "" {
				as, _, _ = strings.Cut(mod, ".") // import os.path binds os
			}
			lhs = append(lhs, as)
			rhs = append(rhs, importHook+`("`+mod+`")`)
		}
	case strings.HasPrefix(body, "from "):
		mod, names, ok := strings.Cut(body[len("from "):], " import ")
		mod = strings.TrimSpace(mod)
		if !ok || !isDotted(mod) {
			return "", false
		}
		args := []string{`"` + mod + `"`}
		for _, item := range strings.Split(names, ",") {
			name, as, ok := importItem(item, false)
			if !ok {
				return "", false
			}
			if as == "" {
				as = name
			}
			lhs = append(lhs, as)
			args = append(args, `"`+name+`"`)
		}
		rhs = []string{importHook + "(" + strings.Join(args, ", ") + ")"}
	default:
		return "", false
	}
	return indent + strings.Join(lhs, ", ") + " = " + strings.Join(rhs, ", "), true
}

// importItem reads "name" or "name as alias"; dotted names only when
// dotted is true (import a.b, but from m import name).
func importItem(item string, dotted bool) (name, as string, ok bool) {
	f := strings.Fields(item)
	switch {
	case len(f) == 1:
		name = f[0]
	case len(f) == 3 && f[1] == "as" && isIdent(f[2]):
		name, as = f[0], f[2]
	default:
		return "", "", false
	}
	if dotted {
		return name, as, isDotted(name)
	}
	return name, as, isIdent(name)
}

func isDotted(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !isIdent(part) {
			return false
		}
	}
	return true
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return !syntaxKeywords[s]
}

// syntaxKeywords are words that cannot be bound by an import.
var syntaxKeywords = map[string]bool{
	"and": true, "as": true, "assert": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true, "finally": true,
	"for": true, "from": true, "global": true, "if": true, "import": true, "in": true,
	"is": true, "lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true,
	"raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}
