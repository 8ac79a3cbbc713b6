// Package time is Python's time module for starlab scripts: sleep, time,
// time_ns, monotonic, perf_counter and ctime, all on the run's clock. In
// sim mode that clock is virtual: time.sleep(10) takes no real time, and
// time.time() starts at a fixed date (2024-01-01 UTC) so that a run replays
// byte for byte. time.sleep is a scheduler wait: other threads run while a
// thread sleeps, and sleep(0) yields the baton, as in CPython.
package time
