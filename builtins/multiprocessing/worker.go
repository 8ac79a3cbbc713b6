package multiprocessing

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"go.starlark.net/starlark"

	"github.com/starlab-dev/starlab/interp"
)

// The child's side of spawn. The parent runs the starlab binary again with
// workerEnv set and one end of a socket pair as file descriptor 3; it writes
// one frame, the start message:
//
//	(script, argv, name, daemon, identity, parent_pid, target, payload, server)
//
// where payload is the frame-less encoding of (args, kwargs), decoded only
// once the script has loaded, since a function crosses by its top-level name,
// and server the address of the parent's shared objects ("" if none).
// The child loads the script as __mp_main__, calls the target, and exits:
// 0, 1 after an exception (printed under "Process NAME:"), or sys.exit's.

const workerEnv = "STARLAB_MP_WORKER"

// IsWorker reports whether this process was started as a multiprocessing
// child: the command's main calls WorkerMain before anything else then.
func IsWorker() bool { return os.Getenv(workerEnv) != "" }

// startMessage encodes what a child needs to run target(*args, **kwargs).
func (m *Module) startMessage(th *starlark.Thread, name string, daemon bool, target starlark.Value, args starlark.Tuple, kwargs *starlark.Dict) ([]byte, error) {
	fn, err := topLevel(target)
	if err != nil {
		return nil, err
	}
	payload, err := encodeValue(starlark.Tuple{args, kwargs}, m.refOf)
	if err != nil {
		return nil, err
	}
	script, err := scriptPath(th, fn.Position().Filename())
	if err != nil {
		return nil, interp.Errorf(interp.OSError, "%v", err)
	}
	if _, err := os.Stat(script); err != nil { // a function typed at the prompt
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: a child loads its target from the script's file, and %s() was not defined in one (%s): run a script with `starlab run FILE`", fn.Name(), fn.Position().Filename())
	}
	argv := make([]starlark.Value, len(m.it.Argv()))
	for i, a := range m.it.Argv() {
		argv[i] = starlark.String(a)
	}
	ident := strings.TrimPrefix(name, "Process-")
	if ident == name {
		ident = fmt.Sprint(m.count)
	}
	msg := starlark.Tuple{
		starlark.String(script), starlark.NewList(argv), starlark.String(name), starlark.Bool(daemon),
		starlark.String(ident), starlark.MakeInt(os.Getpid()), starlark.String(fn.Name()), interp.Bytes(payload),
		starlark.String(m.serverAddr()),
	}
	return encodeValue(msg, nil)
}

// scriptPath makes the script's name absolute: against the run's working
// directory when the script is there (a graded run's is its own folder,
// interp.Confinement, where the grader writes the submission so that
// children can load it), else against the process's.
func scriptPath(th *starlark.Thread, name string) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	// A graded run's folder holds its copy of the submission; `run
	// --sandbox FILE` names a file beside the user, outside that folder.
	if wd, err := interp.ConfinementOf(th).Getwd(); err == nil {
		if p := filepath.Join(wd, name); fileExists(p) {
			return p, nil
		}
	}
	return filepath.Abs(name)
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// workerMessage is the start message of a pool worker: no target, and
// (initializer, initargs) as its arguments.
func (m *Module) workerMessage(name string, initPayload []byte) ([]byte, error) {
	script := m.script
	if script == "" {
		return nil, interp.Errorf(interp.RuntimeError, "multiprocessing: a Pool needs the script's file")
	}
	argv := make([]starlark.Value, len(m.it.Argv()))
	for i, a := range m.it.Argv() {
		argv[i] = starlark.String(a)
	}
	msg := starlark.Tuple{
		starlark.String(script), starlark.NewList(argv), starlark.String(name), starlark.True,
		starlark.String(m.identity), starlark.MakeInt(os.Getpid()), starlark.String(""), interp.Bytes(initPayload),
		starlark.String(m.serverAddr()),
	}
	return encodeValue(msg, nil)
}

// topLevel returns target if it is a function defined at the top level of
// its module (what pickle can send by name), else pickle's error.
func topLevel(target starlark.Value) (*starlark.Function, error) {
	fn, ok := target.(*starlark.Function)
	if !ok {
		if target == starlark.None || target == nil {
			return nil, interp.Errorf(interp.TypeError, "multiprocessing: Process() needs a target function (target=None runs nothing)")
		}
		return nil, cantPickle(target)
	}
	if fn.Name() == "lambda" {
		return nil, interp.Errorf(PicklingError, "Can't pickle <function <lambda> at 0x%x>: attribute lookup <lambda> on __main__ failed", interp.IdentityHash(fn))
	}
	if fn.Globals()[fn.Name()] != fn {
		return nil, interp.Errorf(interp.AttributeError, "Can't pickle local object '%s'", fn.Name())
	}
	return fn, nil
}

// cantPickle is pickle's TypeError for a value that can't cross.
func cantPickle(v starlark.Value) error {
	t := v.Type()
	switch t {
	case "lock":
		t = "_thread.lock"
	case "RLock":
		t = "_thread.RLock"
	}
	return interp.Errorf(interp.TypeError, "cannot pickle '%s' object", t)
}

// refOf says how a value that is not plain data crosses: a top-level
// function by name; anything else can't.
func (m *Module) refOf(v starlark.Value) (any, error) {
	if r, ok := m.refOfProxy(v); ok {
		return r, nil
	}
	if fn, ok := v.(*starlark.Function); ok {
		if _, err := topLevel(fn); err != nil {
			return nil, err
		}
		return FuncRef{Name: fn.Name()}, nil
	}
	return nil, cantPickle(v)
}

// WorkerMain runs this process as a multiprocessing child and returns its
// exit status. predeclared is the run's globals (builtins.Predeclared).
func WorkerMain(predeclared func(*interp.Interp) starlark.StringDict) int {
	conn := os.NewFile(3, "mp-conn")
	frame, err := readFrame(conn)
	if err != nil {
		fmt.Fprintf(os.Stderr, "starlab: multiprocessing child: %v\n", err)
		return 1
	}
	v, err := decodeValue(frame, nil)
	msg, ok := v.(starlark.Tuple)
	if err != nil || !ok || len(msg) != 9 {
		fmt.Fprintf(os.Stderr, "starlab: multiprocessing child: bad start message (%v)\n", err)
		return 1
	}
	script, _ := starlark.AsString(msg[0])
	name, _ := starlark.AsString(msg[2])
	ident, _ := starlark.AsString(msg[4])
	ppid, _ := starlark.AsInt32(msg[5])
	target, _ := starlark.AsString(msg[6])
	payload, _ := msg[7].(interp.Bytes)
	addr, _ := starlark.AsString(msg[8])
	if os.Getppid() != ppid { // the parent died before Pdeathsig was set
		return 1
	}
	var argv []string
	if l, ok := msg[1].(*starlark.List); ok {
		for i := 0; i < l.Len(); i++ {
			s, _ := starlark.AsString(l.Index(i))
			argv = append(argv, s)
		}
	}

	confined, err := inheritedTree(name) // a confined parent's rules (confine.go)
	if err != nil {
		fmt.Fprintf(os.Stderr, "starlab: multiprocessing child: %v\n", err)
		return 1
	}

	var mod *Module
	part := openChildPart()
	it := interp.New(interp.Options{
		Argv:       argv,
		ModuleName: "__mp_main__",
		Confine:    confined.confinement(),
		Sched:      confined.sched(part.sched()),
		Predeclared: func(it *interp.Interp) starlark.StringDict {
			d := predeclared(it)
			mod = stateOf(d["multiprocessing"])
			return d
		},
	})
	if mod == nil {
		fmt.Fprintln(os.Stderr, "starlab: multiprocessing child: no multiprocessing module")
		return 1
	}
	mod.bootstrapping = true
	mod.adopt(confined)
	defer confined.reportStop(it)
	mod.identity = ident
	mod.script = script
	if addr != "" {
		mod.client = &client{addr: addr}
	}
	mod.self = &Process{m: mod, name: name, pid: os.Getpid(), started: true, isSelf: true, daemon: msg[3].Truth() == starlark.True}
	mod.parent = &Process{m: mod, name: "MainProcess", pid: ppid, started: true, isSelf: true}
	defer part.close(it)
	defer part.start(it, name)()

	// Ctrl-C reaches the whole process group: in a child it is a
	// KeyboardInterrupt too, printed under "Process NAME:", as in CPython.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	go func() {
		for range sigs {
			it.Interrupt()
		}
	}()

	src, err := os.ReadFile(script)
	if err != nil {
		fmt.Fprintf(os.Stderr, "starlab: multiprocessing child: %v\n", err)
		return 1
	}
	c, err := it.Compile(script, src)
	if err != nil {
		io.WriteString(os.Stderr, it.CompileErrorText(err))
		return 1
	}
	return it.RunCompiledThen(c, func(st *starlark.Thread) error {
		return mod.runChild(name, func() error {
			if target == "" {
				return mod.poolWorker(st, conn, []byte(payload), part)
			}
			return mod.callTarget(st, target, []byte(payload))
		})
	})
}

// runChild runs body, a child's work once the script has loaded: an
// exception that escapes it is printed under "Process NAME:", as CPython's
// Process._bootstrap does, and the child exits 1.
func (m *Module) runChild(name string, body func() error) error {
	m.bootstrapping = false
	err := body()
	exc := interp.ExceptionFromError(err)
	if exc == nil || exc.Class().IsSubclassOf(interp.SystemExit) {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Process %s:\n", name)
	m.it.PrintException(&b, exc)
	io.WriteString(m.it.Stderr(), b.String())
	return interp.Raise(interp.NewException(interp.SystemExit, starlark.MakeInt(1)))
}

// callTarget decodes the arguments against the loaded script and calls
// the target.
func (m *Module) callTarget(st *starlark.Thread, target string, payload []byte) error {
	globals := m.it.Globals()
	fn, ok := globals[target]
	if !ok {
		return interp.Errorf(interp.AttributeError, "Can't get attribute '%s' on <module '__mp_main__'>", target)
	}
	v, err := decodeValue(payload, m.resolver(globals))
	if err != nil {
		return interp.Errorf(interp.RuntimeError, "%v", err)
	}
	call, ok := v.(starlark.Tuple)
	if !ok || len(call) != 2 {
		return interp.Errorf(interp.RuntimeError, "multiprocessing: bad arguments message")
	}
	args, ok1 := call[0].(starlark.Tuple)
	kwargs, ok2 := call[1].(*starlark.Dict)
	if !ok1 || !ok2 {
		return interp.Errorf(interp.RuntimeError, "multiprocessing: bad arguments message")
	}
	_, err = starlark.Call(st, fn, args, kwargs.Items())
	return err
}

// resolver turns references into this process's values: a function by
// its top-level name.
func (m *Module) resolver(globals starlark.StringDict) func(any) (starlark.Value, error) {
	return func(r any) (starlark.Value, error) {
		switch r := r.(type) {
		case Ref:
			return m.resolveRemote(r)
		case FuncRef:
			if fn, ok := globals[r.Name]; ok {
				return fn, nil
			}
			return nil, interp.Errorf(interp.AttributeError, "Can't get attribute '%s' on <module '__mp_main__'>", r.Name)
		}
		return nil, wireErrorf("unexpected reference")
	}
}

// poolWorker is a Pool worker's loop: the initializer, then each task read
// from conn, its outcome written back, until the parent closes conn.
func (m *Module) poolWorker(st *starlark.Thread, conn *os.File, initPayload []byte, part *childPart) error {
	globals := m.it.Globals()
	if err := m.runInitializer(st, initPayload, globals); err != nil {
		return err
	}
	t := interp.Current(st)
	for {
		var frame []byte
		var rerr error
		if err := t.Sched().External(t, "Pool worker", func(<-chan struct{}) error {
			part.flush() // what it did so far, in case Pool.terminate kills it now
			frame, rerr = readFrame(conn)
			return nil
		}); err != nil {
			return err
		}
		if rerr != nil {
			return nil // the pool closed: this worker is done
		}
		reply, exit := m.runTask(st, frame, globals)
		if exit != nil { // sys.exit in a task ends the worker, as in CPython; the pool replaces it
			return exit
		}
		if err := writeFrame(conn, reply); err != nil {
			return nil
		}
	}
}

// runInitializer runs a pool worker's initializer(*initargs), if any.
func (m *Module) runInitializer(st *starlark.Thread, initPayload []byte, globals starlark.StringDict) error {
	v, err := decodeValue(initPayload, m.resolver(globals))
	if err != nil {
		return interp.Errorf(interp.RuntimeError, "%v", err)
	}
	if call, ok := v.(starlark.Tuple); ok && len(call) == 2 {
		if init, ok := call[0].(starlark.Tuple); ok && len(init) == 2 && init[0] != starlark.None {
			initargs, _ := init[1].(starlark.Tuple)
			if _, err := starlark.Call(st, init[0], initargs, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// runTask runs one task and encodes its outcome; exit is the SystemExit
// that ends this worker instead.
func (m *Module) runTask(st *starlark.Thread, frame []byte, globals starlark.StringDict) (reply []byte, exit error) {
	fail := func(err error) ([]byte, error) {
		exc := interp.ExceptionFromError(err)
		if exc == nil {
			exc = interp.NewException(interp.RuntimeError, starlark.String(err.Error()))
		}
		if exc.Class().IsSubclassOf(interp.SystemExit) {
			return nil, err
		}
		p, _ := encodeValue(starlark.Tuple{starlark.String("err"), starlark.String(exc.Class().Name()), starlark.String(exc.Message())}, nil)
		return p, nil
	}
	v, err := decodeValue(frame, m.resolver(globals))
	if err != nil {
		return fail(err)
	}
	call, ok := v.(starlark.Tuple)
	if !ok || len(call) != 3 {
		return fail(wireErrorf("bad task"))
	}
	args, _ := call[1].(starlark.Tuple)
	kw, _ := call[2].(*starlark.Dict)
	if kw == nil {
		kw = starlark.NewDict(0)
	}
	res, err := starlark.Call(st, call[0], args, kw.Items())
	if err != nil {
		return fail(err)
	}
	p, err := encodeValue(starlark.Tuple{starlark.String("ok"), res}, m.refOf)
	if err != nil {
		return fail(err)
	}
	return p, nil
}
