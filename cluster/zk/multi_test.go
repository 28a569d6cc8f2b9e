package zk

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestMultiAgainstApache(t *testing.T) {
	c := connect(t, apacheAddr(t))
	ctx := testCtx(t)
	root := testRoot(t, c)
	acl := WorldACL(PermAll)

	// Success: ops see the effects of earlier ops; result types follow
	// ZooKeeper 3.8 (create2 answers as a plain create, container and TTL
	// as create2 with a stat).
	res, err := c.Multi(ctx,
		CreateOp(root+"/x", []byte("1"), acl, ModePersistent),
		SetDataOp(root+"/x", []byte("2"), 0),
		CheckOp(root+"/x", 1),
		DeleteOp(root+"/x", 1),
		Create2Op(root+"/y", nil, acl, ModePersistent),
		CreateContainerOp(root+"/c", nil, acl),
		CreateTTLOp(root+"/t", nil, acl, ModePersistentWithTTL, time.Minute),
		CreateOp(root+"/s-", nil, acl, ModePersistentSequential), // suffix counts x, y, c, t
	)
	mustOK(t, err, "multi")
	var types []OpCode
	for _, r := range res {
		types = append(types, r.Type)
		if r.Err != OK {
			t.Errorf("result %+v has an error", r)
		}
	}
	want := []OpCode{OpCreate, OpSetData, OpCheck, OpDelete, OpCreate, OpCreate2, OpCreate2, OpCreate}
	if onCoordtui() {
		want[4] = OpCreate2 // create2 inside a multi answers with its stat from 3.9 on (ZOOKEEPER-4026)
	}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("result types %v, want %v", types, want)
	}
	if res[0].Path != root+"/x" || res[1].Stat == nil || res[1].Stat.Version != 1 || res[5].Stat == nil || res[7].Path != root+"/s-0000000004" {
		t.Fatalf("results %+v", res)
	}
	// All ops of a multi share one zxid.
	if res[1].Stat.Mzxid != res[5].Stat.Czxid {
		t.Fatalf("zxids differ within a multi: %#x %#x", res[1].Stat.Mzxid, res[5].Stat.Czxid)
	}

	// Failure: nothing applied; every result is an error result, OK before
	// the failing op, its code at it, runtime inconsistency after it.
	res, err = c.Multi(ctx,
		CreateOp(root+"/z", nil, acl, ModePersistent),
		SetDataOp(root+"/y", []byte("v"), 7),
		DeleteOp(root+"/y", -1),
	)
	if !errors.Is(err, ErrBadVersion) {
		t.Fatalf("failed multi: err %v", err)
	}
	wantFail := []MultiResult{{Type: OpError, Err: OK}, {Type: OpError, Err: ErrBadVersion}, {Type: OpError, Err: ErrRuntimeInconsistency}}
	if !reflect.DeepEqual(res, wantFail) {
		t.Fatalf("failed multi results %+v", res)
	}
	if st, err := c.Exists(ctx, root+"/z"); st != nil || err != nil {
		t.Fatalf("failed multi applied its create: %v %v", st, err)
	}

	// The empty multi is answered with just the done header.
	res, err = c.Multi(ctx)
	if err != nil || len(res) != 0 {
		t.Fatalf("empty multi: %v %v", res, err)
	}

	// Read ops are refused by Multi before anything is sent, write ops by MultiRead.
	if _, err := c.Multi(ctx, GetDataOp(root)); !errors.Is(err, ErrBadArguments) {
		t.Fatalf("read op in multi: %v", err)
	}
	if _, err := c.MultiRead(ctx, DeleteOp(root, -1)); !errors.Is(err, ErrBadArguments) {
		t.Fatalf("write op in multiRead: %v", err)
	}

	// multiRead (22): each read stands alone.
	mustOK(t, errOnly(c.Set(ctx, root+"/y", []byte("why"), -1)), "set y")
	res, err = c.MultiRead(ctx, GetDataOp(root+"/y"), GetChildrenOp(root+"/c"), GetDataOp(root+"/none"), GetChildrenOp(root))
	mustOK(t, err, "multiRead")
	if len(res) != 4 || res[0].Type != OpGetData || string(res[0].Data) != "why" || res[0].Stat == nil ||
		res[1].Type != OpGetChildren || len(res[1].Children) != 0 ||
		res[2].Type != OpError || res[2].Err != ErrNoNode ||
		res[3].Type != OpGetChildren || len(res[3].Children) != 4 {
		t.Fatalf("multiRead results %+v", res)
	}
	if res, err := c.MultiRead(ctx); err != nil || len(res) != 0 {
		t.Fatalf("empty multiRead: %v %v", res, err)
	}
}

// A chrooted client sees only its subtree: paths are prefixed on the way
// out and stripped from replies and events on the way in.
func TestChrootAgainstApache(t *testing.T) {
	addr := apacheAddr(t)
	admin := connect(t, addr)
	ctx := testCtx(t)
	base := testRoot(t, admin)
	c := connect(t, addr+base)
	acl := WorldACL(PermAll)

	evs := newLog[WatchEvent]()
	mustOK(t, c.AddWatch(ctx, "/", AddWatchPersistentRecursive, evs.add), "addWatch /")
	_, existCh, err := c.ExistsW(ctx, "/seq-0000000000")
	mustOK(t, err, "existsW")
	p, err := c.Create(ctx, "/seq-", []byte("d"), acl, ModeEphemeralSequential)
	mustOK(t, err, "create")
	if p != "/seq-0000000000" {
		t.Fatalf("chrooted create returned %q", p)
	}
	if ev := recvEvent(t, existCh, eventWait); ev.Path != "/seq-0000000000" {
		t.Fatalf("exists event path %q", ev.Path)
	}
	if st, err := admin.Exists(ctx, base+"/seq-0000000000"); err != nil || st == nil {
		t.Fatalf("node not under the chroot: %v %v", st, err)
	}
	p2, _, err := c.Create2(ctx, "/two", nil, acl, ModePersistent)
	mustOK(t, err, "create2")
	if p2 != "/two" {
		t.Fatalf("create2 returned %q", p2)
	}
	res, err := c.Multi(ctx, CreateOp("/m", nil, acl, ModePersistent), CreateContainerOp("/mc", nil, acl))
	mustOK(t, err, "multi")
	if res[0].Path != "/m" || res[1].Path != "/mc" {
		t.Fatalf("multi paths %q %q", res[0].Path, res[1].Path)
	}
	if sp, err := c.Sync(ctx, "/"); err != nil || sp != "/" {
		t.Fatalf("sync / = %q %v", sp, err)
	}
	eph, err := c.GetEphemerals(ctx, "/")
	mustOK(t, err, "getEphemerals")
	if !reflect.DeepEqual(eph, []string{"/seq-0000000000"}) {
		t.Fatalf("getEphemerals %v", eph)
	}
	kids, err := c.Children(ctx, "/")
	mustOK(t, err, "children /")
	if len(kids) != 4 {
		t.Fatalf("children of the chroot %v", kids)
	}
	got := evs.waitFor(t, eventWait, "recursive events", func(e []WatchEvent) bool { return len(e) >= 4 })
	for _, ev := range got {
		if ev.Path != "/seq-0000000000" && ev.Path != "/two" && ev.Path != "/m" && ev.Path != "/mc" {
			t.Fatalf("event path %q not stripped", ev.Path)
		}
	}
}
