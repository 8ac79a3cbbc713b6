package repl

import (
	"sort"
	"strings"
	"unicode"

	"go.starlark.net/starlark"
)

// keywords are Starlark's statements and operators, completed with the names.
var keywords = []string{
	"and", "break", "continue", "def", "elif", "else", "for", "if", "in",
	"lambda", "load", "not", "or", "pass", "return", "while",
}

// indent is what Tab inserts where there is nothing to complete: at the start
// of a line of a block.
const indent = "    "

// complete returns the candidates for the word before pos in line: a global,
// a keyword or a builtin; or, after a dot, an attribute (threading.Con →
// threading.Condition, q. → put, get, ...). The part before the last dot is
// evaluated only if it is a plain dotted name (q, threading, t.name): its
// parts are looked up, and nothing is ever called. The caller must hold the
// baton: attributes of Go-backed objects are read as a running thread would.
//
// The result holds whole words (the last part only: "Condition") and the
// length of the partial word already typed ("Con": 3).
func complete(globals starlark.StringDict, line []rune, pos int) completionResult {
	if pos > len(line) {
		pos = len(line)
	}
	before := line[:pos]
	if strings.TrimSpace(string(before)) == "" {
		return completionResult{words: []string{indent}}
	}
	if inString(before) {
		return completionResult{}
	}
	start := pos
	for start > 0 && (isIdentRune(before[start-1]) || before[start-1] == '.') {
		start--
	}
	word := string(before[start:])
	if word != "" && unicode.IsDigit([]rune(word)[0]) {
		return completionResult{} // a number: 1.5
	}
	dot := strings.LastIndexByte(word, '.')
	if dot < 0 {
		return completionResult{words: matching(nameCandidates(globals), word), prefix: len([]rune(word))}
	}
	partial := word[dot+1:]
	v, ok := lookupDotted(globals, word[:dot])
	if !ok {
		return completionResult{}
	}
	ha, ok := v.(starlark.HasAttrs)
	if !ok {
		return completionResult{}
	}
	return completionResult{words: matching(ha.AttrNames(), partial), prefix: len([]rune(partial))}
}

// nameCandidates are the names a word can start with.
func nameCandidates(globals starlark.StringDict) []string {
	names := append([]string(nil), keywords...)
	for k := range globals {
		names = append(names, k)
	}
	for k := range starlark.Universe {
		names = append(names, k)
	}
	return names
}

// matching returns the sorted, distinct names that start with partial.
// Names starting with an underscore are offered only for a partial that
// does (as Python's completer does): _value, __name__.
func matching(names []string, partial string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, n := range names {
		if !strings.HasPrefix(n, partial) || seen[n] {
			continue
		}
		if strings.HasPrefix(n, "_") && !strings.HasPrefix(partial, "_") {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// lookupDotted finds the value of a plain dotted name (a.b.c) by looking its
// parts up; anything else (a call, an index, an empty part) is refused.
func lookupDotted(globals starlark.StringDict, name string) (starlark.Value, bool) {
	parts := strings.Split(name, ".")
	for _, p := range parts {
		if p == "" || !isIdent(p) {
			return nil, false
		}
	}
	v, ok := globals[parts[0]]
	if !ok {
		v, ok = starlark.Universe[parts[0]]
	}
	if !ok {
		return nil, false
	}
	for _, p := range parts[1:] {
		ha, ok := v.(starlark.HasAttrs)
		if !ok {
			return nil, false
		}
		next, err := ha.Attr(p)
		if err != nil || next == nil {
			return nil, false
		}
		v = next
	}
	return v, true
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func isIdent(s string) bool {
	for i, r := range s {
		if !isIdentRune(r) || (i == 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// inString reports whether the end of before is inside a string literal
// (an approximation: quotes are counted, escapes skipped).
func inString(before []rune) bool {
	var quote rune
	for i := 0; i < len(before); i++ {
		switch c := before[i]; {
		case quote != 0 && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote == 0 && c == '#':
			return true // a comment: nothing to complete
		}
	}
	return quote != 0
}
