package labs

import (
	"syscall"
	"testing"
)

// BenchmarkGradeClassLab03 grades a class of 200 lab 03 submissions
// (solutions, starters, mutants, a missing file, a syntax error) with 2 CPU
// slots, and reports the peak RSS of the process. Issue 15's goal: under a
// minute on 2 cores. A benchmark, never a timed test:
//
//	go test -run '^$' -bench GradeClassLab03 -benchtime 1x ./labs
func BenchmarkGradeClassLab03(b *testing.B) {
	l, err := Find("03")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	makeClass(b, l, dir, 200)
	subs, err := FindSubmissions(l, []string{dir})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := GradeClass(l, subs, ClassOptions{Out: b.TempDir(), Jobs: 2}); err != nil {
			b.Fatal(err)
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	}
}
