package labs

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTraceCommand(t *testing.T) {
	tests := []struct{ replay, want string }{
		{"starlab run --sim --seed 17 lost_update.star", "starlab run --trace seed-17.html --sim --seed 17 lost_update.star"},
		{"printf 'a\\n' | starlab run --sim --seed 3 x.star arg", "printf 'a\\n' | starlab run --trace seed-3.html --sim --seed 3 x.star arg"},
		{"starlab run x.star", ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, traceCommand(tc.replay), tc.replay)
	}
}
