package repl

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/chzyer/readline"
)

// LineReader is where the REPL's lines come from: readline on a terminal,
// plain lines from a pipe, or a scripted fake in tests. The REPL calls
// ReadLine from one goroutine at a time, and never calls it again while a
// call is in flight.
type LineReader interface {
	// ReadLine shows prompt, if the reader shows prompts at all, and returns
	// the next line without its newline. It returns io.EOF at the end of the
	// input (Ctrl-D on an empty line) and ErrInterrupt when Ctrl-C was
	// pressed while the line was being typed (the line is dropped).
	ReadLine(prompt string) (string, error)
}

// ErrInterrupt is what a LineReader returns for Ctrl-C pressed while typing.
var ErrInterrupt = readline.ErrInterrupt

// plainReader reads lines from a pipe or a file: no prompts, no editing.
type plainReader struct {
	r *bufio.Reader
}

func newPlainReader(r io.Reader) *plainReader { return &plainReader{r: bufio.NewReader(r)} }

func (p *plainReader) ReadLine(string) (string, error) {
	line, err := p.r.ReadString('\n')
	if err != nil && line == "" {
		return "", err // io.EOF, or a read error that ends the session alike
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// lineSource hands the lines of a LineReader to whoever waits for one: the
// >>> prompt, input() in any thread, the wait at exit. Waiting for a line is
// what a Starlark thread does in an external wait, without the baton; so:
//
//   - A read cannot be cancelled (readline cannot be), but a reader can stop
//     waiting for it (Ctrl-C): the read stays in flight, and the next reader
//     gets its line. A line that arrived as its reader was interrupted is put
//     back (unread) for the next one.
//   - Tab completion looks at Starlark values, which only the baton holder
//     may touch. The completer (on readline's goroutine) therefore sends its
//     request to the waiting reader, which leaves its external wait, answers
//     holding the baton, and waits again (REPL.readLine).
type lineSource struct {
	lr       LineReader
	turn     chan struct{} // capacity 1: held by the reader that waits
	inflight *pendingRead  // the read in progress; guarded by turn
	unread   []lineResult  // lines read but not delivered; guarded by turn
	requests chan *completionRequest
}

type lineResult struct {
	line string
	err  error
}

type pendingRead struct {
	done chan struct{} // closed when res is set
	res  lineResult
}

// completionRequest asks the waiting reader for the candidates of line at pos.
type completionRequest struct {
	line  []rune
	pos   int
	reply chan completionResult // capacity 1
}

type completionResult struct {
	words  []string // whole words that can replace the partial one
	prefix int      // the length, in runes, of the partial word before pos
}

// errStopWaiting ends a wait for a line whose cancel channel was closed.
var errStopWaiting = errors.New("stopped waiting for a line")

func newLineSource(lr LineReader) *lineSource {
	return &lineSource{
		lr:       lr,
		turn:     make(chan struct{}, 1),
		requests: make(chan *completionRequest),
	}
}

// next waits for a line (starting a read that shows prompt, unless one is in
// flight), for a completion request, or for cancel. A line it returns is
// delivered: if the caller cannot use it, it must give it back with unread.
func (s *lineSource) next(prompt string, cancel <-chan struct{}) (lineResult, *completionRequest, error) {
	select {
	case s.turn <- struct{}{}:
	case <-cancel:
		return lineResult{}, nil, errStopWaiting
	}
	defer func() { <-s.turn }()
	if len(s.unread) > 0 {
		res := s.unread[0]
		s.unread = s.unread[1:]
		return res, nil, nil
	}
	rd := s.inflight
	if rd == nil {
		rd = &pendingRead{done: make(chan struct{})}
		s.inflight = rd
		go func() {
			line, err := s.lr.ReadLine(prompt)
			rd.res = lineResult{line, err}
			close(rd.done)
		}()
	}
	select {
	case <-rd.done:
		s.inflight = nil
		return rd.res, nil, nil
	case req := <-s.requests:
		return lineResult{}, req, nil
	case <-cancel:
		return lineResult{}, nil, errStopWaiting
	}
}

// unread gives a line back, to be the next one delivered.
func (s *lineSource) unreadLine(res lineResult) {
	s.turn <- struct{}{}
	s.unread = append([]lineResult{res}, s.unread...)
	<-s.turn
}

// complete is called by the line editor (on its own goroutine) on Tab: it
// asks the reader that waits for this line to compute the candidates. With
// nobody to ask (the REPL is busy closing), there are none.
func (s *lineSource) complete(line []rune, pos int) completionResult {
	req := &completionRequest{line: line, pos: pos, reply: make(chan completionResult, 1)}
	timeout := time.NewTimer(2 * time.Second)
	defer timeout.Stop()
	select {
	case s.requests <- req:
	case <-timeout.C:
		return completionResult{}
	}
	select {
	case res := <-req.reply:
		return res
	case <-timeout.C:
		return completionResult{}
	}
}
