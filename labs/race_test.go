//go:build race

package labs

// raceEnabled: this test binary has the race detector, which makes the
// real processes of the multiprocessing labs several times slower.
const raceEnabled = true
