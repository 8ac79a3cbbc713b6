//go:build race

package multiprocessing_test

// raceBuild is true under -race, where a step costs ten times more: the
// course's gil.star (900,000 steps per run) is left to the normal build.
const raceBuild = true
