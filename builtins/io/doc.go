// Package io is open() for starlab scripts, for the file-transfer labs:
// Python 3's modes ('r', 'w', 'a', 'x', 'b', 't', '+'), encodings and
// newline handling, giving the file objects of package fileobj, with
// CPython's errors ("[Errno 2] No such file or directory: 'x.txt'"). Files
// are local and deterministic, so they work in sim mode too. A file left
// open is flushed and closed when the run ends.
//
// Departures from Python: only utf-8, ascii and latin-1 text; no `with`
// (call f.close()); buffering and errors are accepted and ignored.
package io
