package zk

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

const eventWait = 10 * time.Second

// pending reports whether a one-shot watch channel already holds its event.
func pending(ch <-chan WatchEvent) (WatchEvent, bool) {
	select {
	case ev, ok := <-ch:
		return ev, ok
	default:
		return WatchEvent{}, false
	}
}

// One-shot watches fire once, with the event the change calls for, and the
// event is in the channel before the reply to the change that caused it
// (§3.13: ZooKeeper sends the notification first, the reader delivers it
// before completing the reply).
func TestOneShotWatches(t *testing.T) {
	c := connect(t, apacheAddr(t))
	ctx := testCtx(t)
	root := testRoot(t, c)
	acl := WorldACL(PermAll)
	mustOK(t, errOnly(c.Create(ctx, root+"/n", []byte("0"), acl, ModePersistent)), "create")

	check := func(name string, ch <-chan WatchEvent, want WatchEvent) {
		t.Helper()
		ev, ok := pending(ch)
		if !ok {
			t.Fatalf("%s: no event when the change returned", name)
		}
		if ev != want {
			t.Fatalf("%s: event %v, want %v", name, ev, want)
		}
		if _, open := <-ch; open {
			t.Fatalf("%s: channel not closed after its event", name)
		}
	}

	_, _, getCh, err := c.GetW(ctx, root+"/n")
	mustOK(t, err, "getW")
	_, existCh, err := c.ExistsW(ctx, root+"/n")
	mustOK(t, err, "existsW")
	mustOK(t, errOnly(c.Set(ctx, root+"/n", []byte("1"), -1)), "set")
	changed := WatchEvent{Type: EventNodeDataChanged, State: KeeperSyncConnected, Path: root + "/n"}
	check("getW/set", getCh, changed)
	check("existsW/set", existCh, changed)

	st, missCh, err := c.ExistsW(ctx, root+"/later")
	mustOK(t, err, "existsW missing")
	if st != nil || missCh == nil {
		t.Fatalf("existsW on a missing node: %v %v", st, missCh)
	}
	mustOK(t, errOnly(c.Create(ctx, root+"/later", nil, acl, ModePersistent)), "create later")
	check("existsW/create", missCh, WatchEvent{Type: EventNodeCreated, State: KeeperSyncConnected, Path: root + "/later"})

	_, _, childCh, err := c.ChildrenW(ctx, root)
	mustOK(t, err, "childrenW")
	mustOK(t, errOnly(c.Create(ctx, root+"/kid", nil, acl, ModePersistent)), "create kid")
	check("childrenW/create", childCh, WatchEvent{Type: EventNodeChildrenChanged, State: KeeperSyncConnected, Path: root})

	_, _, delData, err := c.GetW(ctx, root+"/kid")
	mustOK(t, err, "getW kid")
	_, _, delChild, err := c.ChildrenW(ctx, root+"/kid")
	mustOK(t, err, "childrenW kid")
	mustOK(t, c.Delete(ctx, root+"/kid", -1), "delete kid")
	deleted := WatchEvent{Type: EventNodeDeleted, State: KeeperSyncConnected, Path: root + "/kid"}
	check("getW/delete", delData, deleted)
	check("childrenW/delete", delChild, deleted)

	// Watches that could not be set give no channel.
	if _, _, ch, err := c.GetW(ctx, root+"/none"); !errors.Is(err, ErrNoNode) || ch != nil {
		t.Fatalf("getW on a missing node: %v %v", ch, err)
	}
	if _, _, ch, err := c.ChildrenW(ctx, root+"/none"); !errors.Is(err, ErrNoNode) || ch != nil {
		t.Fatalf("childrenW on a missing node: %v %v", ch, err)
	}

	// A change made by another session reaches the watch too.
	other := connect(t, apacheAddr(t))
	_, _, ch, err := c.GetW(ctx, root+"/n")
	mustOK(t, err, "getW")
	mustOK(t, errOnly(other.Set(ctx, root+"/n", []byte("2"), -1)), "other set")
	if ev := recvEvent(t, ch, eventWait); ev != changed {
		t.Fatalf("event from another session: %v", ev)
	}
}

// Persistent and recursive watches deliver every event in order (§4.2's
// verified sequences) and survive firing.
func TestPersistentWatches(t *testing.T) {
	c := connect(t, apacheAddr(t))
	ctx := testCtx(t)
	root := testRoot(t, c)
	acl := WorldACL(PermAll)
	pw, rw := root+"/pw", root+"/r"
	pLog, rLog := newLog[WatchEvent](), newLog[WatchEvent]()
	mustOK(t, c.AddWatch(ctx, pw, AddWatchPersistent, pLog.add), "addWatch persistent")
	mustOK(t, c.AddWatch(ctx, rw, AddWatchPersistentRecursive, rLog.add), "addWatch recursive")

	steps := []func() error{
		func() error { return errOnly(c.Create(ctx, pw, nil, acl, ModePersistent)) },
		func() error { return errOnly(c.Create(ctx, pw+"/k", nil, acl, ModePersistent)) },
		func() error { return errOnly(c.Set(ctx, pw+"/k", []byte("x"), -1)) },
		func() error { return errOnly(c.Set(ctx, pw, []byte("x"), -1)) },
		func() error { return c.Delete(ctx, pw+"/k", -1) },
		func() error { return c.Delete(ctx, pw, -1) },
		func() error { return errOnly(c.Create(ctx, pw, nil, acl, ModePersistent)) },
		func() error { return errOnly(c.Create(ctx, rw, nil, acl, ModePersistent)) },
		func() error { return errOnly(c.Create(ctx, rw+"/a", nil, acl, ModePersistent)) },
		func() error { return errOnly(c.Set(ctx, rw+"/a", []byte("y"), -1)) },
		func() error { return c.Delete(ctx, rw+"/a", -1) },
	}
	for i, step := range steps {
		mustOK(t, step(), fmt.Sprint("step ", i))
	}
	ev := func(et EventType, p string) WatchEvent {
		return WatchEvent{Type: et, State: KeeperSyncConnected, Path: p}
	}
	wantP := []WatchEvent{
		ev(EventNodeCreated, pw), ev(EventNodeChildrenChanged, pw), ev(EventNodeDataChanged, pw),
		ev(EventNodeChildrenChanged, pw), ev(EventNodeDeleted, pw), ev(EventNodeCreated, pw),
	}
	wantR := []WatchEvent{
		ev(EventNodeCreated, rw), ev(EventNodeCreated, rw+"/a"), ev(EventNodeDataChanged, rw+"/a"), ev(EventNodeDeleted, rw+"/a"),
	}
	got := pLog.waitFor(t, eventWait, "persistent events", func(evs []WatchEvent) bool { return len(evs) >= len(wantP) })
	if !reflect.DeepEqual(got, wantP) {
		t.Errorf("persistent watch events\n got %v\nwant %v", got, wantP)
	}
	got = rLog.waitFor(t, eventWait, "recursive events", func(evs []WatchEvent) bool { return len(evs) >= len(wantR) })
	if !reflect.DeepEqual(got, wantR) {
		t.Errorf("recursive watch events\n got %v\nwant %v", got, wantR)
	}

	// checkWatches (17) / removeWatches (18): ZooKeeper 3.8 removes persistent
	// watches with type Any; the callback hears PersistentWatchRemoved last.
	mustOK(t, c.CheckWatches(ctx, rw, WatcherAny), "checkWatches")
	mustOK(t, c.RemoveWatches(ctx, rw, WatcherAny), "removeWatches")
	if err := c.CheckWatches(ctx, rw, WatcherAny); !errors.Is(err, ErrNoWatcher) {
		t.Fatalf("checkWatches after removal: %v", err)
	}
	if err := c.RemoveWatches(ctx, rw, WatcherAny); !errors.Is(err, ErrNoWatcher) {
		t.Fatalf("second removeWatches: %v", err)
	}
	got = rLog.waitFor(t, eventWait, "removal event", func(evs []WatchEvent) bool { return len(evs) > len(wantR) })
	if last := got[len(got)-1]; last != ev(EventPersistentWatchRemoved, rw) {
		t.Fatalf("last recursive event %v", last)
	}
	mustOK(t, errOnly(c.Create(ctx, rw+"/b", nil, acl, ModePersistent)), "create after removal")
	mustOK(t, errOnly(c.Sync(ctx, rw)), "sync")
	if n := len(rLog.snapshot()); n != len(wantR)+1 {
		t.Fatalf("removed watch still delivers: %v", rLog.snapshot())
	}

	// A one-shot watch removed by type: its channel receives the removal.
	_, _, ch, err := c.GetW(ctx, rw+"/b")
	mustOK(t, err, "getW")
	mustOK(t, c.RemoveWatches(ctx, rw+"/b", WatcherData), "removeWatches data")
	if got := recvEvent(t, ch, eventWait); got != ev(EventDataWatchRemoved, rw+"/b") {
		t.Fatalf("one-shot removal event %v", got)
	}
	if err := c.CheckWatches(ctx, rw+"/none", WatcherData); !errors.Is(err, ErrNoWatcher) {
		t.Fatalf("checkWatches with no watch: %v", err)
	}
}
