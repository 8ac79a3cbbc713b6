package interp

import "go.starlark.net/syntax"

// The syntax pass: between parsing and compiling, a few Python forms that
// Starlark parses but evaluates its own way are rewritten into calls of
// starlab's hidden builtins (see pyhooks.go):
//
//	"%5.2f" % x        → __percent__("%5.2f", x)          Python's printf-style formatting
//	fmt % (a, b)       → __percent__(fmt, (a, b))         the same: a tuple is never arithmetic
//	x.format(a, b=1)   → __method__(x, "format", a, b=1)  Python's str.format, format specs and all
//	x.ljust(10)        → __method__(x, "ljust", 10)       str methods Starlark lacks
//	lst.sort(key=len)  → __method__(lst, "sort", key=len) list, tuple and dict methods Starlark lacks
//	d.pop("k")         → __method__(d, "pop", "k")        Python's wording when it fails
//	b"GET"             → __b__("GET")                     Python's bytes (pybytes.go)
//
// Why a rewrite rather than a wrapper type: a Starlark string is the
// interpreter's own value, and its % operator and methods cannot be
// extended from outside go.starlark.net. Why these forms only: everything
// else (a plain x % y on numbers, q.get(), lock.acquire()) is left alone, so
// code that does not use them runs exactly as fast as before. The rewritten
// call keeps the position of the original operator or call, so tracebacks
// point at the same line.
//
// A % whose left operand is not a string literal and whose right one is not
// a tuple or dict literal (fmt % x, both names) keeps Starlark's own %,
// which handles %s, %d, %r and %x without widths; README lists that
// departure.

// hookedMethods are the method names whose calls go through __method__.
var hookedMethods = map[string]bool{
	"format": true, "center": true, "ljust": true, "rjust": true, "zfill": true,
	"swapcase": true, "index": true, "pop": true, "decode": true, "encode": true,
	"expandtabs": true, "isascii": true, "casefold": true, "isdecimal": true,
	"isnumeric": true, "isidentifier": true, "isprintable": true,
	"sort": true, "reverse": true, "copy": true, "count": true, "join": true,
}

const (
	percentHook = "__percent__"
	methodHook  = "__method__"
	bytesHook   = "__b__"
)

// pyPass rewrites f in place. Each b"..." literal becomes __b__("..."), a
// Python bytes value (pybytes.go).
func pyPass(f *syntax.File) {
	p := &rewriter{}
	p.stmts(f.Stmts)
}

type rewriter struct{}

func (p *rewriter) stmts(ss []syntax.Stmt) {
	for _, s := range ss {
		p.stmt(s)
	}
}

func (p *rewriter) stmt(s syntax.Stmt) {
	switch s := s.(type) {
	case *syntax.AssignStmt:
		s.LHS = p.expr(s.LHS)
		s.RHS = p.expr(s.RHS)
	case *syntax.DefStmt:
		p.exprs(s.Params)
		p.stmts(s.Body)
	case *syntax.ExprStmt:
		s.X = p.expr(s.X)
	case *syntax.IfStmt:
		s.Cond = p.expr(s.Cond)
		p.stmts(s.True)
		p.stmts(s.False)
	case *syntax.ForStmt:
		s.Vars = p.expr(s.Vars)
		s.X = p.expr(s.X)
		p.stmts(s.Body)
	case *syntax.WhileStmt:
		s.Cond = p.expr(s.Cond)
		p.stmts(s.Body)
	case *syntax.ReturnStmt:
		if s.Result != nil {
			s.Result = p.expr(s.Result)
		}
	}
}

func (p *rewriter) exprs(xs []syntax.Expr) {
	for i, x := range xs {
		xs[i] = p.expr(x)
	}
}

// expr rewrites the subexpressions of x, then x itself.
func (p *rewriter) expr(x syntax.Expr) syntax.Expr {
	switch x := x.(type) {
	case nil, *syntax.Ident:
		return x
	case *syntax.Literal:
		if x.Token == syntax.BYTES {
			lit := &syntax.Literal{Token: syntax.STRING, TokenPos: x.TokenPos, Raw: x.Raw, Value: x.Value}
			return &syntax.CallExpr{Fn: hookIdent(bytesHook, x.TokenPos), Lparen: x.TokenPos, Args: []syntax.Expr{lit}, Rparen: x.TokenPos}
		}
		return x
	case *syntax.ParenExpr:
		x.X = p.expr(x.X)
	case *syntax.CallExpr:
		x.Fn = p.expr(x.Fn)
		p.exprs(x.Args)
		if dot, ok := x.Fn.(*syntax.DotExpr); ok && hookedMethods[dot.Name.Name] {
			name := &syntax.Literal{Token: syntax.STRING, TokenPos: dot.NamePos, Raw: `"` + dot.Name.Name + `"`, Value: dot.Name.Name}
			args := append([]syntax.Expr{dot.X, name}, x.Args...)
			return &syntax.CallExpr{Fn: hookIdent(methodHook, dot.Dot), Lparen: x.Lparen, Args: args, Rparen: x.Rparen}
		}
	case *syntax.DotExpr:
		x.X = p.expr(x.X)
	case *syntax.IndexExpr:
		x.X = p.expr(x.X)
		x.Y = p.expr(x.Y)
	case *syntax.SliceExpr:
		x.X = p.expr(x.X)
		x.Lo = p.expr(x.Lo)
		x.Hi = p.expr(x.Hi)
		x.Step = p.expr(x.Step)
	case *syntax.Comprehension:
		x.Body = p.expr(x.Body)
		for _, c := range x.Clauses {
			switch c := c.(type) {
			case *syntax.ForClause:
				c.Vars = p.expr(c.Vars)
				c.X = p.expr(c.X)
			case *syntax.IfClause:
				c.Cond = p.expr(c.Cond)
			}
		}
	case *syntax.DictExpr:
		p.exprs(x.List)
	case *syntax.DictEntry:
		x.Key = p.expr(x.Key)
		x.Value = p.expr(x.Value)
	case *syntax.LambdaExpr:
		p.exprs(x.Params)
		x.Body = p.expr(x.Body)
	case *syntax.ListExpr:
		p.exprs(x.List)
	case *syntax.TupleExpr:
		p.exprs(x.List)
	case *syntax.CondExpr:
		x.Cond = p.expr(x.Cond)
		x.True = p.expr(x.True)
		x.False = p.expr(x.False)
	case *syntax.UnaryExpr:
		x.X = p.expr(x.X)
	case *syntax.BinaryExpr:
		x.X = p.expr(x.X)
		x.Y = p.expr(x.Y)
		if x.Op == syntax.PERCENT && isFormatting(x) {
			return &syntax.CallExpr{Fn: hookIdent(percentHook, x.OpPos), Lparen: x.OpPos, Args: []syntax.Expr{x.X, x.Y}, Rparen: x.OpPos}
		}
	}
	return x
}

// isFormatting reports whether x % y is string formatting for sure: x is a
// string literal, or y a tuple or dict literal (fmt % (a, b)), which no
// number takes. A % between two names is left to Starlark, which formats
// %s, %d, %r and %x without widths when the left operand is a string.
func isFormatting(x *syntax.BinaryExpr) bool {
	if lit, ok := x.X.(*syntax.Literal); ok && lit.Token == syntax.STRING {
		return true
	}
	y := x.Y
	if p, ok := y.(*syntax.ParenExpr); ok {
		y = p.X
	}
	switch y.(type) {
	case *syntax.TupleExpr, *syntax.DictExpr:
		return true
	}
	return false
}

func hookIdent(name string, pos syntax.Position) *syntax.Ident {
	return &syntax.Ident{NamePos: pos, Name: name}
}
