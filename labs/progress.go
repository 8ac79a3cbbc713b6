package labs

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Progress is the learner's state: which labs are done and how many hints of
// each were shown. It lives in one small JSON file.
type Progress struct {
	Done  map[string]time.Time `json:"done"`  // lab ID → when it first passed
	Hints map[string]int       `json:"hints"` // lab ID → hints revealed
	path  string
}

// ProgressPath is where the state file lives: $STARLAB_STATE_DIR (for tests
// and classrooms), else $XDG_STATE_HOME/starlab, else ~/.local/state/starlab.
func ProgressPath() string {
	dir := os.Getenv("STARLAB_STATE_DIR")
	if dir == "" {
		if x := os.Getenv("XDG_STATE_HOME"); x != "" {
			dir = filepath.Join(x, "starlab")
		} else if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".local", "state", "starlab")
		} else {
			dir = filepath.Join(os.TempDir(), "starlab")
		}
	}
	return filepath.Join(dir, "progress.json")
}

// LoadProgress reads the state file; a missing one is an empty state.
func LoadProgress(path string) (*Progress, error) {
	p := &Progress{Done: map[string]time.Time{}, Hints: map[string]int{}, path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(data, p); err != nil {
		// A damaged file should not lock the learner out: start afresh.
		return &Progress{Done: map[string]time.Time{}, Hints: map[string]int{}, path: path}, nil
	}
	if p.Done == nil {
		p.Done = map[string]time.Time{}
	}
	if p.Hints == nil {
		p.Hints = map[string]int{}
	}
	return p, nil
}

// Save writes the state file atomically (write a temporary file, rename).
func (p *Progress) Save() error {
	if err := os.MkdirAll(filepath.Dir(p.path), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	tmp := p.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p.path)
}

// IsDone reports whether the lab has passed once.
func (p *Progress) IsDone(id string) bool {
	_, ok := p.Done[id]
	return ok
}

// MarkDone records that the lab passed (the first time counts).
func (p *Progress) MarkDone(id string) {
	if !p.IsDone(id) {
		p.Done[id] = time.Now().UTC()
	}
}
