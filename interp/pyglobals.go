package interp

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Python's `global` statement, which Starlark has not: a function cannot
// assign a module variable. The course's lock examples do exactly that
// (global num; num -= 1), so starlab gives it its meaning:
//
//  1. rewriteGlobalStmts, a line-preserving source rewrite, turns each
//     `global a, b` line into `pass` and remembers the names by line.
//  2. globalsPass, over the syntax tree, keeps every name declared global
//     anywhere in a cell of one per-module object, __g__ (a globalCells
//     made by the statement it adds first): at top level, in a function
//     that declares it, and in a function that only reads it, the name
//     becomes __g__["name"]; a function that assigns it without declaring
//     it keeps a local of that name, as in Python.
//
// A script without a global statement is not touched. Reading a cell never
// set is Python's NameError.

const (
	cellsName = "__g__"
	cellsHook = "__globals__"
)

// rewriteGlobalStmts replaces the global statements of src by pass, on the
// same lines, and returns the names each declared, by line number.
func rewriteGlobalStmts(src []byte) ([]byte, map[int][]string) {
	s := string(src)
	if !strings.Contains(s, "global ") {
		return src, nil
	}
	lines := strings.Split(s, "\n")
	decls := make(map[int][]string)
	inString := false
	for i, line := range lines {
		if n := strings.Count(line, `"""`) + strings.Count(line, `'''`); n%2 == 1 {
			inString = !inString
			continue
		}
		body := strings.TrimLeft(line, " \t")
		if inString || !strings.HasPrefix(body, "global ") {
			continue
		}
		rest := body[len("global "):]
		if j := strings.IndexByte(rest, '#'); j >= 0 {
			rest = rest[:j]
		}
		var names []string
		for _, n := range strings.Split(rest, ",") {
			if n = strings.TrimSpace(n); !isIdent(n) {
				names = nil
				break
			}
			names = append(names, n)
		}
		if names == nil {
			continue // not a global statement after all: the parser will say so
		}
		decls[i+1] = names
		lines[i] = line[:len(line)-len(body)] + "pass"
	}
	if len(decls) == 0 {
		return src, nil
	}
	return []byte(strings.Join(lines, "\n")), decls
}

// globalsPass rewrites f as described above; decls is rewriteGlobalStmts's.
func globalsPass(f *syntax.File, decls map[int][]string) {
	all := make(map[string]bool)
	for _, names := range decls {
		for _, n := range names {
			all[n] = true
		}
	}
	// Names a top-level def or load binds stay ordinary globals.
	for _, s := range f.Stmts {
		switch s := s.(type) {
		case *syntax.DefStmt:
			delete(all, s.Name.Name)
		case *syntax.LoadStmt:
			for _, id := range s.To {
				delete(all, id.Name)
			}
		}
	}
	if len(all) == 0 {
		return
	}
	g := &globalsRewriter{decls: decls}
	g.stmts(f.Stmts, all)
	var pos syntax.Position
	if len(f.Stmts) > 0 {
		pos, _ = f.Stmts[0].Span()
	}
	init := &syntax.AssignStmt{OpPos: pos, Op: syntax.EQ, LHS: &syntax.Ident{NamePos: pos, Name: cellsName},
		RHS: &syntax.CallExpr{Fn: &syntax.Ident{NamePos: pos, Name: cellsHook}, Lparen: pos, Rparen: pos}}
	f.Stmts = append([]syntax.Stmt{init}, f.Stmts...)
}

type globalsRewriter struct{ decls map[int][]string }

// cell is __g__["name"] at the position of id.
func cell(id *syntax.Ident) syntax.Expr {
	return &syntax.IndexExpr{
		X:      &syntax.Ident{NamePos: id.NamePos, Name: cellsName},
		Lbrack: id.NamePos,
		Y:      &syntax.Literal{Token: syntax.STRING, TokenPos: id.NamePos, Raw: `"` + id.Name + `"`, Value: id.Name},
		Rbrack: id.NamePos,
	}
}

func (g *globalsRewriter) stmts(ss []syntax.Stmt, cells map[string]bool) {
	for _, s := range ss {
		g.stmt(s, cells)
	}
}

func (g *globalsRewriter) stmt(s syntax.Stmt, cells map[string]bool) {
	switch s := s.(type) {
	case *syntax.AssignStmt:
		s.LHS = g.expr(s.LHS, cells)
		s.RHS = g.expr(s.RHS, cells)
	case *syntax.DefStmt:
		g.function(s.Params, s.Body, cells)
	case *syntax.ExprStmt:
		s.X = g.expr(s.X, cells)
	case *syntax.IfStmt:
		s.Cond = g.expr(s.Cond, cells)
		g.stmts(s.True, cells)
		g.stmts(s.False, cells)
	case *syntax.ForStmt:
		s.Vars = g.expr(s.Vars, cells)
		s.X = g.expr(s.X, cells)
		g.stmts(s.Body, cells)
	case *syntax.WhileStmt:
		s.Cond = g.expr(s.Cond, cells)
		g.stmts(s.Body, cells)
	case *syntax.ReturnStmt:
		if s.Result != nil {
			s.Result = g.expr(s.Result, cells)
		}
	}
}

// function rewrites a def's body: its cells are the names it
// declares global, and the enclosing scope's cells it does not bind itself.
func (g *globalsRewriter) function(params []syntax.Expr, body []syntax.Stmt, outer map[string]bool) {
	for i, p := range params { // defaults are evaluated in the enclosing scope
		if b, ok := p.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
			b.Y = g.expr(b.Y, outer)
			params[i] = b
		}
	}
	locals := make(map[string]bool)
	for _, p := range params {
		switch p := p.(type) {
		case *syntax.Ident:
			locals[p.Name] = true
		case *syntax.BinaryExpr:
			locals[p.X.(*syntax.Ident).Name] = true
		case *syntax.UnaryExpr:
			if id, ok := p.X.(*syntax.Ident); ok {
				locals[id.Name] = true
			}
		}
	}
	declared := make(map[string]bool)
	g.scan(body, locals, declared)
	cells := make(map[string]bool)
	for n := range outer {
		if !locals[n] {
			cells[n] = true
		}
	}
	for n := range declared {
		cells[n] = true
	}
	g.stmts(body, cells)
}

// scan finds what a function body binds (not counting nested functions'
// own names) and the names its global statements (now pass) declare.
func (g *globalsRewriter) scan(ss []syntax.Stmt, locals, declared map[string]bool) {
	for _, s := range ss {
		switch s := s.(type) {
		case *syntax.BranchStmt:
			if s.Token == syntax.PASS {
				for _, n := range g.decls[int(s.TokenPos.Line)] {
					declared[n] = true
				}
			}
		case *syntax.AssignStmt:
			bound(s.LHS, locals)
		case *syntax.DefStmt:
			locals[s.Name.Name] = true
		case *syntax.ForStmt:
			bound(s.Vars, locals)
			g.scan(s.Body, locals, declared)
		case *syntax.WhileStmt:
			g.scan(s.Body, locals, declared)
		case *syntax.IfStmt:
			g.scan(s.True, locals, declared)
			g.scan(s.False, locals, declared)
		}
	}
	for n := range declared {
		delete(locals, n)
	}
}

// bound adds the names an assignment target binds.
func bound(x syntax.Expr, names map[string]bool) {
	switch x := x.(type) {
	case *syntax.Ident:
		names[x.Name] = true
	case *syntax.TupleExpr:
		for _, e := range x.List {
			bound(e, names)
		}
	case *syntax.ListExpr:
		for _, e := range x.List {
			bound(e, names)
		}
	case *syntax.ParenExpr:
		bound(x.X, names)
	}
}

func (g *globalsRewriter) exprs(xs []syntax.Expr, cells map[string]bool) {
	for i, x := range xs {
		xs[i] = g.expr(x, cells)
	}
}

// expr rewrites the names of cells in x (not attribute or keyword names).
func (g *globalsRewriter) expr(x syntax.Expr, cells map[string]bool) syntax.Expr {
	switch x := x.(type) {
	case *syntax.Ident:
		if cells[x.Name] {
			return cell(x)
		}
	case *syntax.ParenExpr:
		x.X = g.expr(x.X, cells)
	case *syntax.CallExpr:
		x.Fn = g.expr(x.Fn, cells)
		for i, a := range x.Args {
			if b, ok := a.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
				b.Y = g.expr(b.Y, cells) // k=v: k is a keyword, not a name
				continue
			}
			x.Args[i] = g.expr(a, cells)
		}
	case *syntax.DotExpr:
		x.X = g.expr(x.X, cells)
	case *syntax.IndexExpr:
		x.X = g.expr(x.X, cells)
		x.Y = g.expr(x.Y, cells)
	case *syntax.SliceExpr:
		x.X = g.expr(x.X, cells)
		x.Lo = g.expr(x.Lo, cells)
		x.Hi = g.expr(x.Hi, cells)
		x.Step = g.expr(x.Step, cells)
	case *syntax.Comprehension:
		inner := make(map[string]bool, len(cells))
		for n := range cells {
			inner[n] = true
		}
		for _, c := range x.Clauses {
			if fc, ok := c.(*syntax.ForClause); ok {
				own := make(map[string]bool)
				bound(fc.Vars, own)
				for n := range own {
					delete(inner, n)
				}
			}
		}
		first := true
		for _, c := range x.Clauses {
			switch c := c.(type) {
			case *syntax.ForClause:
				if first { // the first iterable is evaluated outside
					c.X = g.expr(c.X, cells)
					first = false
				} else {
					c.X = g.expr(c.X, inner)
				}
			case *syntax.IfClause:
				c.Cond = g.expr(c.Cond, inner)
			}
		}
		x.Body = g.expr(x.Body, inner)
	case *syntax.DictExpr:
		g.exprs(x.List, cells)
	case *syntax.DictEntry:
		x.Key = g.expr(x.Key, cells)
		x.Value = g.expr(x.Value, cells)
	case *syntax.LambdaExpr:
		inner := make(map[string]bool, len(cells))
		for n := range cells {
			inner[n] = true
		}
		for i, p := range x.Params {
			switch p := p.(type) {
			case *syntax.Ident:
				delete(inner, p.Name)
			case *syntax.BinaryExpr: // a default, evaluated outside
				p.Y = g.expr(p.Y, cells)
				x.Params[i] = p
				delete(inner, p.X.(*syntax.Ident).Name)
			case *syntax.UnaryExpr:
				if id, ok := p.X.(*syntax.Ident); ok {
					delete(inner, id.Name)
				}
			}
		}
		x.Body = g.expr(x.Body, inner)
	case *syntax.ListExpr:
		g.exprs(x.List, cells)
	case *syntax.TupleExpr:
		g.exprs(x.List, cells)
	case *syntax.CondExpr:
		x.Cond = g.expr(x.Cond, cells)
		x.True = g.expr(x.True, cells)
		x.False = g.expr(x.False, cells)
	case *syntax.UnaryExpr:
		if x.X != nil {
			x.X = g.expr(x.X, cells)
		}
	case *syntax.BinaryExpr:
		x.X = g.expr(x.X, cells)
		x.Y = g.expr(x.Y, cells)
	}
	return x
}

// globalCells holds a module's variables declared global: a mapping whose
// missing key is Python's NameError. It is never frozen, as module globals
// are not while threads run; the GIL serialises its use.
type globalCells struct{ m map[string]starlark.Value }

var (
	_ starlark.Mapping   = (*globalCells)(nil)
	_ starlark.HasSetKey = (*globalCells)(nil)
)

func (c *globalCells) String() string       { return "<globals>" }
func (c *globalCells) Type() string         { return "globals" }
func (c *globalCells) Freeze()              {}
func (c *globalCells) Truth() starlark.Bool { return true }
func (c *globalCells) Hash() (uint32, error) {
	return 0, Errorf(TypeError, "unhashable type: 'globals'")
}

func (c *globalCells) Get(k starlark.Value) (starlark.Value, bool, error) {
	name, _ := k.(starlark.String)
	if v, ok := c.m[string(name)]; ok {
		return v, true, nil
	}
	return nil, false, Errorf(NameError, "name '%s' is not defined", string(name))
}

func (c *globalCells) SetKey(k, v starlark.Value) error {
	name, _ := k.(starlark.String)
	c.m[string(name)] = v
	return nil
}

func newGlobalCells(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return &globalCells{m: make(map[string]starlark.Value)}, nil
}

// exposeCells puts the variables of a module's global statements among its
// globals once it has run, where a grader, load() and `starlab -i` look
// for them.
func exposeCells(globals starlark.StringDict) {
	c, ok := globals[cellsName].(*globalCells)
	if !ok {
		return
	}
	for k, v := range c.m {
		if _, taken := globals[k]; !taken {
			globals[k] = v
		}
	}
}
