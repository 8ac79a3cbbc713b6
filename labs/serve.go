package labs

import (
	"net"
	"regexp"
	"time"

	"github.com/starlab-dev/starlab/interp"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// grade.serve: a submission run as a server in the background, for the
// socket labs; the grader talks to it with real clients on loopback.

// serve(argv=[], stdin="", time_limit=None, ...) starts the submission in
// the background, in real-time mode, for labs whose script is a server: the
// grader then connects its own clients (it has the socket module) and calls
// the handle's methods:
//   - wait_for(pattern, timeout=5): wait until the script's stdout matches
//     the regular expression; the match's groups (or the whole match), or
//     None on timeout or when the script ended first;
//   - stop(): stop the script and return its run, as grade.run returns;
//   - finish(timeout=None): wait for it to end by itself (stopping it after
//     timeout) and return its run;
//   - output(): what it printed so far, (stdout, stderr).
func (g *grader) serve(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	o := g.defaults()
	if err := unpackRunOptions("serve", &o, args, kwargs); err != nil {
		return nil, err
	}
	if o.sim {
		return nil, interp.Errorf(interp.ValueError, "serve: a server runs in real time (sim=False)")
	}
	r := g.start(o)
	return &serverHandle{r: r, g: g}, nil
}

// serverHandle is what grade.serve returns.
type serverHandle struct {
	r       *submissionRun
	g       *grader
	stopped starlark.Value
}

func (h *serverHandle) String() string { return "<grade.server " + h.g.filename + ">" }

func (h *serverHandle) Type() string { return "grade.server" }

func (h *serverHandle) Freeze() {}

func (h *serverHandle) Truth() starlark.Bool { return true }

func (h *serverHandle) Hash() (uint32, error) { return interp.IdentityHash(h), nil }

func (h *serverHandle) AttrNames() []string {
	return []string{"finish", "idle", "output", "steps", "stop", "wait_for"}
}

func (h *serverHandle) Attr(name string) (starlark.Value, error) {
	switch name {
	case "wait_for":
		return starlark.NewBuiltin("wait_for", h.waitFor), nil
	case "stop":
		return starlark.NewBuiltin("stop", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs("stop", args, kwargs, 0); err != nil {
				return nil, err
			}
			return h.end(th, func() starlark.Value { return h.r.stop("stopped by the grader") })
		}), nil
	case "finish":
		return starlark.NewBuiltin("finish", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var timeout starlark.Value = starlark.None
			if err := starlark.UnpackArgs("finish", args, kwargs, "timeout?", &timeout); err != nil {
				return nil, err
			}
			limit := h.r.o.timeLimit
			if f, ok := starlark.AsFloat(timeout); ok && f > 0 {
				limit = time.Duration(f * float64(time.Second))
			}
			return h.end(th, func() starlark.Value { return h.r.finish(limit) })
		}), nil
	case "idle":
		return starlark.NewBuiltin("idle", h.idle), nil
	case "steps":
		return starlark.NewBuiltin("steps", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs("steps", args, kwargs, 0); err != nil {
				return nil, err
			}
			return starlark.MakeUint64(h.r.it.Sched().Steps()), nil
		}), nil
	case "output":
		return starlark.NewBuiltin("output", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs("output", args, kwargs, 0); err != nil {
				return nil, err
			}
			stdout, stderr := h.r.output()
			return starlark.Tuple{starlark.String(stdout), starlark.String(stderr)}, nil
		}), nil
	}
	return nil, nil
}

// end waits for the run to end in an external wait, so the grader's own
// threads (its clients) keep running meanwhile.
func (h *serverHandle) end(th *starlark.Thread, wait func() starlark.Value) (starlark.Value, error) {
	if h.stopped != nil {
		return h.stopped, nil
	}
	var run starlark.Value
	t := interp.Current(th)
	err := t.Sched().External(t, "grade: the submission to end", func(<-chan struct{}) error {
		run = wait()
		return nil
	})
	if err != nil {
		return nil, err
	}
	h.stopped = run
	return run, nil
}

func (h *serverHandle) waitFor(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var pattern string
	var timeoutV starlark.Value = starlark.MakeInt(5)
	if err := starlark.UnpackArgs("wait_for", args, kwargs, "pattern", &pattern, "timeout?", &timeoutV); err != nil {
		return nil, err
	}
	timeout, ok := starlark.AsFloat(timeoutV)
	if !ok || timeout < 0 {
		return nil, interp.Errorf(interp.TypeError, "wait_for: timeout must be a number of seconds")
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, interp.Errorf(interp.ValueError, "wait_for: bad pattern: %v", err)
	}
	var found []string
	t := interp.Current(th)
	deadline := time.Now().Add(time.Duration(timeout * float64(time.Second)))
	err = t.Sched().External(t, "grade: the submission's output", func(cancel <-chan struct{}) error {
		for {
			stdout, _ := h.r.output()
			if m := re.FindStringSubmatch(stdout); m != nil {
				found = m
				return nil
			}
			select {
			case <-h.r.done:
				stdout, _ := h.r.output()
				found = re.FindStringSubmatch(stdout)
				return nil
			case <-cancel:
				return nil
			case <-time.After(10 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return nil
			}
		}
	})
	if err != nil || found == nil {
		return starlark.None, err
	}
	if len(found) == 1 {
		return starlark.String(found[0]), nil
	}
	if len(found) == 2 {
		return starlark.String(found[1]), nil
	}
	groups := make(starlark.Tuple, len(found)-1)
	for i, m := range found[1:] {
		groups[i] = starlark.String(m)
	}
	return groups, nil
}

// idle(max_steps=50000, timeout=10) waits until the server is idle, as the
// scheduler knows it: every one of its threads waits (in accept, recv,
// select, a lock...), and nothing woke up, over a few looks 50 ms apart.
// It returns a struct: idle (True once seen so), steps (the Starlark steps
// the server made while this waited) and seconds. It gives up, idle False,
// once the server made more than max_steps steps (a loop that never waits:
// it spins) or after timeout seconds. A server that waits is seen idle
// within a fraction of a second on any machine, however slow or loaded; a
// spinning one never is, and its steps pass any bound at its own pace, so
// neither verdict depends on how fast the machine runs.
func (h *serverHandle) idle(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	maxSteps := 50000
	var timeoutV starlark.Value = starlark.MakeInt(10)
	if err := starlark.UnpackArgs("idle", args, kwargs, "max_steps?", &maxSteps, "timeout?", &timeoutV); err != nil {
		return nil, err
	}
	timeout, ok := starlark.AsFloat(timeoutV)
	if !ok || timeout < 0 {
		return nil, interp.Errorf(interp.TypeError, "idle: timeout must be a number of seconds")
	}
	const looks = 3 // quiet looks in a row, with no wake-up between them
	sched := h.r.it.Sched()
	start, began := sched.Steps(), time.Now()
	deadline := began.Add(time.Duration(timeout * float64(time.Second)))
	idle := false
	t := interp.Current(th)
	err := t.Sched().External(t, "grade: the submission to be idle", func(cancel <-chan struct{}) error {
		quietLooks, lastWakes, lastSteps := 0, uint64(0), uint64(0)
		for {
			quiet, wakes := h.r.quiet()
			steps := sched.Steps()
			if quiet && (quietLooks == 0 || (wakes == lastWakes && steps == lastSteps)) {
				quietLooks++
			} else if quiet {
				quietLooks = 1
			} else {
				quietLooks = 0
			}
			lastWakes, lastSteps = wakes, steps
			if quietLooks >= looks {
				idle = true
				return nil
			}
			if steps-start > uint64(maxSteps) || time.Now().After(deadline) {
				return nil
			}
			select {
			case <-h.r.done:
				return nil
			case <-cancel:
				return nil
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return starlarkstruct.FromStringDict(starlark.String("idle"), starlark.StringDict{
		"idle":    starlark.Bool(idle),
		"steps":   starlark.MakeUint64(sched.Steps() - start),
		"seconds": starlark.Float(time.Since(began).Seconds()),
	}), nil
}

// freePort returns a TCP port on 127.0.0.1 that is free now, to hand to a
// server submission on its command line.
func freePort(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs("free_port", args, kwargs, 0); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, interp.Errorf(interp.OSError, "free_port: %v", err)
	}
	defer l.Close()
	return starlark.MakeInt(l.Addr().(*net.TCPAddr).Port), nil
}
