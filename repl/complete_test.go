package repl

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/interp"
)

// completionGlobals are the globals of a session with a few objects in it.
func completionGlobals(t *testing.T) starlark.StringDict {
	t.Helper()
	it := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard, Predeclared: builtins.Predeclared, Sched: interp.SchedConfig{Interactive: true}})
	s := it.NewSession()
	t.Cleanup(func() { s.Close() })
	for _, src := range []string{
		"q = queue.Queue()",
		"sem = threading.Semaphore(2)",
		"t = threading.Thread(target=print, name='worker')",
		"def work(): pass",
		"workers = []",
	} {
		lines := []string{src + "\n"}
		f, err := s.Parse("<test>", func() ([]byte, error) {
			if len(lines) == 0 {
				return nil, nil
			}
			l := lines[0]
			lines = lines[1:]
			return []byte(l), nil
		})
		require.NoError(t, err)
		_, err = s.Exec(f)
		require.NoError(t, err)
	}
	return s.Globals()
}

func TestComplete(t *testing.T) {
	g := completionGlobals(t)
	tests := []struct {
		line   string
		words  []string
		prefix int
	}{
		// Attributes after a dot: of a module, of an object, of an attribute.
		{"threading.Con", []string{"Condition"}, 3},
		{"x = threading.Sem", []string{"Semaphore"}, 3},
		{"q.", []string{"empty", "full", "get", "get_nowait", "join", "maxsize", "put", "put_nowait", "qsize", "task_done", "unfinished_tasks"}, 0},
		{"q.get_", []string{"get_nowait"}, 4},
		{"print(q.qs", []string{"qsize"}, 2},
		{"t.name.up", []string{"upper"}, 2},
		{"sys.stdout.wr", []string{"write"}, 2},
		// Private names only when asked for.
		{"sem.", []string{"acquire", "release"}, 0},
		{"sem._", []string{"_value"}, 1},
		// Globals, keywords and builtins.
		{"wor", []string{"work", "workers"}, 3},
		{"whi", []string{"while"}, 3},
		{"pri", []string{"print"}, 3},
		{"is", []string{"isinstance", "issubclass"}, 2},
		{"try", []string{"try_"}, 3},
		{"  Value", []string{"ValueError"}, 5},
		// Tab on nothing indents a block.
		{"", []string{indent}, 0},
		{"    ", []string{indent}, 0},
		// Never evaluated: calls, indexing, unknown names, numbers, strings.
		{"threading.Lock().acq", nil, 0},
		{"workers[0].ap", nil, 0},
		{"nope.x", nil, 0},
		{"1.5", nil, 0},
		{"print('threading.Con", nil, 0},
		{"x = 1 # threading.Con", nil, 0},
		{"work.", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			res := complete(g, []rune(tc.line), len([]rune(tc.line)))
			assert.Equal(t, tc.words, res.words)
			assert.Equal(t, tc.prefix, res.prefix)
		})
	}

	// The cursor need not be at the end of the line.
	res := complete(g, []rune("threading.Con + 1"), 13)
	assert.Equal(t, []string{"Condition"}, res.words)
}

// readline wants the rest of each word after what was typed.
func TestCompleterAdapter(t *testing.T) {
	c := completer(func([]rune, int) completionResult {
		return completionResult{words: []string{"get", "get_nowait"}, prefix: 2}
	})
	rest, n := c.Do([]rune("q.ge"), 4)
	assert.Equal(t, [][]rune{[]rune("t"), []rune("t_nowait")}, rest)
	assert.Equal(t, 2, n)
}
