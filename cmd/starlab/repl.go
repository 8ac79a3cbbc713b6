package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/starlab-dev/starlab/repl"
)

// replCmd is `starlab`, `starlab repl` and `starlab -i FILE [ARGS...]`: the
// interactive prompt, after running FILE if given (python -i). On a terminal
// it edits lines with history and completion; with stdin piped it runs the
// lines as they come, printing no prompt.
func replCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var file string
	argv := []string{""} // sys.argv at a bare prompt, as in Python
	if len(args) > 0 {
		if args[0] != "-i" || len(args) < 2 {
			fmt.Fprint(stderr, "starlab: the prompt takes -i FILE [ARGS...] or nothing\n\n"+usage)
			return 2
		}
		file, argv = args[1], args[1:]
		if _, err := os.Stat(file); err != nil {
			fmt.Fprintf(stderr, "starlab: can't open file %s: %v\n", file, errors.Unwrap(err))
			return 2
		}
	}
	r, err := repl.New(repl.Config{
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Terminal:    repl.IsTerminal(stdin) && repl.IsTerminal(stdout),
		HistoryFile: repl.HistoryPath(),
		Banner:      fmt.Sprintf("starlab %s: Python's concurrency examples, in Starlark.\nType help() for help, Ctrl-D to exit.", version),
		Argv:        argv,
	})
	if err != nil {
		fmt.Fprintf(stderr, "starlab: %v\n", err)
		return 1
	}
	stop := handleREPLInterrupts(r, stderr)
	defer stop()
	return r.Run(file)
}

// handleREPLInterrupts is handleInterrupts for the prompt: every Ctrl-C
// raises KeyboardInterrupt in the code that runs, as in Python's REPL, and
// never ends the session (at the prompt itself readline gets Ctrl-C as a
// key). SIGTERM exits, leaving the terminal in its normal mode.
func handleREPLInterrupts(r *repl.REPL, stderr io.Writer) (stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case sig := <-sigs:
				if sig == syscall.SIGTERM {
					r.RestoreTerminal()
					fmt.Fprintln(stderr, "\nstarlab: terminated")
					os.Exit(143)
				}
				r.Interp().Interrupt()
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
