// Package random is Python's random module for starlab scripts. Its generator
// is CPython's own: the Mersenne Twister (MT19937), seeded the way CPython
// seeds it, and every function draws from it exactly as Lib/random.py does. So
// after random.seed(42) a script gets the very numbers Python gets (random(),
// randint, choice, shuffle, sample, ...).
//
// The generator is per run. Without random.seed it is seeded on first use:
// from the OS in real-time mode, as CPython does, and from the run's seed in
// sim mode, so that a sim run replays byte for byte. Only the baton holder
// calls into the module, so the generator needs no lock.
//
// Departures from Python: the functions that need floats of other
// distributions (gauss, expovariate, ...) are not there; the course does not
// use them.
package random
