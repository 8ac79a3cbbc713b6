package repl

import (
	"io"
	"testing"
)

// BenchmarkStartup measures the REPL from New to its first prompt, in
// process: building the interpreter and its modules, starting the session.
// The whole command, exec included, is BenchmarkREPLStartup in cmd/starlab.
//
//	go test ./repl -run '^$' -bench Startup
func BenchmarkStartup(b *testing.B) {
	for b.Loop() {
		in := &fakeReader{prompts: make(chan string, 1), lines: make(chan fakeLine, 1)}
		r, err := New(Config{Reader: in, Interactive: true, Stdout: io.Discard, Stderr: io.Discard, Banner: "banner"})
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan int)
		go func() { done <- r.Run("") }()
		<-in.prompts // the first prompt
		b.StopTimer()
		in.lines <- fakeLine{err: io.EOF}
		<-done
		b.StartTimer()
	}
}
