package runtest

// BadArgs are argument lists no builtin should choke on: too many, wrong
// types, negative, huge. The bad-arguments tests of package builtins (the
// modules' functions and objects) and of package socket (sockets, servers,
// select and files, in real time) call every method with each.
var BadArgs = []string{
	"", "None", "'x'", "-1", "1e300", "[1]", "1, 2, 3, 4, 5, 6", "x=1", "None, None", "-5, 'x'", "0.0",
}
