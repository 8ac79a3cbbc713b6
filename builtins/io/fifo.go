package io

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/starlab-dev/starlab/interp"
)

// openFollowingFIFO is os.OpenFile for open(): the same, except that the
// open of a FIFO (named pipe), which blocks until the other end is opened,
// is an external wait. Other threads run meanwhile, and the first Ctrl-C
// (or the run's stop) ends it: starlab opens the other end itself for a
// moment (non-blocking), which lets the blocked open return, and closes
// both. Without it the open would sit in the kernel where nothing reaches.
func openFollowingFIFO(it *interp.Interp, path string, flags int) (*os.File, error) {
	info, err := os.Stat(path)
	t := it.Sched().Holder()
	if err != nil || info.Mode()&os.ModeNamedPipe == 0 || t == nil {
		return os.OpenFile(path, flags, 0o666)
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.OpenFile(path, flags, 0o666)
		ch <- opened{f, err}
	}()
	var res opened
	err = it.Sched().External(t, "open", func(cancel <-chan struct{}) error {
		select {
		case res = <-ch:
		case <-cancel:
			other := unix.O_RDONLY // a blocked writer waits for a reader
			if flags&(os.O_WRONLY|os.O_RDWR) == 0 {
				other = unix.O_WRONLY // a blocked reader waits for a writer
			}
			fd, err := unix.Open(path, other|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
			go func() { // the open returns now (or whenever the other end comes)
				if r := <-ch; r.f != nil {
					r.f.Close()
				}
				if err == nil {
					unix.Close(fd)
				}
			}()
		}
		return nil // External returns the interrupt
	})
	if err != nil {
		if res.f != nil {
			res.f.Close()
		}
		return nil, err
	}
	return res.f, res.err
}
