package labs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outputOfRun grades src with a grader that prints the run's output into
// the check's failure, and returns that output.
func outputOfRun(t *testing.T, src string, argv string) string {
	t.Helper()
	grader := `
def check():
    run = grade.run(argv = ARGV)
    grade.fail("OUT<<" + run.stdout + run.stderr + ">>")
grade.check("show", check)
`
	rep := Grade(fakeLab(strings.Replace(grader, "ARGV", argv, 1)), "fake.star", []byte(src))
	require.Len(t, rep.Checks, 1, describe(rep))
	msg := rep.Checks[0].Message
	i, j := strings.Index(msg, "OUT<<"), strings.LastIndex(msg, ">>")
	require.True(t, i >= 0 && j > i, msg)
	return msg[i+5 : j]
}

const refuse = `
def refused(f):
    return try_(f, except_ = [(PermissionError, lambda e: "PermissionError: " + str(e))])
`

// A hostile submission against the file rules: it may not read
// /etc/passwd, nor delete or overwrite a file beside the grader, nor list
// or climb out of its folder; what it writes by a relative name lands in a
// fresh folder of its own, removed after the run.
func TestConfineFiles(t *testing.T) {
	beside := filepath.Join(t.TempDir(), "grades.csv")
	require.NoError(t, os.WriteFile(beside, []byte("alice,10\n"), 0o644))
	src := refuse + `
print("passwd", refused(lambda: open("/etc/passwd").read()))
print("remove", refused(lambda: os.remove(BESIDE)))
print("overwrite", refused(lambda: open(BESIDE, "w")))
print("rename", refused(lambda: os.rename(BESIDE, "mine.csv")))
print("listdir", refused(lambda: os.listdir("/")))
print("climb", refused(lambda: open("../escape.txt", "w")))
print("exists", os.path.exists(BESIDE))
f = open("notes.txt", "w")
f.write("mine")
f.close()
print("own", open("notes.txt").read(), os.listdir("."), os.getcwd())
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.bind("own.sock")
print("sock", sorted(os.listdir(".")))
u.close()
`
	out := outputOfRun(t, strings.ReplaceAll(src, "BESIDE", "'"+beside+"'"), "[]")
	for _, what := range []string{"passwd", "remove", "overwrite", "rename", "listdir", "climb"} {
		assert.Contains(t, out, what+" PermissionError: [Errno 13] Permission denied", out)
	}
	assert.NotContains(t, out, "root:")
	assert.Contains(t, out, "exists False")
	assert.Contains(t, out, "own mine ['notes.txt']")
	data, err := os.ReadFile(beside)
	require.NoError(t, err)
	assert.Equal(t, "alice,10\n", string(data), "the grader's file is untouched")
	wd, _ := os.Getwd()
	assert.NotContains(t, out, wd)
	_, err = os.Stat(filepath.Join(wd, "notes.txt"))
	assert.True(t, os.IsNotExist(err))
	// A Unix socket bound by a relative name is in the run's folder too.
	assert.Contains(t, out, "sock ['notes.txt', 'own.sock']")
	_, err = os.Stat(filepath.Join(wd, "own.sock"))
	assert.True(t, os.IsNotExist(err), "a socket file beside the grader")
	var dir string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "own ") {
			dir = line[strings.LastIndex(line, " ")+1:]
		}
	}
	require.NotEmpty(t, dir, out)
	_, err = os.Stat(dir)
	assert.True(t, os.IsNotExist(err), "the run's folder %s is removed", dir)
}

// A folder the grader hands the submission in argv is its to use.
func TestConfineArgvFolder(t *testing.T) {
	root := t.TempDir()
	src := `f = open(sys.argv[1] + "/stored", "w")
f.write("ok")
f.close()
print("stored", os.listdir(sys.argv[1]))
`
	out := outputOfRun(t, src, `["`+root+`"]`)
	assert.Contains(t, out, `stored ['stored']`)
}

// The network rule, in a network namespace of its own (`unshare -n`): the
// test binary runs itself again there, so even a broken rule can't send a
// packet off the machine. Skipped where unshare can't make one.
func TestConfineNetwork(t *testing.T) {
	if os.Getenv("STARLAB_IN_NETNS") != "1" {
		unshare, err := exec.LookPath("unshare")
		if err != nil {
			t.Skip("no unshare: the network rule is tested in a network namespace only")
		}
		if err := exec.Command(unshare, "-n", "true").Run(); err != nil {
			t.Skipf("unshare -n fails here (%v): the network rule is tested in a network namespace only", err)
		}
		cmd := exec.Command(unshare, "-n", os.Args[0], "-test.run=^TestConfineNetwork$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "STARLAB_IN_NETNS=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "--- PASS: TestConfineNetwork", "%s", out)
		require.NotContains(t, string(out), "SKIP", "%s", out)
		return
	}
	// Inside the namespace: bring loopback up if we can (a fresh namespace
	// has it down); the refusals don't need it.
	if ip, err := exec.LookPath("ip"); err == nil {
		exec.Command(ip, "link", "set", "lo", "up").Run()
	}
	src := refuse + `
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print("connect", refused(lambda: s.connect(("1.1.1.1", 80))))
print("connect6", refused(lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM).connect(("2606:4700::1111", 80))))
print("connect_ex", refused(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect_ex(("10.0.0.1", 80))))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("sendto", refused(lambda: u.sendto(b"x", ("8.8.8.8", 53))))
print("lookup", refused(lambda: socket.getaddrinfo("example.com", 80)))
print("create_connection", refused(lambda: socket.create_connection(("example.com", 80))))
print("bind", refused(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).bind(("0.0.0.0", 0))))
lo = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lo.bind(("127.0.0.1", 0))
print("loopback bind ok", lo.getsockname()[0])
`
	out := outputOfRun(t, src, "[]")
	for _, what := range []string{"connect", "connect6", "connect_ex", "sendto", "lookup", "create_connection", "bind"} {
		assert.Contains(t, out, what+" PermissionError: [Errno 13] Permission denied", out)
	}
	assert.Contains(t, out, "loopback bind ok 127.0.0.1", out)
}
