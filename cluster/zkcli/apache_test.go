package zkcli

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk/zktest"
)

// conformanceScript is run by Debian's zkCli.sh and by this package against
// the same Apache ZooKeeper 3.8, each under its own root ($R; both roots
// have the same length so error positions agree). Watch events are left
// out: zkCli prints them from another thread, so their place in its output
// is not fixed.
const conformanceScript = `create $R
create $R/a hello
create $R/a again
create $R/b "hello world"
create $R/b/c
get $R/b
get -s $R/b
set $R/b world
set -s $R/b again
set -v 7 $R/b x
stat $R/b
stat $R/nope
ls $R
ls -s $R/b
ls -R $R
ls $R/nope
create -e $R/e1 eph
create -s $R/seq- d
create -c $R/cont
create -t 500000 $R/ttl x
create -t abc $R/ttl2 x
create -t 0 $R/ttl3 x
create -c -e $R/bad
create nopath
create $R/x/
create $R//x
create $R/e1/child
delete $R/b
delete -v 5 $R/b/c
delete $R/nope
delete /zookeeper
deleteall $R/nope
getAcl $R/a
getAcl -s $R/a
setAcl $R/a world:anyone:cdrwa
setAcl -s $R/a world:anyone:cdrwa
setAcl -v 9 $R/a world:anyone:cdrwa
setAcl $R/a bogus
create $R/q x bad
create $R/q2 x world:anyone:rz
set $R/q2 y
getAcl $R/q2
create $R/q2/kid
addauth digest bob:pw
create $R/d1 x auth::cdrwa
getAcl $R/d1
create $R/d2 x digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:r
get $R/d2
whoami
sync $R
getEphemerals $R
getAllChildrenNumber $R
getAllChildrenNumber $R/nope
get /zookeeper/config
create $R/nul
get $R/nul
get -s $R/nul
create $R/empty ""
get $R/empty
create $R/quoted 'it is "quoted"'
get $R/quoted
get
ls -x $R
set $R/a
ls $R/ttl extra
delete $R/b/c
deleteall $R/b
ls $R
removewatches $R/a
config
`

// TestConformanceWithZkCli compares this package's output, stdout and
// stderr each, with what Debian's zkCli.sh 3.8 prints for the same script.
func TestConformanceWithZkCli(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM")
	}
	if err := zktest.Available(); err != nil {
		t.Skipf("Apache ZooKeeper not available: %v", err)
	}
	addr := zktest.StartApache(t)
	javaOut, javaErr := runZkCli(t, addr, strings.ReplaceAll(conformanceScript, "$R", "/java"))

	s := connect(t, Config{Server: addr, Yes: true})
	var goOut, goErr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, line := range strings.Split(strings.ReplaceAll(conformanceScript, "$R", "/gogo"), "\n") {
		s.Exec(ctx, line, &goOut, &goErr)
	}
	for _, c := range []struct{ name, java, ours string }{
		{"stdout", javaOut, goOut.String()},
		{"stderr", javaErr, goErr.String()},
	} {
		want := normalize(strings.ReplaceAll(c.java, "/java", "$R"))
		got := normalize(strings.ReplaceAll(c.ours, "/gogo", "$R"))
		if want != got {
			t.Errorf("%s differs from zkCli.sh (left zkCli, right ours):\n%s", c.name, diff(want, got))
		}
	}
}

// runZkCli feeds script to Debian's zkCli (ZooKeeperMain without JLine, so
// it reads lines from stdin) and returns what it printed, without its
// banner, its connection event and SLF4J's complaints.
func runZkCli(t *testing.T, addr, script string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", "-Xmx128m", "-XX:TieredStopAtLevel=1",
		"-cp", zktest.ConfDir+":"+zktest.Jar, "org.apache.zookeeper.ZooKeeperMain", "-server", addr)
	cmd.Stdin = strings.NewReader(script)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("zkCli: %v\n%s", err, errb.String())
	}
	banner := "Connecting to " + addr + "\nWelcome to ZooKeeper!\nJLine support is disabled\n" +
		"\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n"
	o := out.String()
	if !strings.HasPrefix(o, banner) {
		t.Fatalf("zkCli output does not start with its banner:\n%s", o)
	}
	var kept []string
	for _, l := range strings.SplitAfter(errb.String(), "\n") {
		if !strings.HasPrefix(l, "SLF4J:") {
			kept = append(kept, l)
		}
	}
	return strings.TrimPrefix(o, banner), strings.Join(kept, "")
}

// TestConfirmOnApache checks that destructive commands against a
// ZooKeeper that is not coordtui ask first, and do nothing when refused.
func TestConfirmOnApache(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM")
	}
	addr := zktest.StartApache(t)
	var asked []string
	answer := false
	s := connect(t, Config{Server: addr, Confirm: func(_ context.Context, q string) bool {
		asked = append(asked, q)
		return answer
	}})
	if f := s.Flavor(context.Background()); !strings.HasPrefix(f, "Zookeeper version: 3.") || IsCoordtui(f) {
		t.Fatalf("flavor of Apache ZooKeeper = %q", f)
	}
	for _, c := range []struct {
		line, wantErr string
		ask           bool
	}{
		{"create /c one", "Created /c\n", false},
		{"set /c two", "Not confirmed: set /c (--yes skips this question)\n", true},
		{"setAcl /c world:anyone:r", "Not confirmed: setAcl /c (--yes skips this question)\n", true},
		{"delete /c", "Not confirmed: delete /c (--yes skips this question)\n", true},
		{"deleteall /c", "Not confirmed: deleteall /c (--yes skips this question)\n", true},
		{"get /c", "", false},
	} {
		asked = nil
		_, errOut, _ := run(t, s, c.line)
		if errOut != c.wantErr || (len(asked) == 1) != c.ask {
			t.Errorf("%s: stderr %q, asked %q", c.line, errOut, asked)
		}
	}
	if out, _, _ := run(t, s, "get /c"); out != "one\n" {
		t.Errorf("refused commands changed /c: %q", out)
	}
	asked = nil
	answer = true
	if _, errOut, st := run(t, s, "set /c two"); st != StatusOK || errOut != "" {
		t.Errorf("confirmed set: %d %q", st, errOut)
	}
	if len(asked) != 1 {
		t.Fatalf("confirmed set asked %q", asked)
	}
	if !strings.Contains(asked[0], addr+" is not a coordtui ensemble (Zookeeper version: 3.") ||
		!strings.HasSuffix(asked[0], "Really set /c? [y/N] ") {
		t.Errorf("question = %q", asked[0])
	}
	yes := connect(t, Config{Server: addr, Yes: true})
	asked = nil
	if _, errOut, st := run(t, yes, "delete /c"); st != StatusOK || errOut != "" || len(asked) != 0 {
		t.Errorf("--yes delete: %d %q asked %q", st, errOut, asked)
	}
}
