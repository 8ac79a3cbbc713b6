//go:build race

package labs

// raceDetector: the tests run under -race, where grading is many times
// slower; the long tests take a smaller sample.
const raceDetector = true
