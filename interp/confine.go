package interp

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"go.starlark.net/starlark"
)

// Confinement is what one run may touch of the machine: a graded
// submission's run (package labs) or `starlab run --sandbox`. The modules
// that reach the OS ask it before the system call: open() and os.* (Path),
// socket's bind, connect and sendto, and host name lookups (Addr, Host).
// A refusal is Python's PermissionError, raised before anything happens.
type Confinement struct {
	// Dir, if not "", is the run's working directory: a relative path
	// resolves there, and no path outside it may be opened, listed,
	// created or removed, except those below.
	Dir string
	// ReadOnly are files outside Dir that may be opened for reading.
	ReadOnly []string
	// Writable are folders outside Dir that may be used as Dir is (a lab's
	// grader that hands a folder to the submission in its argv).
	Writable []string
	// LoopbackOnly: sockets bind, connect and send to loopback addresses
	// only, and host names other than localhost are not looked up.
	LoopbackOnly bool
	// MaxOpen, if not 0, stops the run when it has more files, sockets and
	// other OS resources open at once (see Interp.Track).
	MaxOpen int
	// MaxThreads, if not 0, stops the run when it starts more threads than
	// this (the main thread not counted): a thread bomb. A child process
	// of the run has a count of its own.
	MaxThreads int
	// MaxProcesses, if not 0, is how many processes (multiprocessing's
	// Process and Pool workers) the run and all its children may start
	// together; one more stops the run: a process bomb.
	MaxProcesses int
	// Prepare, if not nil, makes Dir; it is called before each use of Dir
	// (so it must be cheap after the first call: a sync.Once). A grader
	// makes a run's folder only when the run first touches the file
	// system: most runs of a sweep never do, and a mkdir and rmdir per run
	// were 7% of a class's grading time.
	Prepare func()
	// ChildMemory, if not 0, is the memory budget of each child process.
	// 0: the run's budget divided by MaxProcesses (see package
	// multiprocessing), so that the children together stay within it.
	ChildMemory int64
}

// Confinement returns what the run may touch, or nil for an unconfined
// run: a child process (multiprocessing) inherits it.
func (it *Interp) Confinement() *Confinement { return it.opts.Confine }

const confineKey = "starlab.confine"

// ConfinementOf returns the confinement of the run th belongs to, or nil.
func ConfinementOf(th *starlark.Thread) *Confinement {
	if th == nil {
		return nil
	}
	c, _ := th.Local(confineKey).(*Confinement)
	return c
}

// Path returns the path an OS call of the run should use for p (resolved
// against Dir), and false when p is outside what the run may use (the
// caller raises PermissionError, errno EACCES, naming p); write is false
// for a read-only use (open for reading, stat, listdir).
func (c *Confinement) Path(p string, write bool) (string, bool) {
	if c == nil || c.Dir == "" {
		return p, true
	}
	c.Ready()
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(c.Dir, abs)
	}
	abs = filepath.Clean(abs)
	real := realPath(abs)
	inside := func(dir string) bool {
		d := realPath(dir)
		return real == d || strings.HasPrefix(real, d+string(filepath.Separator))
	}
	if inside(c.Dir) {
		return abs, true
	}
	for _, w := range c.Writable {
		if inside(w) {
			return abs, true
		}
	}
	if !write {
		for _, ro := range c.ReadOnly {
			if real == realPath(ro) {
				return abs, true
			}
		}
	}
	return "", false
}

// realPath resolves the symbolic links of the longest existing prefix of p,
// so that a link inside the folder can't point out of it.
func realPath(p string) string {
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// Addr returns PermissionError unless the run may use addr for fn (bind,
// connect, sendto): under LoopbackOnly, loopback addresses only.
func (c *Confinement) Addr(fn string, addr netip.Addr) error {
	if c == nil || !c.LoopbackOnly || addr.Unmap().IsLoopback() {
		return nil
	}
	return Errorf(PermissionError, "[Errno 13] Permission denied: %s() to %s: a graded run may only use the loopback network (127.0.0.1, ::1)", fn, addr)
}

// Host returns PermissionError unless the run may look host up: under
// LoopbackOnly, only localhost and addresses (a lookup is a packet).
func (c *Confinement) Host(host string) error {
	if c == nil || !c.LoopbackOnly {
		return nil
	}
	if _, err := netip.ParseAddr(host); err == nil || host == "" || strings.EqualFold(host, "localhost") || host == "<broadcast>" {
		return nil
	}
	return Errorf(PermissionError, "[Errno 13] Permission denied: looking up %q: a graded run may only use the loopback network", host)
}

// Getwd is os.getcwd() of the run.
func (c *Confinement) Getwd() (string, error) {
	if c == nil || c.Dir == "" {
		return os.Getwd()
	}
	c.Ready()
	return c.Dir, nil
}

// Ready makes sure Dir exists (Prepare), before the run or a child
// process it starts uses it.
func (c *Confinement) Ready() {
	if c != nil && c.Prepare != nil {
		c.Prepare()
	}
}

// checkOpen stops the run (asynchronously: the caller may hold locks) once
// it holds more than Confine.MaxOpen resources.
func (it *Interp) checkOpen(open int) {
	c := it.opts.Confine
	if c == nil || c.MaxOpen <= 0 || open <= c.MaxOpen {
		return
	}
	go it.sched.Stop(fmt.Sprintf("it had more than %d files and sockets open at once", c.MaxOpen))
}

// StopFor stops the run for reason, as a cap does, and returns the error
// with which the calling builtin unwinds its thread: not an exception, so
// no try_ catches it and no traceback is printed; the run ends with the
// verdict "run stopped: reason".
func (it *Interp) StopFor(reason string) error {
	it.sched.Stop(reason)
	return errKilled
}

// checkThread counts a thread about to start and stops the run
// (asynchronously, as checkOpen) past Confine.MaxThreads. The thread still
// starts: the stop ends it with the others.
func (it *Interp) checkThread() {
	c := it.opts.Confine
	if c == nil || c.MaxThreads <= 0 {
		return
	}
	if n := it.threadsStarted.Add(1); n == int64(c.MaxThreads)+1 {
		go it.sched.Stop(fmt.Sprintf("it started more than %d threads", c.MaxThreads))
	}
}
