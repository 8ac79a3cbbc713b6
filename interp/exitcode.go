package interp

// The exit statuses of a run, shared by `starlab run`, the REPL and the
// graders, so that a status means one thing everywhere. A script's
// sys.exit(n) gives n.
const (
	ExitOK        = 0   // the main module ended, every non-daemon thread joined
	ExitException = 1   // an uncaught exception or a syntax error
	ExitUsage     = 2   // bad command-line arguments
	ExitDeadlock  = 3   // no thread could run: the deadlock report was printed
	ExitStopped   = 124 // a time or step budget ran out (as timeout(1) exits)
	ExitInterrupt = 130 // KeyboardInterrupt (Ctrl-C), as a shell reports SIGINT
)
