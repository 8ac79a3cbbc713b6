package multiprocessing

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/interp"
)

// The children of a confined run (interp.Confinement: a graded run, `starlab
// run --sandbox`) are confined as their parent is. spawn passes the rules in
// the child's environment (confineEnv, JSON) and WorkerMain applies them to
// the child's run before it loads the script:
//
//   - the same folder, read-only files and loopback-only network;
//   - MaxOpen and MaxThreads, counted in each process;
//   - a memory budget of its own: ChildMemory, or the run's budget divided
//     by MaxProcesses (at least minChildMemory), so the children together
//     stay within about the run's budget;
//   - output: a child writes into its parent's stdout and stderr (spawn's
//     lineWriter), so it counts against the run's output cap;
//   - MaxProcesses for the whole tree: the top run makes a pipe holding one
//     byte per process that may start (as make's jobserver), every process
//     of the tree takes a byte before it spawns, and none left stops the run.
//
// A child that is stopped (a cap, its memory budget) writes its verdict on
// a second pipe, and the top run stops with it: the learner sees one
// verdict, and a stopped run kills its children (Module.atExit).

const confineEnv = "STARLAB_MP_CONFINE"

// minChildMemory is the least budget a child gets: what the interpreter
// and a course example need.
const minChildMemory = 32 << 20

// inherited is what crosses to a child in confineEnv.
type inherited struct {
	Dir          string   `json:"dir"`
	ReadOnly     []string `json:"read_only,omitempty"`
	Writable     []string `json:"writable,omitempty"`
	LoopbackOnly bool     `json:"loopback_only"`
	MaxOpen      int      `json:"max_open,omitempty"`
	MaxThreads   int      `json:"max_threads,omitempty"`
	MaxProcesses int      `json:"max_processes,omitempty"`
	Memory       int64    `json:"memory"`              // the child's budget
	TokensFD     int      `json:"tokens_fd,omitempty"` // the process tokens' read end
	ReportFD     int      `json:"report_fd,omitempty"` // where a child's verdict goes
}

// confinedTree is a confined run's share of its process tree: the rules its
// children inherit and the two pipes of the whole tree.
type confinedTree struct {
	rules  inherited
	tokens *os.File // read end: one byte per process that may still start
	report *os.File // write end: a stopped child's verdict, one line
	name   string   // this process's name, in a child ("" at the top)
}

// tree returns the confined tree of this process, made at the first spawn
// of a confined top run; nil when the run is not confined.
func (m *Module) tree() (*confinedTree, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.confined != nil {
		return m.confined, nil
	}
	c := m.it.Confinement()
	if c == nil {
		return nil, nil
	}
	c.Ready() // the child's folder is the run's: make it exist
	t := &confinedTree{rules: inherited{
		Dir: c.Dir, ReadOnly: c.ReadOnly, Writable: c.Writable, LoopbackOnly: c.LoopbackOnly,
		MaxOpen: c.MaxOpen, MaxThreads: c.MaxThreads, MaxProcesses: c.MaxProcesses, Memory: c.ChildMemory,
	}}
	if t.rules.Memory <= 0 {
		t.rules.Memory = m.it.Sched().MaxMemory()
		if c.MaxProcesses > 0 {
			t.rules.Memory = max(t.rules.Memory/int64(c.MaxProcesses), minChildMemory)
		}
	}
	if c.MaxProcesses > 0 {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, interp.Errorf(interp.OSError, "multiprocessing: %v", err)
		}
		// A pipe holds 64 KiB: more processes than that is no cap at all.
		_, err = w.Write(make([]byte, min(c.MaxProcesses, 60000)))
		w.Close() // once empty, a read is EOF at once: it never blocks
		if err != nil {
			r.Close()
			return nil, interp.Errorf(interp.OSError, "multiprocessing: %v", err)
		}
		t.tokens = r
	}
	rr, rw, err := os.Pipe()
	if err != nil {
		if t.tokens != nil {
			t.tokens.Close()
		}
		return nil, interp.Errorf(interp.OSError, "multiprocessing: %v", err)
	}
	t.report = rw
	go func() { // a child's verdict stops the run (and so the tree)
		sc := bufio.NewScanner(rr)
		for sc.Scan() {
			m.it.Sched().Stop(sc.Text())
		}
	}()
	m.it.Track(func() {
		rw.Close()
		rr.Close()
		if t.tokens != nil {
			t.tokens.Close()
		}
	})
	m.confined = t
	return t, nil
}

// takeProcess is the process cap, asked before each spawn: a token from the
// tree's pipe, or the run stops with the verdict (interp.StopFor: no try_
// catches it).
func (t *confinedTree) takeProcess(it *interp.Interp) error {
	if t == nil || t.tokens == nil {
		return nil
	}
	var b [1]byte
	if n, _ := t.tokens.Read(b[:]); n == 1 {
		return nil
	}
	return it.StopFor(t.capReason())
}

func (t *confinedTree) capReason() string { return capReason(t.rules.MaxProcesses) }

// capReason is the process cap's verdict, the same in both modes.
func capReason(n int) string { return fmt.Sprintf("it started more than %d processes", n) }

// takeSimProcess is the process cap in sim mode, asked before each
// simulated process starts. The whole tree is one run there (its children
// share the run's Interp options, so its Confinement, and its scheduler),
// and the scheduler counts the processes it made: no pipe of tokens.
func (m *Module) takeSimProcess() error {
	c := m.it.Confinement()
	if c == nil || c.MaxProcesses <= 0 || m.it.Sched().Procs() < c.MaxProcesses {
		return nil
	}
	return m.it.StopFor(capReason(c.MaxProcesses))
}

// prepare gives cmd the rules and the tree's pipes. An unconfined run's
// child gets an empty variable: whatever this process inherited does not
// leak into it.
func (t *confinedTree) prepare(cmd *exec.Cmd) error {
	if t == nil {
		cmd.Env = append(cmd.Env, confineEnv+"=")
		return nil
	}
	rules := t.rules
	if t.tokens != nil {
		cmd.ExtraFiles = append(cmd.ExtraFiles, t.tokens)
		rules.TokensFD = 2 + len(cmd.ExtraFiles)
	}
	cmd.ExtraFiles = append(cmd.ExtraFiles, t.report)
	rules.ReportFD = 2 + len(cmd.ExtraFiles)
	b, err := json.Marshal(rules)
	if err != nil {
		return err
	}
	cmd.Env = append(cmd.Env, confineEnv+"="+string(b))
	return nil
}

// inheritedTree reads the rules a confined parent passed (nil if none),
// before the child's run is made.
func inheritedTree(name string) (*confinedTree, error) {
	s := os.Getenv(confineEnv)
	if s == "" {
		return nil, nil
	}
	t := &confinedTree{name: name}
	if err := json.Unmarshal([]byte(s), &t.rules); err != nil {
		return nil, fmt.Errorf("bad %s: %v", confineEnv, err)
	}
	if t.rules.TokensFD > 0 {
		unix.CloseOnExec(t.rules.TokensFD)
		t.tokens = os.NewFile(uintptr(t.rules.TokensFD), "mp-tokens")
	}
	if t.rules.ReportFD > 0 {
		unix.CloseOnExec(t.rules.ReportFD)
		t.report = os.NewFile(uintptr(t.rules.ReportFD), "mp-report")
	}
	return t, nil
}

// confinement is the child's interp.Confinement (nil: none).
func (t *confinedTree) confinement() *interp.Confinement {
	if t == nil {
		return nil
	}
	r := t.rules
	return &interp.Confinement{
		Dir: r.Dir, ReadOnly: r.ReadOnly, Writable: r.Writable, LoopbackOnly: r.LoopbackOnly,
		MaxOpen: r.MaxOpen, MaxThreads: r.MaxThreads, MaxProcesses: r.MaxProcesses, ChildMemory: r.Memory,
	}
}

// sched adds the child's memory budget to its scheduler's config: far
// over it, the child reports the verdict and exits as `starlab run` does.
func (t *confinedTree) sched(cfg interp.SchedConfig) interp.SchedConfig {
	if t == nil {
		return cfg
	}
	cfg.MaxMemory = t.rules.Memory
	cfg.MemoryOverrun = func(verdict string) {
		fmt.Fprintf(os.Stderr, "starlab: run stopped: %s\n", verdict)
		t.tell(verdict)
		os.Exit(interp.ExitStopped)
	}
	return cfg
}

// reportStop tells the top run why this child's run was stopped, if it was.
func (t *confinedTree) reportStop(it *interp.Interp) {
	if reason := it.Sched().Stopped(); reason != "" {
		t.tell(reason)
	}
}

func (t *confinedTree) tell(reason string) {
	if t == nil || t.report == nil {
		return
	}
	if reason != t.capReason() { // the process cap is the whole tree's
		reason = fmt.Sprintf("%s (in %s)", reason, t.name)
	}
	// One short write: atomic on a pipe, whoever else writes.
	t.report.Write([]byte(strings.ReplaceAll(reason, "\n", " ") + "\n"))
}

// adopt makes the module of a child's run use its inherited tree.
func (m *Module) adopt(t *confinedTree) {
	if t != nil {
		m.confined = t
	}
}
