// Command starlab runs Starlark rewrites of Python concurrency examples on a
// real GIL scheduler: `starlab run FILE`, `starlab run --sim --seed N FILE`.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/starlab-dev/starlab/builtins"
	"github.com/starlab-dev/starlab/builtins/multiprocessing"
	"github.com/starlab-dev/starlab/interp"
	"github.com/starlab-dev/starlab/labs"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `starlab: learn concurrency by running Python's examples as Starlark.

Usage:
  starlab                           the interactive prompt (also: starlab repl)
  starlab -i FILE [ARGS...]         run FILE, then the prompt with its variables
  starlab run [--sim] [--seed N] [--cpus N] [--switch-interval D] [--sandbox] FILE [ARGS...]
  starlab explore [--seeds N] [--jobs J] [--until-fail] [--group-by output|last-line|exit]
                  [--trace DIR] [--cpus N] FILE
                                    run FILE under N sim seeds, group the outcomes
  starlab labs                      the labs, in course order, with your progress
  starlab lab NAME [--lang zh|en]   a lab's instructions (NAME: 03-lost-update, lost-update or 3)
  starlab start NAME [DIR]          write the lab's starter script (never over your work without --force)
  starlab reset NAME [FILE]         the starter back into FILE (yours kept as FILE.bak)
  starlab check [NAME [FILE]] [--format text|json|junit|gradescope]
                                    grade your script; exit 0 when every check passes
                                    (no NAME: the current lab, the first not passed yet)
  starlab check --runner exercism NAME INPUT_DIR OUTPUT_DIR
                                    an Exercism test runner: OUTPUT_DIR/results.json
  starlab hint NAME                 one more hint
  starlab solution NAME             the reference solution, once the lab is done
  starlab watch [NAME [FILE]]       grade again on every save; on to the next lab once it passes
  starlab grade NAME DIR... [-o OUT] [--jobs N] [--force]
                                    grade a class: every student's submission in DIR
                                    (folders, a Gradescope or GitHub Classroom export)
  starlab autograder gradescope|classroom NAME -o DIR
                                    write an autograder bundle for the lab
  starlab version
  starlab help

Flags of run:
  --sim                 sim mode: virtual clock, seeded random schedule;
                        the same FILE and seed give the same output
  --seed N              the seed of --sim (default: random, printed on stderr
                        with the command that replays the run)
  --cpus N              the cores of --sim's virtual machine (default 2): simulated
                        processes run side by side on them
  --switch-interval D   how long a thread keeps the GIL while others wait
                        (real-time mode, default 5ms; like sys.setswitchinterval)
  --sandbox             confine the script as a graded run is: its working folder
                        a fresh temporary one (nothing outside it), loopback only
  --trace OUT           write the run's timeline: OUT.json for Perfetto
                        (ui.perfetto.dev) or chrome://tracing, or OUT.html,
                        a page that draws it offline (--lang en|zh)
  --max-memory SIZE     the run's memory budget (512M, 4G, 25%; default a
                        quarter of the machine's memory, at most 4G):
                        past it, MemoryError

Exit status: 0 ok, 1 uncaught exception or syntax error, 2 usage error,
3 deadlock, 130 KeyboardInterrupt, n for sys.exit(n).
`

func main() {
	if multiprocessing.IsWorker() { // a child of multiprocessing.Process: see that package
		os.Exit(multiprocessing.WorkerMain(builtins.Predeclared))
	}
	if os.Getenv("GOMAXPROCS") == "" && oneInterpreter(os.Args[1:]) {
		// One Starlark thread runs at a time; a second processor would only
		// spin up and down at every hand-off of the baton (measured: thread
		// start+join and queue hand-offs take 40-50% less time on one).
		// Graders keep every core: their seed sweeps run in parallel.
		// A traced run keeps a second one for the timeline's builder
		// (chrome.Live), which works beside the run: on one processor it
		// took turns with the run, and a queue-heavy traced run took 3x
		// its untraced time instead of 2x.
		runtime.GOMAXPROCS(min(processorsFor(os.Args[1:]), runtime.NumCPU()))
	}
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// oneInterpreter reports whether the command runs a single interpreter: a
// script or the REPL.
func oneInterpreter(args []string) bool {
	return len(args) == 0 || args[0] == "run" || args[0] == "repl" || args[0] == "-i"
}

// processorsFor is how many processors a single interpreter's command
// uses: 2 for `run --trace` (the run and the timeline's builder), else 1.
// A "--trace" among the script's own arguments only costs an idle
// processor.
func processorsFor(args []string) int {
	if len(args) > 0 && args[0] == "run" {
		for _, a := range args[1:] {
			if a == "--trace" || a == "-trace" || strings.HasPrefix(a, "--trace=") || strings.HasPrefix(a, "-trace=") {
				return 2
			}
		}
	}
	return 1
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return replCmd(nil, stdin, stdout, stderr)
	}
	switch args[0] {
	case "repl":
		return replCmd(args[1:], stdin, stdout, stderr)
	case "-i":
		return replCmd(args, stdin, stdout, stderr)
	case "run":
		return runCmd(args[1:], stdin, stdout, stderr)
	case "explore":
		return exploreCmd(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "starlab %s\n", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	if labs.IsCommand(args[0]) {
		cli := &labs.CLI{
			Stdout: stdout, Stderr: stderr,
			Color:     isTerminal(stdout) && os.Getenv("NO_COLOR") == "",
			Lang:      labs.DefaultLang(),
			StatePath: labs.ProgressPath(),
			Terminal:  isTerminal(stderr),
		}
		return cli.Run(args[0], args[1:])
	}
	fmt.Fprintf(stderr, "starlab: unknown command %q\n\n%s", args[0], usage)
	return interp.ExitUsage
}

func runCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sim := fs.Bool("sim", false, "sim mode: virtual clock and a seeded random schedule")
	seed := fs.Int64("seed", 0, "seed of the sim-mode schedule (default: random)")
	interval := fs.Duration("switch-interval", 5*time.Millisecond, "GIL switch interval in real-time mode")
	sandbox := fs.Bool("sandbox", false, "confine the script as a graded run is: a fresh temp folder, loopback network only")
	tracePath := fs.String("trace", "", "write the run's timeline: FILE.json (Perfetto) or FILE.html")
	lang := fs.String("lang", labs.DefaultLang(), "the language of a --trace page: en or zh")
	maxMemory := fs.String("max-memory", "", "memory budget of the run (default: a quarter of the machine's memory, at most 4G)")
	cpus := fs.Int("cpus", 2, "with --sim: cores of the virtual machine that simulated processes share")
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	if err := fs.Parse(args); err != nil {
		return interp.ExitUsage
	}
	if fs.NArg() < 1 {
		fmt.Fprint(stderr, "starlab run: missing FILE\n\n"+usage)
		return interp.ExitUsage
	}
	if *interval <= 0 {
		fmt.Fprintln(stderr, "starlab run: --switch-interval must be positive")
		return interp.ExitUsage
	}
	if *cpus < 1 {
		fmt.Fprintln(stderr, "starlab run: --cpus must be at least 1")
		return interp.ExitUsage
	}
	seedSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			seedSet = true
		}
	})
	if seedSet && !*sim {
		fmt.Fprintln(stderr, "starlab run: --seed needs --sim")
		return interp.ExitUsage
	}
	if !seedSet {
		*seed = rand.Int63n(1_000_000)
	}
	var confine *interp.Confinement
	if *sandbox {
		c, cleanup, err := labs.Sandbox()
		if err != nil {
			fmt.Fprintf(stderr, "starlab run: --sandbox: %v\n", err)
			return 1
		}
		defer cleanup()
		confine = c
	}
	memBudget, err := memoryBudget(*maxMemory)
	if err != nil {
		fmt.Fprintf(stderr, "starlab run: --max-memory: %v\n", err)
		return interp.ExitUsage
	}
	cfg := interp.SchedConfig{Sim: *sim, Seed: *seed, SwitchInterval: *interval, CPUs: *cpus,
		MaxMemory: memBudget, MemoryOverrun: exitOnOverrun(stderr)}
	var tr *tracer
	if *tracePath != "" {
		if tr, err = newTracer(*tracePath, *lang, fs.Arg(0), *sim, *seed); err != nil {
			fmt.Fprintf(stderr, "starlab run: --trace: %v\n", err)
			return 1
		}
		defer tr.cleanup()
		cfg.Recorder = tr.live
	}
	it := interp.New(interp.Options{
		Confine:     confine,
		Stdin:       stdin,
		Stdout:      stdout,
		Stderr:      stderr,
		Argv:        fs.Args(),
		Sched:       cfg,
		Predeclared: tr.predeclared(builtins.Predeclared),
	})
	stop := handleInterrupts(it, stderr)
	defer stop()
	code := it.RunFile(fs.Arg(0))
	if tr != nil {
		tr.write(it, code, stderr)
	}
	if *sim && !seedSet {
		// Whatever the outcome (a clean run may be the lucky one), it can be
		// replayed; on stderr, so stdout stays the script's own.
		fmt.Fprintf(stderr, "sim seed %d: replay with %s\n", *seed, replayCommand(*seed, fs.Args()))
	}
	return code
}

// replayCommand is the `starlab run` command that replays a sim run: the
// seed, then the file and its arguments, quoted for a POSIX shell when they
// need it.
func replayCommand(seed int64, args []string) string {
	cmd := fmt.Sprintf("starlab run --sim --seed %d", seed)
	for _, a := range args {
		cmd += " " + shellWord(a)
	}
	return cmd
}

// shellWord quotes s for a POSIX shell unless it is made of safe characters.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isTerminal reports whether w is a terminal (a character device), where
// colour and progress bars make sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// handleInterrupts turns Ctrl-C into KeyboardInterrupt in the main thread; a
// second Ctrl-C within a second exits at once, for a script that ignores
// the first.
func handleInterrupts(it *interp.Interp, stderr io.Writer) (stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		var last time.Time
		for {
			select {
			case <-done:
				return
			case sig := <-sigs:
				if sig == syscall.SIGTERM || time.Since(last) < time.Second {
					fmt.Fprintln(stderr, "\nstarlab: interrupted again, exiting")
					os.Exit(interp.ExitInterrupt)
				}
				last = time.Now()
				it.Interrupt()
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
