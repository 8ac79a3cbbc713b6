package labs

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/starlab-dev/starlab/interp"
)

// Limits are a lab's caps on one run of a submission, beyond the time and
// step budgets: lab.json's "max_threads", "max_output", "max_open" and
// "max_processes". Each has a default; a run over a cap is stopped (exit
// 124) with a clear reason in run.stopped and at the end of its stderr:
// "stopped: it started more than 1000 threads".
//
// lab.json's "max_memory" (bytes) is the run's memory budget
// (interp.SchedConfig.MaxMemory): past it, MemoryError. Without it, a
// graded run gets the machine's default budget, at most 2 GiB.
//
// A child process of the run (multiprocessing) inherits the confinement:
// the same folder and network rule, its own max_threads and max_open,
// a share of the memory budget (max_memory / max_processes, at least
// 32 MiB), and its output counts against the run's max_output; the
// processes of the whole tree count against max_processes.
type Limits struct {
	// ReadOnly are files outside its folder a run may read (absolute, or
	// relative to the folder starlab grades from).
	ReadOnly   []string `json:"read_only"`
	MaxThreads int      `json:"max_threads"` // threads started by one run (default 1000)
	MaxOutput  int      `json:"max_output"`  // bytes of stdout+stderr of one run (default 1 MiB)
	MaxOpen    int      `json:"max_open"`    // files and sockets open at once in one run (default 256)
	MaxMemory  int64    `json:"max_memory"`  // bytes; 0 = the default (see memoryBudget)
	// MaxProcesses: processes started by one run and its children together (default 16)
	MaxProcesses int `json:"max_processes"`
}

const (
	defaultMaxThreads = 1000
	defaultMaxOutput  = 1 << 20
	defaultMaxOpen    = 256
	// The course's examples start at most 10 processes (and Pool(5)).
	defaultMaxProcesses = 16
)

func (l Limits) maxProcesses() int {
	if l.MaxProcesses > 0 {
		return l.MaxProcesses
	}
	return defaultMaxProcesses
}

func (l Limits) maxOpen() int {
	if l.MaxOpen > 0 {
		return l.MaxOpen
	}
	return defaultMaxOpen
}

func (l Limits) maxThreads() int {
	if l.MaxThreads > 0 {
		return l.MaxThreads
	}
	return defaultMaxThreads
}

func (l Limits) maxOutput() int {
	if l.MaxOutput > 0 {
		return l.MaxOutput
	}
	return defaultMaxOutput
}

// maxGradeMemory caps the default budget of one graded run: a grader runs
// many submissions in one process (sweeps, `starlab grade`, `watch`).
const maxGradeMemory = 2 << 30

// memoryBudget is the memory budget of one run: the lab's, or the
// machine's default budget, at most maxGradeMemory.
func (l Limits) memoryBudget() int64 {
	if l.MaxMemory > 0 {
		return l.MaxMemory
	}
	return min(interp.DefaultMaxMemory(), maxGradeMemory)
}

// limiter enforces a run's output cap (the others are the confinement's:
// interp.Confinement); its methods are called with the run's mu held.
type limiter struct {
	limits Limits
	output int
	stop   func(reason string) // asynchronous: callers hold locks
	once   sync.Once
}

func (l *limiter) stopOnce(reason string) {
	l.once.Do(func() { go l.stop(reason) })
}

// allow returns how much of n bytes of output still fit, and stops the run
// at the first byte over the cap.
func (l *limiter) allow(n int) int {
	left := l.limits.maxOutput() - l.output
	if n <= left {
		l.output += n
		return n
	}
	l.output += max(left, 0)
	l.stopOnce(fmt.Sprintf("it printed more than %s", byteSize(l.limits.maxOutput())))
	return max(left, 0)
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// cappedWriter is the run's stdout or stderr: a buffer the grader reads
// while the run writes it, up to the run's output cap. Past the cap, the
// write succeeds (the script goes on to its stop) and is dropped.
type cappedWriter struct {
	r   *submissionRun
	buf interface{ Write([]byte) (int, error) }
}

func (w cappedWriter) Write(p []byte) (int, error) {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	n := w.r.limit.allow(len(p))
	w.buf.Write(p[:n])
	return len(p), nil
}

// confine is the confinement of one run (interp.Confinement): a fresh
// folder as its working directory (made when the run first touches the
// file system: runFolders), nothing outside it but the lab's read_only
// files and the folders the grader hands it in argv (an absolute path to
// an existing folder: lab 13's server stores files there), and sockets on
// the loopback network only.
func (r *submissionRun) confine() *interp.Confinement {
	dir, err := r.g.folders.next()
	if err != nil {
		// No folder of its own: it may touch no file at all.
		dir = filepath.Join(os.TempDir(), "starlab-run-unavailable")
	}
	r.dir = dir
	lim := r.g.lab.Meta.Limits
	var made sync.Once
	c := &interp.Confinement{Dir: dir, LoopbackOnly: true, MaxOpen: lim.maxOpen(),
		MaxThreads: lim.maxThreads(), MaxProcesses: lim.maxProcesses(),
		Prepare: func() { made.Do(func() { os.Mkdir(dir, 0o700) }) }}
	for _, p := range lim.ReadOnly {
		if abs, err := filepath.Abs(p); err == nil {
			c.ReadOnly = append(c.ReadOnly, abs)
		}
	}
	for _, a := range r.o.argv {
		if st, err := os.Stat(a); err == nil && st.IsDir() && filepath.IsAbs(a) {
			c.Writable = append(c.Writable, a)
		}
	}
	return c
}

// cleanup removes the run's folder once it has ended (nothing to do when
// the run never made it).
func (r *submissionRun) cleanup() {
	if r.dir != "" && filepath.Base(r.dir) != "starlab-run-unavailable" {
		os.RemoveAll(r.dir)
	}
}

// runFolders names the folders of one grading's runs: numbered names in one
// private temporary folder (made once, 0700, so no other user can plant a
// link where a run's folder will be), each made by its run when first
// needed; close removes them all.
type runFolders struct {
	once sync.Once
	root string
	err  error
	n    atomic.Int64
}

func (f *runFolders) next() (string, error) {
	f.once.Do(func() { f.root, f.err = os.MkdirTemp("", "starlab-runs-") })
	if f.err != nil {
		return "", f.err
	}
	return filepath.Join(f.root, strconv.FormatInt(f.n.Add(1), 10)), nil
}

func (f *runFolders) close() {
	if f.root != "" {
		os.RemoveAll(f.root)
	}
}

// Sandbox is the confinement of `starlab run --sandbox`: what a graded run
// gets, without a lab: a fresh temporary folder (cleanup removes it), the
// loopback network only, and the default caps on open files, threads and
// processes.
func Sandbox() (c *interp.Confinement, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "starlab-sandbox-")
	if err != nil {
		return nil, nil, err
	}
	return &interp.Confinement{Dir: dir, LoopbackOnly: true, MaxOpen: defaultMaxOpen,
			MaxThreads: defaultMaxThreads, MaxProcesses: defaultMaxProcesses},
		func() { os.RemoveAll(dir) }, nil
}
