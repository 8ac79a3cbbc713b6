package interp

import (
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Two operations of the language itself can be driven by a script into a
// fatal error, and predeclared names cannot shadow an operator:
//
//   - `[0] * n` and `"x" * n` allocate n copies at once (go.starlark.net
//     allows up to 2^30 elements: 16 GiB for a list);
//   - `"%s" % x` and `"{}".format(x)` format x recursively (a deep x
//     overflows the Go stack, see reprdepth.go).
//
// So, once the tree is known to be shallow (depth.go), guardTree rewrites
// those spots to pass the script's operand through a check first:
//
//	[a, b] * n        →  [a, b] * __starlab_repeat__(n, 32)   (2 items × 16 bytes)
//	"ab" * n          →  "ab" * __starlab_repeat__(n, 2)
//	x * e, x *= e     →  x * __starlab_times__(e, x)          (x a name: read twice, no side effect)
//	e * x             →  __starlab_times__(e, x) * x
//	f() * g()         →  __starlab_mul__(f(), g())            (in the usual places, see wrapProducts)
//	"..." % x         →  "..." % __starlab_fmt__(x)
//	s.format(x, k=y)  →  s.format(__starlab_fmt__(x), k=__starlab_fmt__(y))
//
// Each check returns its argument unchanged when it passes, so the
// operation and its own errors are go.starlark.net's as before. A product
// of two other expressions (f() * g()) becomes a call that multiplies after
// the check, where it is found as an operand, an argument, an assigned or
// returned value or an element; a check costs a builtin call (two Starlark
// steps), and a number literal operand (i * 2) skips it.
const (
	repeatCheckName = "__starlab_repeat__"
	timesCheckName  = "__starlab_times__"
	mulName         = "__starlab_mul__"
	fmtCheckName    = "__starlab_fmt__"
)

func isIdentExpr(e syntax.Expr) bool { _, ok := e.(*syntax.Ident); return ok }

func isNumberLit(e syntax.Expr) bool {
	lit, ok := e.(*syntax.Literal)
	return ok && (lit.Token == syntax.INT || lit.Token == syntax.FLOAT)
}

// guardTree applies the rewrites above to a parsed module or REPL chunk.
func guardTree(n syntax.Node) {
	syntax.Walk(n, func(n syntax.Node) bool {
		wrapProducts(n)
		switch e := n.(type) {
		case *syntax.BinaryExpr:
			switch e.Op {
			case syntax.STAR:
				if size := literalSize(e.X); size > 0 {
					e.Y = guardCall(repeatCheckName, e.Y, intLit(size))
				} else if size := literalSize(e.Y); size > 0 {
					e.X = guardCall(repeatCheckName, e.X, intLit(size))
				} else if isNumberLit(e.X) || isNumberLit(e.Y) && !isIdentExpr(e.X) {
					// 2 * 3, or f() * 2: no sequence to measure without
					// evaluating an operand twice
				} else if isIdentExpr(e.X) {
					e.Y = guardCall(timesCheckName, e.Y, e.X)
				} else if isIdentExpr(e.Y) {
					e.X = guardCall(timesCheckName, e.X, e.Y)
				}
			case syntax.PERCENT:
				if lit, ok := e.X.(*syntax.Literal); ok && lit.Token == syntax.STRING {
					e.Y = guardCall(fmtCheckName, e.Y)
				}
			}
		case *syntax.AssignStmt:
			if e.Op == syntax.STAR_EQ && isIdentExpr(e.LHS) {
				e.RHS = guardCall(timesCheckName, e.RHS, e.LHS) // x *= n
			}
		case *syntax.CallExpr:
			if dot, ok := e.Fn.(*syntax.DotExpr); ok && dot.Name.Name == "format" {
				for i, a := range e.Args {
					if kw, ok := a.(*syntax.BinaryExpr); ok && kw.Op == syntax.EQ {
						kw.Y = guardCall(fmtCheckName, kw.Y)
					} else if u, ok := a.(*syntax.UnaryExpr); ok && (u.Op == syntax.STAR || u.Op == syntax.STARSTAR) {
						u.X = guardCall(fmtCheckName, u.X)
					} else {
						e.Args[i] = guardCall(fmtCheckName, a)
					}
				}
			}
		}
		return true
	})
}

// literalSize is the bytes one repetition of a literal sequence costs: a
// string or bytes literal's length, 16 per element of a list or tuple
// display; 0 for anything else.
func literalSize(e syntax.Expr) int64 {
	switch x := e.(type) {
	case *syntax.Literal:
		switch v := x.Value.(type) {
		case string:
			return int64(len(v))
		}
	case *syntax.ListExpr:
		return 16 * int64(len(x.List))
	case *syntax.TupleExpr:
		return 16 * int64(len(x.List))
	case *syntax.ParenExpr:
		return literalSize(x.X)
	}
	return 0
}

func intLit(n int64) syntax.Expr {
	return &syntax.Literal{Token: syntax.INT, Raw: "0", Value: n}
}

// guardCall is the call fn(arg, extra...) placed where arg was.
func guardCall(fn string, arg syntax.Expr, extra ...syntax.Expr) syntax.Expr {
	start, end := arg.Span()
	return &syntax.CallExpr{
		Fn:     &syntax.Ident{NamePos: start, Name: fn},
		Lparen: start,
		Args:   append([]syntax.Expr{arg}, extra...),
		Rparen: end,
	}
}

// guardBuiltins are the checks guardTree calls, added to the predeclared
// names of every module.
func (it *Interp) guardBuiltins(predeclared starlark.StringDict) {
	predeclared[repeatCheckName] = starlark.NewBuiltin(repeatCheckName, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
		n, ok := args[0].(starlark.Int)
		if !ok {
			return args[0], nil // a type error for the operator to report
		}
		size, _ := args[1].(starlark.Int).Int64()
		count, ok := n.Int64()
		if !ok {
			return nil, Errorf(OverflowError, "cannot fit 'int' into an index-sized integer")
		}
		if err := it.sched.CheckAlloc(count, size); err != nil {
			return nil, err
		}
		return n, nil
	})
	predeclared[timesCheckName] = starlark.NewBuiltin(timesCheckName, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
		if err := it.checkRepeat(args[0], args[1]); err != nil {
			return nil, err
		}
		if err := it.checkRepeat(args[1], args[0]); err != nil {
			return nil, err
		}
		return args[0], nil
	})
	predeclared[mulName] = starlark.NewBuiltin(mulName, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
		if err := it.checkRepeat(args[0], args[1]); err != nil {
			return nil, err
		}
		if err := it.checkRepeat(args[1], args[0]); err != nil {
			return nil, err
		}
		return starlark.Binary(syntax.STAR, args[0], args[1])
	})
	predeclared[fmtCheckName] = starlark.NewBuiltin(fmtCheckName, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
		if err := it.checkRepr(th, args[0]); err != nil {
			return nil, err
		}
		return args[0], nil
	})
	for _, name := range []string{"print", "str", "repr"} {
		wrapCall(predeclared, name, func(orig *starlark.Builtin) callFunc {
			return func(th *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				for _, a := range args {
					if err := it.checkRepr(th, a); err != nil {
						return nil, err
					}
				}
				return starlark.Call(th, orig, args, kwargs)
			}
		})
	}
}

// checkRepeat checks seq * count, if seq is a sequence and count an int,
// against the memory budget.
func (it *Interp) checkRepeat(seq, count starlark.Value) error {
	n, ok := count.(starlark.Int)
	if !ok {
		return nil
	}
	var size int64
	switch s := seq.(type) {
	case starlark.String:
		size = int64(len(s))
	case starlark.Bytes:
		size = int64(len(s))
	case Bytes: // the dialect's bytes (pybytes.go)
		size = int64(len(s))
	case *starlark.List:
		size = 16 * int64(s.Len())
	case starlark.Tuple:
		size = 16 * int64(len(s))
	default:
		return nil
	}
	if size == 0 {
		return nil
	}
	c, ok := n.Int64()
	if !ok {
		return Errorf(OverflowError, "cannot fit 'int' into an index-sized integer")
	}
	return it.sched.CheckAlloc(c, size)
}

// wrapProducts replaces, among n's direct children, each product of two
// operands that guardTree cannot check in place (neither a name nor a
// literal) by a call of __starlab_mul__, which checks and multiplies.
func wrapProducts(n syntax.Node) {
	w := func(e *syntax.Expr) {
		b, ok := (*e).(*syntax.BinaryExpr)
		if !ok || b.Op != syntax.STAR || literalSize(b.X) > 0 || literalSize(b.Y) > 0 ||
			isNumberLit(b.X) || isNumberLit(b.Y) || isIdentExpr(b.X) || isIdentExpr(b.Y) {
			return
		}
		*e = guardCall(mulName, b.X, b.Y)
	}
	ws := func(list []syntax.Expr) {
		for i := range list {
			w(&list[i])
		}
	}
	switch x := n.(type) {
	case *syntax.ExprStmt:
		w(&x.X)
	case *syntax.AssignStmt:
		w(&x.RHS)
	case *syntax.ReturnStmt:
		if x.Result != nil {
			w(&x.Result)
		}
	case *syntax.BinaryExpr:
		w(&x.X)
		w(&x.Y)
	case *syntax.ParenExpr:
		w(&x.X)
	case *syntax.CallExpr:
		ws(x.Args)
	case *syntax.ListExpr:
		ws(x.List)
	case *syntax.TupleExpr:
		ws(x.List)
	case *syntax.DictEntry:
		w(&x.Key)
		w(&x.Value)
	case *syntax.LambdaExpr:
		w(&x.Body)
	case *syntax.CondExpr:
		w(&x.Cond)
		w(&x.True)
		w(&x.False)
	case *syntax.Comprehension:
		w(&x.Body)
	case *syntax.ForClause:
		w(&x.X)
	case *syntax.IfClause:
		w(&x.Cond)
	case *syntax.DotExpr:
		w(&x.X)
	case *syntax.SliceExpr:
		w(&x.X)
	case *syntax.IfStmt:
		w(&x.Cond)
	case *syntax.WhileStmt:
		w(&x.Cond)
	case *syntax.ForStmt:
		w(&x.X)
	case *syntax.IndexExpr:
		w(&x.X)
		w(&x.Y)
	case *syntax.UnaryExpr:
		if x.X != nil {
			w(&x.X)
		}
	}
}
