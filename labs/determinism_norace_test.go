//go:build !race

package labs

// raceDetector: the tests run under -race (see determinism_race_test.go).
const raceDetector = false
