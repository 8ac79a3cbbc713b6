package labs

import "testing"

// BenchmarkGradeAllSolutions grades every lab's reference solution, seed
// sweeps included: the figure the labs issue bounds (under 30 s on 2 cores).
// A benchmark, never a timed test: go test -bench GradeAll ./labs
func BenchmarkGradeAllSolutions(b *testing.B) {
	all, err := All()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		for _, l := range all {
			src, err := l.File("solution.star")
			if err != nil {
				b.Fatal(err)
			}
			if rep := Grade(l, l.Meta.File, src); !rep.Passed() {
				b.Fatalf("%s: %s", l.ID, rep.Status)
			}
		}
	}
}
