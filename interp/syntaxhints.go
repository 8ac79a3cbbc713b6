package interp

import (
	"errors"
	"strings"

	"go.starlark.net/syntax"
)

// explainSyntaxError rewords a parse error on a line of Python that
// Starlark lacks into a SyntaxError that names the starlab form to use:
// pasted Python gets a way forward, not "got with, want primary
// expression". It runs only when parsing has failed, so it costs nothing
// on a script that parses. Other errors are returned unchanged.
func explainSyntaxError(err error, src []byte) error {
	var serr syntax.Error
	if !errors.As(err, &serr) {
		return err
	}
	lines := strings.Split(string(src), "\n")
	n := int(serr.Pos.Line)
	if n < 1 || n > len(lines) {
		return err
	}
	if hint := syntaxHint(serr.Msg, lines, n-1); hint != "" {
		serr.Msg = hint
		return serr
	}
	return err
}

// statementHints are the Python statements Starlark has not, by their first
// word, with the starlab form (README, "What Starlark lacks").
var statementHints = map[string]string{
	"class": "Starlark has no class statement: an exception class is MyError = exception(\"MyError\", ValueError); " +
		"a thread with its own state is threading.Thread(target=fn, args=(...)) or a function that builds one (README: stand-ins)",
	"with":     "Starlark has no with statement: use lock.acquire() / lock.release(), or try_(..., finally_=lock.release)",
	"global":   "Starlark has no global statement: keep shared state in a mutable container, state = {\"num\": 100}; state[\"num\"] -= 1",
	"nonlocal": "Starlark has no nonlocal statement: keep shared state in a mutable container, state = {\"n\": 0}; state[\"n\"] += 1",
	"try":      "Starlark has no try statement: use try_(body, except_=[(ValueError, handler)], else_=fn, finally_=fn)",
	"except":   "Starlark has no try statement: use try_(body, except_=[(ValueError, handler)], else_=fn, finally_=fn)",
	"finally":  "Starlark has no try statement: use try_(body, except_=[(ValueError, handler)], else_=fn, finally_=fn)",
	"raise":    "Starlark has no raise statement: use raise_(ValueError(\"msg\")); raise_() re-raises, raise_(E, from_=e) chains",
	"assert":   "Starlark has no assert statement: use assert_(cond, \"msg\")",
	"del":      "Starlark has no del statement: use d.pop(key) for a dict entry, lst.pop(i) or lst.remove(x) for a list element",
	"yield":    "Starlark has no generators: build and return a list instead",
	"async":    "Starlark has no async functions: use threads (threading.Thread) or greenlets",
	"await":    "Starlark has no async functions: use threads (threading.Thread) or greenlets",
	"import":   "write the import on one line (import socket, time; from queue import Queue): the modules are predeclared",
	"from":     "import names one by one (from socket import socket, AF_INET) or use the module's name (socket.AF_INET): the modules are predeclared",
}

// syntaxHint returns the reworded message for a parse error at line i
// (0-based) with Starlark's message msg, or "".
func syntaxHint(msg string, lines []string, i int) string {
	line := strings.TrimSpace(lines[i])
	word := line
	if j := strings.IndexAny(line, " \t:(\"'"); j >= 0 {
		word = line[:j]
	}
	switch {
	case strings.Contains(msg, "got '**'"):
		return "Starlark has no ** operator: use pow(x, y)"
	case strings.HasPrefix(msg, "got is,") || strings.Contains(line, " is not ") && strings.HasPrefix(msg, "got not"):
		return "Starlark has no is operator: use == (x == None, x != None)"
	case word == "print" && !strings.HasPrefix(strings.TrimSpace(line[len("print"):]), "("):
		return "print is a function: print(\"x\"), as in Python 3"
	case word == "else" && loopBefore(lines, i):
		return "Starlark has no while/for ... else: set a flag in the loop (found = True) and test it after"
	case word == "from" && strings.HasSuffix(line, "import *"):
		return "Starlark has no import *: use the module's name (socket.AF_INET); every module is predeclared"
	case strings.HasPrefix(msg, "got string literal") && (strings.Contains(line, `f"`) || strings.Contains(line, `f'`)):
		return "starlab rewrites f-strings, but not this one (an rf-string, or one spanning lines at the prompt): use \"{} and {}\".format(a, b)"
	}
	if hint, ok := statementHints[word]; ok {
		return hint
	}
	return ""
}

// loopBefore reports whether the block that an `else:` at line i closes is
// a while or for loop: the nearest line above at the same indentation.
func loopBefore(lines []string, i int) bool {
	indent := len(lines[i]) - len(strings.TrimLeft(lines[i], " \t"))
	for j := i - 1; j >= 0; j-- {
		l := lines[j]
		t := strings.TrimLeft(l, " \t")
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if len(l)-len(t) == indent {
			return strings.HasPrefix(t, "while ") || strings.HasPrefix(t, "for ")
		}
	}
	return false
}
