package interp

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/syntax"
)

// PrintException writes exc as CPython prints an uncaught exception:
//
//	Traceback (most recent call last):
//	  File "x.star", line 5, in work
//	    number = int(s)
//	ValueError: invalid literal for int() with base 10: 'jack'
func (it *Interp) PrintException(w io.Writer, exc *Exception) {
	var b strings.Builder
	it.formatException(&b, exc)
	io.WriteString(w, b.String())
}

// Chained exceptions are printed as CPython prints them, the oldest first:
// the cause (raise_(E, from_=cause)) or the context (an exception raised
// while another was being handled), then a line that says how they are
// linked, then exc itself.
func (it *Interp) formatException(b *strings.Builder, exc *Exception) {
	it.formatChain(b, exc, make(map[*Exception]bool))
}

const (
	causeLine   = "\nThe above exception was the direct cause of the following exception:\n\n"
	contextLine = "\nDuring handling of the above exception, another exception occurred:\n\n"
)

func (it *Interp) formatChain(b *strings.Builder, exc *Exception, seen map[*Exception]bool) {
	seen[exc] = true
	switch {
	case exc.cause != nil && !seen[exc.cause]:
		it.formatChain(b, exc.cause, seen)
		b.WriteString(causeLine)
	case exc.context != nil && !exc.suppressContext && !seen[exc.context]:
		it.formatChain(b, exc.context, seen)
		b.WriteString(contextLine)
	}
	it.formatOne(b, exc)
}

func (it *Interp) formatOne(b *strings.Builder, exc *Exception) {
	if frames := userFrames(exc); len(frames) > 0 {
		b.WriteString("Traceback (most recent call last):\n")
		repeats := 0
		for i, fr := range frames {
			// Like CPython, a frame repeated more than three times in a row
			// (deep recursion) is summarised in one line.
			if i > 0 && sameLine(fr, frames[i-1]) {
				repeats++
			} else {
				writeRepeats(b, repeats)
				repeats = 0
			}
			if repeats >= 3 {
				continue
			}
			name := fr.Name
			switch name {
			case "<toplevel>", "<expr>": // <expr>: an expression at the REPL's prompt
				name = "<module>"
			case "lambda":
				name = "<lambda>"
			}
			fmt.Fprintf(b, "  File \"%s\", line %d, in %s\n", fr.Pos.Filename(), fr.Pos.Line, name)
			if line := it.sourceLine(fr.Pos.Filename(), int(fr.Pos.Line)); line != "" {
				fmt.Fprintf(b, "    %s\n", line)
			}
		}
		writeRepeats(b, repeats)
	}
	b.WriteString(ExceptionLine(exc))
	b.WriteString(it.nameHint(exc))
	b.WriteByte('\n')
}

func sameLine(a, b frameLine) bool {
	return a.Name == b.Name && a.Pos.Filename() == b.Pos.Filename() && a.Pos.Line == b.Pos.Line
}

func writeRepeats(b *strings.Builder, repeats int) {
	if repeats > 2 {
		fmt.Fprintf(b, "  [Previous line repeated %d more times]\n", repeats-2)
	}
}

// ExceptionLine is the last line of a traceback: "ValueError: bad", or just
// the class name when the message is empty.
func ExceptionLine(exc *Exception) string {
	if msg := exc.Message(); msg != "" {
		return exc.class.QualName() + ": " + msg
	}
	return exc.class.QualName()
}

// userFrames are the frames of the learner's code: builtins (raise_, int, ...)
// are Go and have no line to show.
func userFrames(exc *Exception) []frameLine {
	var out []frameLine
	for _, fr := range exc.stack {
		if fr.Pos.Filename() == "<builtin>" || !fr.Pos.IsValid() {
			continue
		}
		out = append(out, frameLine{fr.Name, fr.Pos})
	}
	return out
}

type frameLine struct {
	Name string
	Pos  syntax.Position
}

// sourceLine returns line n (1-based) of a compiled file, trimmed.
func (it *Interp) sourceLine(filename string, n int) string {
	it.mu.Lock()
	lines := it.sources[filename]
	it.mu.Unlock()
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[n-1])
}

// printCompileError reports a syntax or resolve error in Python's shape, with
// the file:line:col a learner's editor understands on the last line.
func (it *Interp) printCompileError(err error) {
	var b strings.Builder
	it.formatCompileError(&b, err)
	io.WriteString(it.errw, b.String())
}

func (it *Interp) formatCompileError(b *strings.Builder, err error) {
	var pos syntax.Position
	class, msg := "SyntaxError", err.Error()
	var serr syntax.Error
	var rerrs resolve.ErrorList
	switch {
	case errors.As(err, &serr):
		pos, msg = serr.Pos, serr.Msg
	case errors.As(err, &rerrs) && len(rerrs) > 0:
		pos, msg = rerrs[0].Pos, rerrs[0].Msg
		if name, ok := strings.CutPrefix(msg, "undefined: "); ok {
			// "undefined: x (did you mean y?)" → CPython 3.11's wording.
			hint := ""
			if n, h, ok := strings.Cut(name, " (did you mean "); ok {
				name, hint = n, fmt.Sprintf(". Did you mean: '%s'?", strings.TrimSuffix(h, "?)"))
			}
			class, msg = "NameError", fmt.Sprintf("name '%s' is not defined%s", name, hint)
		}
	}
	if pos.IsValid() {
		fmt.Fprintf(b, "  File \"%s\", line %d\n", pos.Filename(), pos.Line)
		it.mu.Lock()
		lines := it.sources[pos.Filename()]
		it.mu.Unlock()
		if n := int(pos.Line); n >= 1 && n <= len(lines) && strings.TrimSpace(lines[n-1]) != "" {
			line := strings.TrimRight(lines[n-1], "\r")
			trimmed := strings.TrimLeft(line, " \t")
			col := int(pos.Col) - 1 - (len(line) - len(trimmed))
			if col < 0 {
				col = 0
			}
			fmt.Fprintf(b, "    %s\n    %s^\n", trimmed, strings.Repeat(" ", col))
		}
		fmt.Fprintf(b, "%s: %s (%s:%d:%d)\n", class, msg, pos.Filename(), pos.Line, pos.Col)
		return
	}
	fmt.Fprintf(b, "%s: %s\n", class, msg)
}

// printDeadlock reports a deadlock: every thread, what it waits for and where.
func (it *Interp) printDeadlock(rep *DeadlockReport) {
	io.WriteString(it.errw, FormatDeadlock(rep))
}

// FormatDeadlock renders a deadlock report: each thread, what it waits for
// and where; then, when the primitives say who holds what, the cycle of
// waits (Thread-1 waits for Lock-2 held by Thread-2, which waits for Lock-1
// held by Thread-1), a lock its waiter holds itself, or a lock held by a
// thread that has ended.
func FormatDeadlock(rep *DeadlockReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "starlab: deadlock: no thread can run, and none waits for a timer or for I/O (at %.3fs)\n", rep.At.Seconds())
	nameW, reasonW := 0, 0
	reasons := make([]string, len(rep.Threads))
	for i, t := range rep.Threads {
		reason := t.Reason
		if reason == "" {
			reason = "?"
		}
		reasons[i] = reason
		nameW = max(nameW, len(t.Name))
		reasonW = max(reasonW, len(reason))
	}
	for i, t := range rep.Threads {
		where := "a line of no script (inside a module's own code)"
		switch {
		case t.Pos.IsValid():
			where = fmt.Sprintf("%s:%d", t.Pos.Filename(), t.Pos.Line)
		case t.Main:
			// The main thread with no Starlark frame left waits, at exit,
			// for the non-daemon threads.
			where = "exit (the main module has ended)"
		}
		fmt.Fprintf(&b, "  %-*s  waits for %-*s  at %s\n", nameW, t.Name, reasonW, reasons[i], where)
	}
	for _, t := range rep.Threads {
		if t.Note != "" {
			fmt.Fprintf(&b, "  %s waits for %s: %s\n", t.Name, t.Object, t.Note)
		}
	}
	b.WriteString(deadlockCycle(rep))
	return b.String()
}

// deadlockCycle explains the locks of a deadlock report: the cycle of
// threads each waiting for a lock the next one holds, or "" when the
// primitives did not say who holds what.
func deadlockCycle(rep *DeadlockReport) string {
	byName := map[string]*ThreadWait{}
	for i := range rep.Threads {
		byName[rep.Threads[i].Name] = &rep.Threads[i]
	}
	made := func(t *ThreadWait) string {
		if t.Made.IsValid() {
			return fmt.Sprintf("%s (made at %s:%d)", t.Object, t.Made.Filename(), t.Made.Line)
		}
		return t.Object
	}
	var b strings.Builder
	seen := map[string]bool{}
	for i := range rep.Threads {
		start := &rep.Threads[i]
		if start.Holder == "" || seen[start.Name] {
			continue
		}
		if start.Holder == start.Name {
			seen[start.Name] = true
			fmt.Fprintf(&b, "  %s waits for %s, which it holds itself: a Lock can't be acquired twice, not even by its holder (an RLock can)\n", start.Name, made(start))
			continue
		}
		// Follow holder links from start; a cycle is a name met twice.
		var path []*ThreadWait
		on := map[string]int{}
		for t := start; t != nil && t.Holder != ""; t = byName[t.Holder] {
			if k, ok := on[t.Name]; ok {
				cycle := path[k:]
				fresh := true
				for _, c := range cycle {
					if seen[c.Name] {
						fresh = false
					}
					seen[c.Name] = true
				}
				if fresh {
					b.WriteString("  the cycle: each thread holds a lock the next one waits for:\n")
					for _, c := range cycle {
						fmt.Fprintf(&b, "    %s waits for %s, held by %s\n", c.Name, made(c), c.Holder)
					}
					fmt.Fprintf(&b, "    ... and so back to %s: none of them can go on\n", cycle[0].Name)
				}
				break
			}
			on[t.Name] = len(path)
			path = append(path, t)
			if _, alive := byName[t.Holder]; !alive {
				seen[t.Name] = true
				fmt.Fprintf(&b, "  %s waits for %s, held by %s, which has ended without releasing it\n", t.Name, made(t), t.Holder)
				break
			}
		}
	}
	return b.String()
}
