package multiprocessing

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the multiprocessing module, beside its code.

var Docs = pydoc.Table{
	"multiprocessing": {
		Summary: "Real OS processes: each child runs the script again (as __mp_main__) and calls its target; nothing is shared unless made to be.",
	},
	"multiprocessing.Process": {
		Sig:     "(group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None)",
		Summary: "A child process that will run target(*args, **kwargs); target must be a top-level function, args plain data.",
		Type:    "Process",
	},
	"multiprocessing.Process.start":     {Sig: "()", Summary: "Start the child: the starlab binary again, loading the script with __name__ == '__mp_main__'."},
	"multiprocessing.Process.join":      {Sig: "(timeout=None)", Summary: "Wait until the child ends (at most timeout seconds)."},
	"multiprocessing.Process.is_alive":  {Sig: "()", Summary: "Whether the child was started and has not ended."},
	"multiprocessing.Process.run":       {Sig: "()", Summary: "Call the target in this process (what the child does)."},
	"multiprocessing.Process.terminate": {Sig: "()", Summary: "Send the child SIGTERM; its exitcode becomes -15."},
	"multiprocessing.Process.kill":      {Sig: "()", Summary: "Send the child SIGKILL; its exitcode becomes -9."},
	"multiprocessing.Process.close":     {Sig: "()", Summary: "Release the process object; ValueError while the child still runs."},
	"multiprocessing.Process.name":      {Summary: "The process's name: Process-1, Process-2, ... unless given."},
	"multiprocessing.Process.daemon":    {Summary: "A daemon child is terminated when its parent exits; others are joined. Set before start()."},
	"multiprocessing.Process.pid":       {Summary: "The child's OS process id (None before start)."},
	"multiprocessing.Process.ident":     {Summary: "The same as pid."},
	"multiprocessing.Process.exitcode":  {Summary: "None while running; 0, 1 after an exception, n for sys.exit(n), -N when signal N killed it."},
	"multiprocessing.current_process":   {Sig: "()", Summary: "The Process object of this process (MainProcess in the parent)."},
	"multiprocessing.parent_process":    {Sig: "()", Summary: "The parent's Process object in a child; None in the main process."},
	"multiprocessing.active_children":   {Sig: "()", Summary: "The children still running (the ended ones are reaped)."},
	"multiprocessing.cpu_count":         {Sig: "()", Summary: "How many CPUs this machine has."},
	"multiprocessing.ProcessError":      {Summary: "The base class of multiprocessing's errors."},
}
