package random

import "github.com/starlab-dev/starlab/builtins/internal/pydoc"

// The help() texts of the random module, beside its code.

var Docs = pydoc.Table{
	"random": {
		Summary: "Pseudo-random numbers from CPython's own generator: after random.seed(n), the same numbers as Python.",
		More:    "In sim mode the generator is seeded from the run's --seed, so a run replays.",
	},
	"random.random":      {Sig: "()", Summary: "A float in [0.0, 1.0)."},
	"random.uniform":     {Sig: "(a, b)", Summary: "A float between a and b."},
	"random.randint":     {Sig: "(a, b)", Summary: "An int in [a, b], both ends included."},
	"random.randrange":   {Sig: "(start, stop=None, step=1)", Summary: "An int from range(start, stop, step)."},
	"random.getrandbits": {Sig: "(k)", Summary: "An int of k random bits."},
	"random.choice":      {Sig: "(seq)", Summary: "One element of the non-empty sequence seq."},
	"random.choices":     {Sig: "(population, weights=None, cum_weights=None, k=1)", Summary: "A list of k elements drawn with replacement, optionally weighted."},
	"random.shuffle":     {Sig: "(x)", Summary: "Shuffle the list x in place."},
	"random.sample":      {Sig: "(population, k, counts=None)", Summary: "A list of k distinct elements drawn from population."},
	"random.seed":        {Sig: "(a=None, version=2)", Summary: "Seed the generator: the same seed gives the same numbers (None: from the OS, or from --seed in sim mode)."},
}
