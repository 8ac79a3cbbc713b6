//go:build !race

package labs

// raceEnabled: see race_test.go.
const raceEnabled = false
