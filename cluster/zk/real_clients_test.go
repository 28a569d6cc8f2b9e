package zk

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster/zk/zktest"
)

type quietLogger struct{}

func (quietLogger) Printf(string, ...any) {}

// runGoZK drives go-zookeeper/zk v1.0.4: no readOnly byte, normal xids for
// auth, getChildren2 for children, multi with create/set/check/delete.
func runGoZK(t *testing.T, addr, base string) {
	t.Helper()
	c, _, err := gozk.Connect([]string{addr}, 5*time.Second, gozk.WithLogger(quietLogger{}), gozk.WithLogInfo(false))
	mustOK(t, err, "go-zk connect")
	defer c.Close()
	acl := gozk.WorldACL(gozk.PermAll)
	steps := []struct {
		name string
		fn   func() error
	}{
		{"addAuth", func() error { return c.AddAuth("digest", []byte("gozk:pw")) }},
		{"create", func() error { _, err := c.Create(base, []byte("go"), 0, acl); return err }},
		{"create seq", func() error { _, err := c.Create(base+"/s-", nil, gozk.FlagSequence, acl); return err }},
		{"create ephemeral", func() error { _, err := c.Create(base+"/e", nil, gozk.FlagEphemeral, acl); return err }},
		{"container", func() error { _, err := c.CreateContainer(base+"/c", nil, gozk.FlagContainer, acl); return err }},
		{"ttl", func() error {
			_, err := c.CreateTTL(base+"/t", nil, gozk.FlagTTL, acl, time.Minute)
			return err
		}},
		{"get", func() error { _, _, err := c.Get(base); return err }},
		{"getW", func() error { _, _, _, err := c.GetW(base); return err }},
		{"set", func() error { _, err := c.Set(base, []byte("set"), -1); return err }},
		{"exists", func() error { _, _, err := c.Exists(base + "/none"); return err }},
		{"existsW", func() error { _, _, _, err := c.ExistsW(base + "/none"); return err }},
		{"childrenW", func() error { _, _, _, err := c.ChildrenW(base); return err }},
		{"getACL", func() error { _, _, err := c.GetACL(base); return err }},
		{"setACL", func() error {
			_, err := c.SetACL(base+"/e", gozk.DigestACL(gozk.PermAll, "gozk", "pw"), -1)
			return err
		}},
		{"sync", func() error { _, err := c.Sync(base); return err }},
		{"multi", func() error {
			_, err := c.Multi(&gozk.CreateRequest{Path: base + "/m", Data: []byte("m"), Acl: acl},
				&gozk.SetDataRequest{Path: base + "/m", Data: []byte("n"), Version: 0},
				&gozk.CheckVersionRequest{Path: base + "/m", Version: 1},
				&gozk.DeleteRequest{Path: base + "/m", Version: 1})
			return err
		}},
		{"failed multi", func() error {
			_, err := c.Multi(&gozk.DeleteRequest{Path: base + "/none", Version: -1})
			if errors.Is(err, gozk.ErrNoNode) {
				return nil
			}
			return err
		}},
		{"delete", func() error { return c.Delete(base+"/e", -1) }},
		{"missing get", func() error {
			if _, _, err := c.Get(base + "/none"); !errors.Is(err, gozk.ErrNoNode) {
				return err
			}
			return nil
		}},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			t.Fatalf("go-zk %s: %v", s.name, err)
		}
	}
}

// runZkCli drives the Java client through zkCli.sh, which uses the readOnly
// byte, xid -4 auth, create2, addWatch, whoAmI and the 3.6+ opcodes.
func runZkCli(t *testing.T, addr, base string) {
	t.Helper()
	if _, err := os.Stat(zkCli); err != nil {
		t.Logf("zkCli.sh not installed; its traffic is not checked: %v", err)
		return
	}
	script := strings.Join([]string{
		"create " + base + " cli",
		"create -s " + base + "/s- x",
		"create -e " + base + "/e x",
		"create -c " + base + "/c",
		"create -t 60000 " + base + "/t x",
		"set " + base + " again",
		"get -s -w " + base,
		"stat -w " + base + "/none",
		"ls -s -w " + base,
		"ls -R " + base,
		"getAcl " + base,
		"addauth digest cli:pw",
		"setAcl " + base + "/e auth::cdrwa",
		"sync " + base,
		"addWatch -m PERSISTENT " + base + "/c",
		"addWatch -m PERSISTENT_RECURSIVE " + base,
		"removewatches " + base + "/c -a",
		"whoami",
		"getEphemerals " + base,
		"getAllChildrenNumber " + base,
		"delete " + base + "/e",
		"deleteall " + base + "/c",
		"get /zookeeper/config",
		"quit",
	}, "\n") + "\n"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, zkCli, "-server", addr)
	cmd.Stdin = strings.NewReader(script)
	cmd.Env = append(os.Environ(), "ZOO_LOG_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("zkCli.sh: %v\n%s", err, out)
	}
	for _, bad := range []string{"Exception", "Node does not exist: " + base + "\n"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Fatalf("zkCli.sh reported %q:\n%s", bad, out)
		}
	}
}

// runOwnClient drives this package's Client, including a reconnect with
// SetWatches and another with SetWatches2.
func runOwnClient(t *testing.T, proxy *zktest.Proxy, base string, waitPing func()) {
	t.Helper()
	ctx := testCtx(t)
	states := newLog[StateEvent]()
	c, err := Connect(ctx, proxy.Addr, WithStateCallback(states.add), WithAuth("digest", []byte("own:pw")), WithSessionTimeout(time.Second))
	mustOK(t, err, "connect")
	defer c.Close()
	acl := WorldACL(PermAll)
	mustOK(t, errOnly(c.Create(ctx, base, []byte("own"), acl, ModePersistent)), "create")
	_, _, err = c.Create2(ctx, base+"/e", nil, acl, ModeEphemeral)
	mustOK(t, err, "create2")
	mustOK(t, errOnly(c.Multi(ctx, CreateContainerOp(base+"/c", nil, acl), CreateTTLOp(base+"/t", nil, acl, ModePersistentWithTTL, time.Minute), Create2Op(base+"/m", nil, acl, ModePersistent))), "multi")
	mustOK(t, errOnly(c.MultiRead(ctx, GetDataOp(base), GetChildrenOp(base), GetDataOp(base+"/none"))), "multiRead")
	mustOK(t, errOnly(c.Children(ctx, base)), "children")
	mustOK(t, errOnly(c.WhoAmI(ctx)), "whoAmI")
	mustOK(t, errOnly(c.GetEphemerals(ctx, base)), "getEphemerals")
	mustOK(t, errOnly(c.GetAllChildrenNumber(ctx, base)), "getAllChildrenNumber")
	_, _, _, err = c.GetW(ctx, base)
	mustOK(t, err, "getW")
	mustOK(t, c.CheckWatches(ctx, base, WatcherData), "checkWatches")
	reconnects := 0
	cut := func() {
		reconnects++
		proxy.Cut()
		states.waitFor(t, eventWait, "reconnect", func(evs []StateEvent) bool {
			n := 0
			for _, ev := range evs {
				if ev.State == StateConnected && ev.Previous == StateSuspended {
					n++
				}
			}
			return n >= reconnects
		})
	}
	cut() // setWatches (101)
	mustOK(t, c.AddWatch(ctx, base, AddWatchPersistentRecursive, func(WatchEvent) {}), "addWatch")
	cut() // setWatches2 (105)
	mustOK(t, c.RemoveWatches(ctx, base, WatcherAny), "removeWatches")
	mustOK(t, c.Delete(ctx, base+"/m", -1), "delete")
	waitPing()
	mustOK(t, c.Close(), "close")
}
