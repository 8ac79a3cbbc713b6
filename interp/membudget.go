package interp

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A run's memory budget (SchedConfig.MaxMemory). A script can ask for any
// amount of memory (`[0] * 10**9`, a list that doubles, a million threads),
// and Go answers a request it cannot meet with a fatal error that no recover
// catches. So starlab keeps every run under a budget, in two ways:
//
//   - before: a builtin that allocates a size the script chose checks it
//     with CheckAlloc first, and raises MemoryError as CPython does when the
//     request alone is over the budget;
//   - after: a watcher goroutine samples the Go heap (runtime/metrics, a few
//     microseconds) every memSampleEvery. When the heap crosses the budget
//     (see watchMemory for how garbage is told from live data),
//     the thread holding the baton gets MemoryError at its next step (its
//     starlark.Thread is cancelled, which go.starlark.net checks at every
//     step). If the heap is still over the budget memGrace later (the
//     script caught the MemoryError, or a Go builtin is still allocating),
//     the run is stopped as a time budget stops it, with a verdict that
//     names the budget. Far past the budget, a Go builtin is allocating
//     and will not look up in time: SchedConfig.MemoryOverrun, if set, is
//     told at once (`starlab run` exits with the verdict).
//
// The Go heap is the process's, not the run's: when a grader runs several
// runs at once, each run's budget is compared with the whole heap, so give
// each run the share it may use.
const (
	memSampleEvery = 5 * time.Millisecond
	memGrace       = 2 * time.Second
	// memOverrunAfter is how long a run far over its budget has to act on
	// its MemoryError before MemoryOverrun is told.
	memOverrunAfter = 300 * time.Millisecond
	// reasonMemory cancels a thread to raise MemoryError in it.
	reasonMemory = "MemoryError"
)

// DefaultMaxMemory is the budget of a run when none is given: a quarter of
// the machine's memory (or of the cgroup's limit, in a container), at most
// defaultMaxMemoryCap, so that a runaway script gets MemoryError well before
// the system starts swapping or the OOM killer chooses a victim (the course's
// scripts need megabytes; a machine is often shared). 0 if it cannot be read.
func DefaultMaxMemory() int64 {
	total := memTotal()
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return min(total/4, defaultMaxMemoryCap)
}

// defaultMaxMemoryCap bounds DefaultMaxMemory on a big machine.
const defaultMaxMemoryCap = 4 << 30

// memTotal is MemTotal of /proc/meminfo in bytes, or 0.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// FormatBytes writes a size the way --max-memory reads it: "512MiB", "4GiB".
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1fGiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dB", n)
}

// ParseBytes reads a size: a number of bytes with an optional unit (K, M,
// G, T, with or without "iB"/"B"; powers of 1024), or a percentage of the
// machine's memory ("50%").
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f <= 0 || f > 100 {
			return 0, fmt.Errorf("bad size %q: a percentage is between 0 and 100", s)
		}
		return int64(f / 100 * float64(memTotal())), nil
	}
	u := strings.ToUpper(t)
	u = strings.TrimSuffix(strings.TrimSuffix(u, "IB"), "B")
	shift := 0
	if n := len(u); n > 0 {
		switch u[n-1] {
		case 'K':
			shift = 10
		case 'M':
			shift = 20
		case 'G':
			shift = 30
		case 'T':
			shift = 40
		}
		if shift > 0 {
			u = u[:n-1]
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(u), 64)
	if err != nil || f <= 0 || f*float64(int64(1)<<shift) >= 1<<62 {
		return 0, fmt.Errorf("bad size %q: want a number of bytes such as 512M, 4G or 50%%", s)
	}
	return int64(f * float64(int64(1)<<shift)), nil
}

// memWatch is the scheduler's side of the budget.
type memWatch struct {
	max     int64 // bytes; fixed at creation
	overrun func(verdict string)
	stop    chan struct{}
	once    sync.Once
	// raised is the thread last sent MemoryError, for CheckStop: a Go
	// builtin's loop sees no Starlark step, so no cancellation, until it
	// returns.
	raised atomic.Pointer[Thread]
	// lastRaised is the last thread sent MemoryError, so that each thread
	// gets it once per episode. Guarded by the scheduler's mutex.
	lastRaised *Thread
}

// MaxMemory returns the run's memory budget in bytes: what CheckAlloc
// compares a request with.
func (s *Scheduler) MaxMemory() int64 { return s.mem.max }

// CheckAlloc is the check a builtin makes before it allocates n items of
// size bytes each, n chosen by the script: MemoryError (CPython's, without
// a message) if that alone is over the run's budget or overflows. n < 0 is
// the caller's to report (it is usually a ValueError).
func (s *Scheduler) CheckAlloc(n, size int64) error {
	if n <= 0 {
		return nil
	}
	if size < 1 {
		size = 1
	}
	if n > s.mem.max/size {
		return Raise(NewException(MemoryError))
	}
	return nil
}

// startMemWatch starts the watcher of the budget; Close stops it.
func (s *Scheduler) startMemWatch() {
	s.mem.stop = make(chan struct{})
	go s.watchMemory(s.mem.stop)
}

// stopMemWatch ends the watcher goroutine (Close calls it).
func (s *Scheduler) stopMemWatch() {
	s.mem.once.Do(func() {
		if s.mem.stop != nil {
			close(s.mem.stop)
		}
	})
}

func (s *Scheduler) watchMemory(stop <-chan struct{}) {
	// objects is the heap now, garbage included; live is what the last
	// collection found reachable. With the default GOGC, garbage is at most
	// about as much as live, so a heap over the budget is garbage only if
	// live is small (under half the budget) and the heap is not past twice
	// the budget; anything else raises MemoryError. The
	// watcher never waits for a collection (a runtime.GC while the script
	// allocates can take seconds): it starts one, at most one at a time,
	// to have live fresh.
	//
	// Goroutine stacks count too (a thread is a goroutine, whose stack
	// grows with the interpreter's frames: a million threads are gigabytes
	// of stacks and little heap).
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"}}
	tick := time.NewTicker(memSampleEvery)
	defer tick.Stop()
	var gcRunning atomic.Bool
	var overSince time.Time
	budget := s.mem.max
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		stacks := int64(sample[2].Value.Uint64())
		objects, live := int64(sample[0].Value.Uint64())+stacks, int64(sample[1].Value.Uint64())+stacks
		if objects <= budget {
			if !overSince.IsZero() {
				overSince = time.Time{}
				s.endMemEpisode()
			}
			continue
		}
		if live <= budget/2 && objects <= 2*budget {
			if gcRunning.CompareAndSwap(false, true) {
				go func() { runtime.GC(); gcRunning.Store(false) }()
			}
			continue // garbage, perhaps
		}
		verdict := fmt.Sprintf("memory budget of %s used up (%s in use; --max-memory raises it)", FormatBytes(budget), FormatBytes(objects))
		runaway := objects > 8*budget || // or MemoryError had its chance:
			!overSince.IsZero() && time.Since(overSince) > memOverrunAfter && (live > 2*budget || objects > 4*budget)
		if runaway && s.mem.overrun != nil {
			s.mem.overrun(verdict) // a Go allocation runs away: no time to wait
			return
		}
		if overSince.IsZero() {
			overSince = time.Now()
		}
		if time.Since(overSince) <= memGrace {
			// The thread that got MemoryError may have parked before its
			// next step (a new thread that waits at once): then the one
			// running now gets it too.
			s.raiseMemoryError()
			continue
		}
		s.Stop(verdict) // MemoryError did not end it
		overSince = time.Now()
	}
}

// endMemEpisode forgets who got MemoryError once the heap is back under
// the budget: the next crossing raises it again.
func (s *Scheduler) endMemEpisode() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mem.lastRaised = nil
}

// raiseMemoryError makes the baton holder raise MemoryError at its next step.
func (s *Scheduler) raiseMemoryError() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.holder; t != nil && !t.killed && t != s.mem.lastRaised {
		t.S.Cancel(reasonMemory)
		s.mem.raised.Store(t)
		s.mem.lastRaised = t
	}
}
