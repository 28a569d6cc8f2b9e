package ui

import (
	"context"
	"testing"
	"time"

	"coordtui/cluster/zk"
	"coordtui/cluster/zk/zktest"
	"coordtui/ui/source"
)

// Attached to Apache ZooKeeper: the tree and the status come through the
// protocol and four-letter words; the console is read-only unless told
// otherwise, and keys that need an embedded ensemble say so.
func TestAttachedConsoleIsReadOnly(t *testing.T) {
	addr := zktest.StartApache(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := zk.Connect(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Create(ctx, "/seen", []byte("from outside"), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	src, err := source.StartAttach(ctx, source.AttachConfig{ConnString: addr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	p, tm := console(t, src, 120, 40)
	p.waitFor(t, wait, "coordtui attached (read-only)", "standalone", "seen")
	p.waitReady(t)
	command(tm, "create /nope x")
	p.waitFor(t, wait, "create: read-only; attach with --write")
	command(tm, "get /seen")
	p.waitFor(t, wait, "from outside")
	press(tm, "esc", "K")
	p.waitFor(t, wait, "attached: the console cannot change a remote ensemble")
	press(tm, "w")
	p.waitFor(t, wait, "read-only: attach with --write to start workers")
	// A change made elsewhere shows up through the recursive watch.
	if _, err := c.Create(ctx, "/seen/child", nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, wait, "create        /seen/child")
}

// With --write, a destructive command against Apache ZooKeeper asks
// first; the answer comes from the keyboard.
func TestAttachedWriteAsksBeforeDeleting(t *testing.T) {
	addr := zktest.StartApache(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src, err := source.StartAttach(ctx, source.AttachConfig{ConnString: addr, Write: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	p, tm := console(t, src, 120, 40)
	p.waitReady(t)
	command(tm, "create /doomed x")
	p.waitFor(t, wait, "Created /doomed")
	command(tm, "deleteall /doomed")
	p.waitFor(t, wait, "confirm", "y: yes, run it")
	press(tm, "y")
	p.waitFor(t, wait, "delete        /doomed")
	press(tm, "esc", "w")
	p.waitFor(t, wait, "w1     connected")
}
