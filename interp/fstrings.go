package interp

import "strings"

// f-strings, the one Python literal learners write on every page, are
// rewritten before parsing into the str.format call they mean, on the same
// line (so line numbers do not move):
//
//	f"{name} has {n:>5} items, {ratio:.1%}"
//	→ "{} has {:>5} items, {:.1%}".format((name), (n), (ratio))
//
// str.format is Python's here (pystrformat.go), so the output is the same.
// A conversion (!r) and a nested field in the spec ({x:{width}}) carry
// over, and so does f"{x=}"; triple-quoted f-strings are left as they are,
// and then fail to parse with a hint to use .format.

// rewriteFStrings rewrites the single-line f-strings of src. Source
// without one is returned as it is.
func rewriteFStrings(src []byte) []byte {
	s := string(src)
	if !strings.Contains(s, `f"`) && !strings.Contains(s, `f'`) && !strings.Contains(s, `F"`) && !strings.Contains(s, `F'`) {
		return src
	}
	lines := strings.Split(s, "\n")
	triple := "" // the delimiter of a triple-quoted string still open
	for i, line := range lines {
		lines[i], triple = rewriteFLine(line, triple)
	}
	return []byte(strings.Join(lines, "\n"))
}

// rewriteFLine scans one line, skipping comments and other strings, and
// rewrites the f-strings it finds. triple is the open triple-quoted string
// carried from the lines before, if any.
func rewriteFLine(line, triple string) (string, string) {
	var b strings.Builder
	i := 0
	if triple != "" {
		end := strings.Index(line, triple)
		if end < 0 {
			return line, triple
		}
		b.WriteString(line[:end+3])
		i = end + 3
	}
	for i < len(line) {
		c := line[i]
		switch {
		case c == '#':
			b.WriteString(line[i:])
			return b.String(), ""
		case c == '"' || c == '\'':
			if strings.HasPrefix(line[i:], strings.Repeat(string(c), 3)) {
				d := line[i : i+3]
				end := strings.Index(line[i+3:], d)
				if end < 0 {
					b.WriteString(line[i:])
					return b.String(), d
				}
				b.WriteString(line[i : i+3+end+3])
				i += 3 + end + 3
				continue
			}
			n := stringEnd(line, i)
			b.WriteString(line[i:n])
			i = n
		case (c == 'f' || c == 'F') && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\'') &&
			(i == 0 || !isIdentByte(line[i-1])) && !strings.HasPrefix(line[i+1:], strings.Repeat(string(line[i+1]), 3)):
			n := stringEnd(line, i+1)
			if call, ok := fstringCall(line[i+1 : n]); ok {
				b.WriteString(call)
			} else {
				b.WriteString(line[i:n])
			}
			i = n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), ""
}

func isIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// stringEnd returns the index just past the one-line string literal that
// starts with the quote at line[i] (the end of the line if it is not closed).
func stringEnd(line string, i int) int {
	q := line[i]
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return len(line)
}

// fstringCall turns the literal lit (quotes included, f dropped) into
// "format".format((e1), (e2), ...).
func fstringCall(lit string) (string, bool) {
	if len(lit) < 2 || lit[len(lit)-1] != lit[0] {
		return "", false
	}
	q, body := lit[:1], lit[1:len(lit)-1]
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
