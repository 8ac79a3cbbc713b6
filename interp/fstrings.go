package interp

import "strings"

// f-strings, the one Python literal learners write on every page, are
// rewritten before parsing into the str.format call they mean, on the same
// lines (so line numbers do not move):
//
//	f"{name} has {n:>5} items, {ratio:.1%}"
//	→ "{} has {:>5} items, {:.1%}".format((name), (n), (ratio))
//
// str.format is Python's here (pystrformat.go), so the output is the same.
// A conversion (!r) and a nested field in the spec ({x:{width}}) carry
// over, and so does f"{x=}". At the REPL, which reads a line at a time, a
// triple-quoted f-string spanning lines is left as it is, and then fails
// to parse with a hint to use .format.

// rewriteFStrings rewrites the f-strings of src. Source without one is
// returned as it is. A triple-quoted f-string keeps its lines, the
// .format(...) call follows its closing quotes, so no line moves.
func rewriteFStrings(src []byte) []byte {
	s := string(src)
	if !strings.Contains(s, `f"`) && !strings.Contains(s, `f'`) && !strings.Contains(s, `F"`) && !strings.Contains(s, `F'`) {
		return src
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '#': // a comment, to the end of the line
			n := strings.IndexByte(s[i:], '\n')
			if n < 0 {
				n = len(s) - i
			}
			b.WriteString(s[i : i+n])
			i += n
		case c == '"' || c == '\'':
			n := literalEnd(s, i)
			b.WriteString(s[i:n])
			i = n
		case (c == 'f' || c == 'F') && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\'') && (i == 0 || !isIdentByte(s[i-1])):
			n := literalEnd(s, i+1)
			if call, ok := fstringCall(s[i+1 : n]); ok {
				b.WriteString(call)
			} else {
				b.WriteString(s[i:n])
			}
			i = n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return []byte(b.String())
}

func isIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// literalEnd returns the index just past the string literal whose opening
// quote is at s[i]: a triple-quoted one may span lines; a one-line one ends
// at its quote, or before the newline if it is not closed.
func literalEnd(s string, i int) int {
	q := s[i]
	if strings.HasPrefix(s[i:], strings.Repeat(string(q), 3)) {
		for j := i + 3; j < len(s); j++ {
			switch {
			case s[j] == '\\':
				j++
			case strings.HasPrefix(s[j:], strings.Repeat(string(q), 3)):
				return j + 3
			}
		}
		return len(s)
	}
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j + 1
		case '\n':
			return j
		}
	}
	return len(s)
}

// stringEnd is literalEnd for a one-line literal inside an f-string's
// expression.
func stringEnd(line string, i int) int { return literalEnd(line, i) }

// fstringCall turns the literal lit (quotes included, f dropped) into
// "format".format((e1), (e2), ...).
func fstringCall(lit string) (string, bool) {
	qn := 1
	if len(lit) >= 6 && strings.HasPrefix(lit, strings.Repeat(lit[:1], 3)) {
		qn = 3
	}
	if len(lit) < 2*qn || !strings.HasSuffix(lit, lit[:qn]) {
		return "", false
	}
	q, body := lit[:qn], lit[qn:len(lit)-qn]
	var format strings.Builder
	var args []string
	if !fstringFields(body, &format, &args, 0) {
		return "", false
	}
	if len(args) == 0 {
		return q + format.String() + q, true
	}
	return q + format.String() + q + ".format(" + strings.Join(args, ", ") + ")", true
}

// fstringFields copies body to format, replacing each {expr...} by {...}
// and collecting the expressions; depth limits nesting in a spec.
func fstringFields(body string, format *strings.Builder, args *[]string, depth int) bool {
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '{' && i+1 < len(body) && body[i+1] == '{' || c == '}' && i+1 < len(body) && body[i+1] == '}' {
			format.WriteString(body[i : i+2])
			i++
			continue
		}
		if c != '{' {
			format.WriteByte(c)
			continue
		}
		// The expression runs to the first top-level !, : or }.
		j, level := i+1, 0
	scan:
		for ; j < len(body); j++ {
			switch body[j] {
			case '(', '[', '{':
				level++
			case ')', ']':
				level--
			case '}':
				if level == 0 {
					break scan
				}
				level--
			case '\'', '"':
				j = stringEnd(body, j) - 1
			case '!':
				if level == 0 && (j+1 >= len(body) || body[j+1] != '=') {
					break scan
				}
			case ':':
				if level == 0 {
					break scan
				}
			}
		}
		if j >= len(body) {
			return false
		}
		raw := body[i+1 : j]
		expr := strings.TrimSpace(raw)
		// f"{x=}" (a debugging aid) prints the expression's text, "=", and
		// its repr, unless a conversion or spec says otherwise.
		debug := strings.HasSuffix(expr, "=") && !strings.HasSuffix(expr, "==") &&
			!strings.HasSuffix(expr, "!=") && !strings.HasSuffix(expr, "<=") && !strings.HasSuffix(expr, ">=")
		if debug {
			format.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(raw))
			expr = strings.TrimSpace(strings.TrimSuffix(expr, "="))
		}
		if expr == "" {
			return false
		}
		*args = append(*args, "("+expr+")")
		format.WriteByte('{')
		if debug && body[j] == '}' {
			format.WriteString("!r")
		}
		// The rest of the field: !conv and :spec, whose nested fields are
		// expressions too.
		end := j
		for level := 0; end < len(body); end++ {
			if body[end] == '{' {
				level++
			} else if body[end] == '}' {
				if level == 0 {
					break
				}
				level--
			}
		}
		if end >= len(body) {
			return false
		}
		rest := body[j:end]
		if depth > 0 && strings.Contains(rest, "{") {
			return false
		}
		if !fstringFields(rest, format, args, depth+1) {
			return false
		}
		format.WriteByte('}')
		i = end
	}
	return true
}
