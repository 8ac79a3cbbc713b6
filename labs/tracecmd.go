package labs

import (
	"fmt"
	"regexp"
	"strings"
)

var simSeed = regexp.MustCompile(`starlab run --sim --seed (\d+) `)

// traceCommand turns a failing sim run's replay command into the one that
// also writes its timeline (`--trace seed-S.html`), so the learner can see
// the interleaving that failed, lane by lane. It returns "" for a command
// that is not a sim replay: a real-time run does not replay the same way.
func traceCommand(replay string) string {
	m := simSeed.FindStringSubmatchIndex(replay)
	if m == nil {
		return ""
	}
	seed := replay[m[2]:m[3]]
	return strings.Replace(replay, "starlab run ", fmt.Sprintf("starlab run --trace seed-%s.html ", seed), 1)
}
