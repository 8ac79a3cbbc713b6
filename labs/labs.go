// Package labs holds starlab's labs, embedded in the binary, and grades a
// learner's solution of one.
//
// A lab is a folder NN-name/ (see README.md in this folder for the format):
// lab.json (titles, the learner's file name, time bounds), README.en.md and
// README.zh.md (instructions), starter.star (TODOs), solution.star (the
// reference), hints.en.md / hints.zh.md (hints separated by lines "---"),
// grader.star (the checks, written against the `grade` module), and
// mutants/*.star (known-wrong solutions that the tests prove the grader
// catches).
package labs

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed all:[0-9][0-9]-*
var content embed.FS

// Lab is one lab folder.
type Lab struct {
	ID   string // "03-lost-update"
	Num  int    // 3
	Name string // "lost-update"
	Meta Meta
	fsys fs.FS // the lab's folder
}

// Meta is a lab's lab.json.
type Meta struct {
	Title map[string]string `json:"title"` // by language: "en", "zh"
	// File is the name of the learner's script: `starlab start` writes the
	// starter there and `starlab check` grades it by default.
	File string `json:"file"`
	// Topic says which part of the course the lab practises.
	Topic string `json:"topic"`
	// TimeLimit bounds one run of the learner's script in seconds of real
	// time (default 10); a sim-mode run is bounded in virtual time by
	// VirtualLimit (default 3600) and every run in steps by MaxSteps.
	TimeLimit    float64 `json:"time_limit"`
	VirtualLimit float64 `json:"virtual_limit"`
	MaxSteps     uint64  `json:"max_steps"`
	// Limits caps threads and output of one run (limits.go).
	Limits
}

// All returns the labs in course order.
func All() ([]*Lab, error) { return load(content) }

func load(fsys fs.FS) ([]*Lab, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var labs []*Lab
	for _, e := range entries {
		if !e.IsDir() || len(e.Name()) < 4 || e.Name()[2] != '-' {
			continue
		}
		num, err := strconv.Atoi(e.Name()[:2])
		if err != nil {
			continue
		}
		sub, err := fs.Sub(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		l := &Lab{ID: e.Name(), Num: num, Name: e.Name()[3:], fsys: sub}
		data, err := fs.ReadFile(sub, "lab.json")
		if err != nil {
			return nil, fmt.Errorf("lab %s: %w", l.ID, err)
		}
		if err := json.Unmarshal(data, &l.Meta); err != nil {
			return nil, fmt.Errorf("lab %s: lab.json: %w", l.ID, err)
		}
		if l.Meta.File == "" {
			l.Meta.File = strings.ReplaceAll(l.Name, "-", "_") + ".star"
		}
		labs = append(labs, l)
	}
	sort.Slice(labs, func(i, j int) bool { return labs[i].Num < labs[j].Num })
	return labs, nil
}

// Find returns the lab called name: "03-lost-update", "lost-update", "03" or "3".
func Find(name string) (*Lab, error) {
	labs, err := All()
	if err != nil {
		return nil, err
	}
	n, numErr := strconv.Atoi(name)
	for _, l := range labs {
		if l.ID == name || l.Name == name || (numErr == nil && l.Num == n) {
			return l, nil
		}
	}
	var names []string
	for _, l := range labs {
		names = append(names, l.ID)
	}
	return nil, fmt.Errorf("no lab %q; the labs are: %s", name, strings.Join(names, ", "))
}

// Title is the lab's title in lang ("en" or "zh"), falling back to English.
func (l *Lab) Title(lang string) string {
	if t := l.Meta.Title[lang]; t != "" {
		return t
	}
	return l.Meta.Title["en"]
}

// Instructions returns README.<lang>.md, falling back to English.
func (l *Lab) Instructions(lang string) string {
	if b, err := fs.ReadFile(l.fsys, "README."+lang+".md"); err == nil {
		return string(b)
	}
	b, _ := fs.ReadFile(l.fsys, "README.en.md")
	return string(b)
}

// Hints returns the hints in lang, in the order they are revealed.
func (l *Lab) Hints(lang string) []string {
	b, err := fs.ReadFile(l.fsys, "hints."+lang+".md")
	if err != nil {
		b, _ = fs.ReadFile(l.fsys, "hints.en.md")
	}
	var hints []string
	for _, h := range strings.Split(string(b), "\n---\n") {
		if h = strings.TrimSpace(h); h != "" {
			hints = append(hints, h)
		}
	}
	return hints
}

// File returns one of the lab's files ("starter.star", "solution.star", "grader.star").
func (l *Lab) File(name string) ([]byte, error) { return fs.ReadFile(l.fsys, name) }

// Mutants returns the known-wrong solutions by file name.
func (l *Lab) Mutants() (map[string][]byte, error) {
	out := make(map[string][]byte)
	entries, err := fs.ReadDir(l.fsys, "mutants")
	if err != nil {
		return out, nil // a lab may have none yet; the tests require one
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".star") {
			b, err := fs.ReadFile(l.fsys, path.Join("mutants", e.Name()))
			if err != nil {
				return nil, err
			}
			out[e.Name()] = b
		}
	}
	return out, nil
}
