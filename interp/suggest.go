package interp

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/starlark"
)

// CPython 3.11 follows "NameError: name 'prnt' is not defined" with
// ". Did you mean: 'print'?" when a known name is close. The hint is added
// where the traceback is printed, not to str(e), as in CPython. Since a
// NameError is raised when its line runs (dialect.go), the resolver's own
// hint is gone; this computes CPython's, with its costs and cutoff
// (Python/suggestions.c), over the names the learner could have meant: the
// identifiers of the file, the predeclared names and the universe.

// nameHint returns ". Did you mean: 'x'?" for a NameError, or "".
func (it *Interp) nameHint(exc *Exception) string {
	if exc.class != NameError || len(exc.args) != 1 {
		return ""
	}
	msg, _ := exc.args[0].(starlark.String)
	name, ok := strings.CutPrefix(string(msg), "name '")
	if !ok || !strings.HasSuffix(name, "' is not defined") {
		return ""
	}
	name = strings.TrimSuffix(name, "' is not defined")
	var file string
	if frames := userFrames(exc); len(frames) > 0 {
		file = frames[len(frames)-1].Pos.Filename()
	}
	best, bestDist := "", -1
	consider := func(c string) {
		if c == name || strings.HasPrefix(c, "__") {
			return
		}
		cutoff := (len(name) + len(c) + 3) * moveCost / 6
		if d := levenshtein(name, c, cutoff); d <= cutoff && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	for _, c := range it.fileIdents(file) {
		consider(c)
	}
	for c := range it.predeclared {
		consider(c)
	}
	for c := range starlark.Universe {
		consider(c)
	}
	if best == "" {
		return ""
	}
	return ". Did you mean: '" + best + "'?"
}

// fileIdents are the identifiers that occur in a compiled file's text.
func (it *Interp) fileIdents(file string) []string {
	it.mu.Lock()
	lines := it.sources[file]
	it.mu.Unlock()
	seen := make(map[string]bool)
	var out []string
	for _, line := range lines {
		for _, w := range strings.FieldsFunc(line, func(r rune) bool { return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) }) {
			if r, _ := utf8.DecodeRuneInString(w); !unicode.IsDigit(r) && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// CPython's edit costs: a case change is cheaper than another letter.
const (
	moveCost = 2
	caseCost = 1
)

func substitutionCost(a, b byte) int {
	switch {
	case a == b:
		return 0
	case a|0x20 == b|0x20 && (a|0x20) >= 'a' && (a|0x20) <= 'z':
		return caseCost
	}
	return moveCost
}

// levenshtein is CPython's weighted edit distance of a and b; any result
// above max is reported as max+1.
func levenshtein(a, b string, max int) int {
	if a == b {
		return 0
	}
	if d := len(a) - len(b); d*moveCost > max || -d*moveCost > max {
		return max + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j * moveCost
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i * moveCost
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			v := min(prev[j-1]+substitutionCost(a[i-1], b[j-1]), prev[j]+moveCost, cur[j-1]+moveCost)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
