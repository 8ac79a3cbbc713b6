package interp

import (
	"fmt"

	"go.starlark.net/syntax"
)

// Input must not be able to overflow the Go stack: a Go stack overflow is a
// fatal error that no recover catches, so it would end starlab with a Go
// dump instead of a Python error. go.starlark.net's parser bounds its own
// recursion (brackets and nested expressions: "excessive nesting" past
// 1000), but it builds left-deep chains such as `x = 1+1+...+1` with two
// million terms, or `f()()()...`, in a loop, and its resolver and compiler
// then recurse once per level and overflow. So starlab checks the depth of
// the parsed tree before resolving it, with a syntax.Walk that never goes
// deeper than maxTreeDepth (it stops descending there). Deeper is a
// SyntaxError "too many nested expressions" at the first node too deep;
// CPython raises "RecursionError: maximum recursion depth exceeded during
// compilation" there, without a position, which helps less.
const maxTreeDepth = 1000 // Python's default recursion limit

// checkTreeDepth reports a syntax tree (a module, or a REPL chunk) nested
// deeper than maxTreeDepth.
func checkTreeDepth(n syntax.Node) error {
	depth := 0
	var deep syntax.Node
	syntax.Walk(n, func(n syntax.Node) bool {
		if n == nil { // Walk calls f(nil) after a node's children
			depth--
			return true
		}
		depth++
		if depth > maxTreeDepth && deep == nil {
			deep = n
		}
		return deep == nil
	})
	if deep != nil {
		start, _ := deep.Span()
		return syntax.Error{Pos: start, Msg: fmt.Sprintf("too many nested expressions (more than %d levels)", maxTreeDepth)}
	}
	return nil
}
