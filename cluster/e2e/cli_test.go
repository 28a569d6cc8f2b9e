package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"coordtui/cluster/zk/zktest"
)

// TestCli runs `coordtui cli` one-shot and with commands piped in.
func TestCli(t *testing.T) {
	_, cs := startUp(t, "--members", "1")
	for _, c := range []struct {
		args         []string
		stdin        string
		out, err     string
		code         int
		outHasPrefix bool
	}{
		{[]string{"create", "/c", "hello world"}, "", "", "Created /c\n", 0, false},
		{[]string{"get", "-s", "/c"}, "", "hello world\ncZxid = 0x", "", 0, true},
		{[]string{"get", "/missing"}, "", "", "Node does not exist: /missing\n", 1, false},
		{[]string{"ls", "-x", "/"}, "", "", "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x\n", 1, false},
		{[]string{"set", "/c", "again"}, "", "", "", 0, false},
		{nil, "get /c\ncreate /piped 1\nls /\nquit\n", "\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\nagain\n[c, piped, zookeeper]\n", "Created /piped\n", 0, true},
	} {
		args := append([]string{"cli", "-server", cs}, c.args...)
		out, errOut, code := run(t, c.stdin, args...)
		okOut := out == c.out || (c.outHasPrefix && strings.HasPrefix(out, c.out))
		if !okOut || errOut != c.err || code != c.code {
			t.Errorf("cli %q: exit %d\nstdout %q\nstderr %q", c.args, code, out, errOut)
		}
	}
	out, _, code := run(t, "", "cli", "-server", cs, "-o", "json", "get", "/c")
	var got struct{ Path, Data string }
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Data != "again" {
		t.Errorf("cli -o json get: %d %q", code, out)
	}
	_, errOut, code := run(t, "", "cli", "-server", cs, "nosuch")
	if code != 127 || !strings.HasSuffix(errOut, "Command not found: Command not found nosuch\n") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	_, errOut, code = run(t, "", "cli", "-server", "127.0.0.1:1", "-timeout", "1s", "ls", "/")
	if code != 1 || !strings.Contains(errOut, "unable to connect to 127.0.0.1:1") {
		t.Errorf("cli against nothing: %d %q", code, errOut)
	}
}

// TestCliConfirmsOnApache: a destructive one-shot command against Apache
// ZooKeeper asks on stderr and reads the answer from stdin.
func TestCliConfirmsOnApache(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a JVM")
	}
	addr := zktest.StartApache(t)
	run(t, "", "cli", "-server", addr, "create", "/keep", "x")
	_, errOut, code := run(t, "n\n", "cli", "-server", addr, "delete", "/keep")
	if code != 1 || !strings.Contains(errOut, "is not a coordtui ensemble") ||
		!strings.HasSuffix(errOut, "Not confirmed: delete /keep (--yes skips this question)\n") {
		t.Errorf("refused delete: %d %q", code, errOut)
	}
	if out, _, _ := run(t, "", "cli", "-server", addr, "get", "/keep"); out != "x\n" {
		t.Errorf("/keep after a refused delete: %q", out)
	}
	if _, errOut, code := run(t, "y\n", "cli", "-server", addr, "set", "/keep", "y"); code != 0 || !strings.Contains(errOut, "Really set /keep? [y/N] ") {
		t.Errorf("confirmed set: %d %q", code, errOut)
	}
	if _, errOut, code := run(t, "", "cli", "-server", addr, "--yes", "delete", "/keep"); code != 0 || errOut != "" {
		t.Errorf("--yes delete: %d %q", code, errOut)
	}
}
