package multiprocessing

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/starlab-dev/starlab/interp"
)

// Module is the multiprocessing module of one run.
type Module struct {
	it      *interp.Interp
	members starlark.StringDict

	mu       sync.Mutex
	count    int               // processes created, for "Process-N"
	children map[*Process]bool // started and not yet reaped by active_children
	self     *Process          // current_process()
	parent   *Process          // parent_process(): nil in the main process
	// bootstrapping is true in a child while it loads the script: starting
	// a process then is CPython's RuntimeError, never a fork bomb.
	bootstrapping bool
	identity      string // "" in the main process, "1" in Process-1, "1:2" in its second child

	// confined is a confined run's rules for its children (confine.go).
	confined *confinedTree

	reg          *registry              // the shared objects this process serves (in sim mode, the run's)
	client       *client                // in a child: the parent's server
	empty, full  *interp.ExceptionClass // queue.Empty, queue.Full
	timeoutError *interp.ExceptionClass // multiprocessing.TimeoutError
	script       string                 // the main script's path, for pool workers
	traceDir     string                 // where traced children write their parts (tracepart.go)
}

// PicklingError is _pickle.PicklingError, what a lambda target raises.
var PicklingError = interp.NewModuleExceptionClass("_pickle", "PicklingError", interp.Exception_)

// New builds the module for one run. Its state is a *Module, the receiver
// of current_process (how the worker finds it: see stateOf).
func New(it *interp.Interp, empty, full *interp.ExceptionClass) *starlarkstruct.Module {
	m := &Module{it: it, children: make(map[*Process]bool), empty: empty, full: full, reg: &registry{}}
	processError := interp.NewModuleExceptionClass("multiprocessing", "ProcessError", interp.Exception_)
	m.timeoutError = interp.NewModuleExceptionClass("multiprocessing", "TimeoutError", processError)
	m.self = &Process{m: m, name: "MainProcess", pid: os.Getpid(), started: true, isSelf: true}
	m.members = starlark.StringDict{
		"Process":         starlark.NewBuiltin("Process", m.newProcess),
		"current_process": starlark.NewBuiltin("current_process", m.currentProcess).BindReceiver(m),
		"parent_process":  starlark.NewBuiltin("parent_process", m.parentProcess),
		"active_children": starlark.NewBuiltin("active_children", m.activeChildren),
		"cpu_count":       starlark.NewBuiltin("cpu_count", m.cpuCount),
		"Pool":            starlark.NewBuiltin("Pool", m.newPool),
		"TimeoutError":    m.timeoutError,
		"ProcessError":    processError,
	}
	for k, v := range m.sharedMembers() {
		m.members[k] = v
	}
	if s := it.Sched(); s.Sim() {
		m.self.pid = s.MainProc().PID() // a virtual pid: the run replays byte for byte
		it.AtExit(m.atExitSim)
	} else {
		it.Track(m.atExit)
	}
	return &starlarkstruct.Module{Name: "multiprocessing", Members: m.members}
}

// stateOf returns the state of a module New built (nil for another value).
func stateOf(v starlark.Value) *Module {
	mod, ok := v.(*starlarkstruct.Module)
	if !ok {
		return nil
	}
	b, ok := mod.Members["current_process"].(*starlark.Builtin)
	if !ok {
		return nil
	}
	m, _ := b.Receiver().(*Module)
	return m
}

// Module is a starlark.Value only to be the receiver of current_process.
func (m *Module) String() string        { return "<multiprocessing state>" }
func (m *Module) Type() string          { return "multiprocessing_state" }
func (m *Module) Freeze()               {}
func (m *Module) Truth() starlark.Bool  { return true }
func (m *Module) Hash() (uint32, error) { return interp.IdentityHash(m), nil }

func noArgs(name string, args starlark.Tuple, kwargs []starlark.Tuple) error {
	return starlark.UnpackPositionalArgs(name, args, kwargs, 0)
}

func (m *Module) currentProcess(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	return m.self, nil
}

func (m *Module) parentProcess(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	if m.parent == nil {
		return starlark.None, nil
	}
	return m.parent, nil
}

// activeChildren is active_children(): the children still running; the
// ones that ended are reaped, as in CPython.
func (m *Module) activeChildren(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var live []*Process
	for p := range m.children {
		if p.exited() {
			delete(m.children, p)
		} else {
			live = append(live, p)
		}
	}
	m.mu.Unlock()
	sortBySeq(live)
	out := make([]starlark.Value, len(live))
	for i, p := range live {
		out[i] = p
	}
	return starlark.NewList(out), nil
}

// cpuCount is cpu_count(): the machine's cores, or in sim mode the
// virtual machine's (--cpus), so that a sim run replays on any machine.
func (m *Module) cpuCount(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := noArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	return starlark.MakeInt(m.cpus()), nil
}

func (m *Module) cpus() int {
	if s := m.it.Sched(); s.Sim() {
		return s.CPUs()
	}
	return runtime.NumCPU()
}

// atExit runs when the run ends: non-daemon children are joined, daemon
// ones terminated, as CPython's atexit handler of multiprocessing does. A
// run that was stopped (a budget, a cap) kills them all: none outlives it.
func (m *Module) atExit() {
	m.mu.Lock()
	var all []*Process
	for p := range m.children {
		all = append(all, p)
	}
	m.mu.Unlock()
	stopped := m.it.Sched().Stopped() != ""
	for _, p := range all {
		if stopped {
			p.signal(sigKill)
		} else if p.daemon {
			p.signal(sigTerm)
		}
	}
	for _, p := range all {
		<-p.done
	}
}

// nextName numbers a new process as CPython does: Process-N in the main
// process, Process-1:N in Process-1.
func (m *Module) nextName() (string, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.count++
	if m.identity == "" {
		return fmt.Sprintf("Process-%d", m.count), m.count
	}
	return fmt.Sprintf("Process-%s:%d", m.identity, m.count), m.count
}

// sortBySeq orders processes as they were made.
func sortBySeq(ps []*Process) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].seq < ps[j].seq })
}
