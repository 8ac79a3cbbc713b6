package interp

import (
	"fmt"
	"io"
	"os"
)

// maxSourceBytes bounds a script or a loaded module. os.ReadFile of
// /dev/zero (`load("/dev/zero")`, `starlab run /dev/zero`) would otherwise
// read until memory runs out, and a FIFO would block the run in a read
// that no Ctrl-C reaches; a course script is a few kilobytes.
const maxSourceBytes = 16 << 20

// readSource reads a script's source: a regular file of at most
// maxSourceBytes. Its errors wrap the OS error, as os.ReadFile's do.
func readSource(path string) ([]byte, error) {
	// Stat first: opening a FIFO blocks until a writer comes.
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &os.PathError{Op: "read", Path: path, Err: fmt.Errorf("not a regular file")}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxSourceBytes+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxSourceBytes {
		return nil, &os.PathError{Op: "read", Path: path, Err: fmt.Errorf("larger than %d MiB", maxSourceBytes>>20)}
	}
	return src, nil
}
