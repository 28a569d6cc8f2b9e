package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

var connString = regexp.MustCompile(`^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*$`)

// startUp runs `coordtui up` with args and returns it with its connection
// string, the first line it prints.
func startUp(t *testing.T, args ...string) (*proc, string) {
	t.Helper()
	p := start(t, append([]string{"up"}, args...)...)
	cs := p.line(t, 60*time.Second)
	if !connString.MatchString(cs) {
		t.Fatalf("first stdout line %q is not a connection string; stderr:\n%s", cs, p.Stderr())
	}
	return p, cs
}

// TestUp: the first stdout line is a connection string our client can use,
// the members answer as coordtui, raft never logs to the terminal, and
// SIGTERM stops everything with exit 0.
func TestUp(t *testing.T) {
	p, cs := startUp(t, "--members", "3")
	if n := len(strings.Split(cs, ",")); n != 3 {
		t.Fatalf("%d members in %q", n, cs)
	}
	c := client(t, cs)
	ctx := ctxFor(t, 30*time.Second)
	if _, err := c.Create(ctx, "/up", []byte("hello"), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	for _, addr := range strings.Split(cs, ",") {
		one := client(t, addr)
		if _, err := one.Sync(ctx, "/up"); err != nil {
			t.Fatal(err)
		}
		if data, _, err := one.Get(ctx, "/up"); err != nil || string(data) != "hello" {
			t.Errorf("%s: get /up = %q, %v", addr, data, err)
		}
		if s := srvr(addr); !strings.Contains(strings.SplitN(s, "\n", 2)[0], "coordtui") {
			t.Errorf("%s: srvr does not name coordtui: %q", addr, s)
		}
	}
	c.Close()
	if code := p.stop(t, syscall.SIGTERM, 20*time.Second); code != 0 {
		t.Errorf("exit code %d after SIGTERM; stderr:\n%s", code, p.Stderr())
	}
	if rest := p.rest(); len(rest) != 0 {
		t.Errorf("stdout after the connection string: %q", rest)
	}
	if strings.Contains(p.Stderr(), "[INFO]") || strings.Contains(p.Stderr(), "entering leader state") {
		t.Errorf("raft logged to the terminal:\n%s", p.Stderr())
	}
}

// TestUpPortAndData: --port fixes the client ports, --data keeps the data
// and the raft log, SIGINT stops it too, and a used --data is refused.
func TestUpPortAndData(t *testing.T) {
	base := consecutivePorts(t, 2)
	dir := filepath.Join(t.TempDir(), "ens")
	p, cs := startUp(t, "--members", "2", "--port", fmt.Sprint(base), "--data", dir)
	if want := fmt.Sprintf("127.0.0.1:%d,127.0.0.1:%d", base, base+1); cs != want {
		t.Errorf("connection string %q, want %q", cs, want)
	}
	if code := p.stop(t, syscall.SIGINT, 20*time.Second); code != 0 {
		t.Errorf("exit code %d after SIGINT; stderr:\n%s", code, p.Stderr())
	}
	log, err := os.ReadFile(filepath.Join(dir, "coordtui.log"))
	if err != nil || !strings.Contains(string(log), "entering leader state") {
		t.Errorf("raft log in --data: %v\n%.300s", err, log)
	}
	_, stderr, code := run(t, "", "up", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "already holds an ensemble") {
		t.Errorf("second up on the same --data: exit %d, %q", code, stderr)
	}
}

func TestVersionAndUsage(t *testing.T) {
	out, _, code := run(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "coordtui ") {
		t.Errorf("--version: %d %q", code, out)
	}
	// No arguments opens the console; without a terminal it says so.
	_, stderr, code := run(t, "")
	if code != 2 || !strings.Contains(stderr, "the console needs a terminal") {
		t.Errorf("no arguments: %d %q", code, stderr)
	}
	_, stderr, code = run(t, "", "nosuch")
	if code != 2 || !strings.Contains(stderr, `unknown command "nosuch"`) {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
}
