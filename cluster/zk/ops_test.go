package zk

import (
	"bytes"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// Every data opcode against Apache ZooKeeper: results, Stats and error codes.
func TestOpsAgainstApache(t *testing.T) {
	c := connect(t, apacheAddr(t))
	ctx := testCtx(t)
	root := testRoot(t, c)
	acl := WorldACL(PermAll)

	// create (1): plain, sequential, with the server's suffix counter.
	p, err := c.Create(ctx, root+"/a", []byte("one"), acl, ModePersistent)
	mustOK(t, err, "create")
	if p != root+"/a" {
		t.Fatalf("create returned %q", p)
	}
	s1, err := c.Create(ctx, root+"/s-", nil, acl, ModePersistentSequential)
	mustOK(t, err, "create sequential")
	if s1 != root+"/s-0000000001" {
		t.Fatalf("sequential create returned %q (one child created before)", s1)
	}
	if _, err := c.Create(ctx, root+"/a", nil, acl, ModePersistent); !errors.Is(err, ErrNodeExists) {
		t.Fatalf("create existing: %v", err)
	}
	if _, err := c.Create(ctx, root+"/missing/x", nil, acl, ModePersistent); !errors.Is(err, ErrNoNode) {
		t.Fatalf("create under missing parent: %v", err)
	}
	if _, err := c.Create(ctx, root+"/a", nil, nil, ModePersistent); !errors.Is(err, ErrInvalidACL) {
		t.Fatalf("create with empty ACL: %v", err)
	}
	if _, err := c.Create(ctx, root+"/bad/", nil, acl, ModePersistent); !errors.Is(err, ErrBadArguments) {
		t.Fatalf("create with trailing slash: %v", err)
	}

	// create2 (15) returns the new node's stat.
	p2, st, err := c.Create2(ctx, root+"/b", []byte("two"), acl, ModePersistent)
	mustOK(t, err, "create2")
	if p2 != root+"/b" || st.Czxid == 0 || st.Czxid != st.Mzxid || st.Czxid != st.Pzxid || st.DataLength != 3 || st.Ctime != st.Mtime {
		t.Fatalf("create2 %q %v", p2, st)
	}

	// createContainer (19) and createTTL (21) need no special server setup
	// beyond extendedTypesEnabled; containers and TTL nodes report owner 0.
	pc, stc, err := c.CreateContainer(ctx, root+"/c", nil, acl)
	mustOK(t, err, "createContainer")
	if pc != root+"/c" || stc.EphemeralOwner != 0 {
		t.Fatalf("container %q %v", pc, stc)
	}
	pt, stt, err := c.CreateTTL(ctx, root+"/t-", []byte("ttl"), acl, ModePersistentSequentialWithTTL, time.Hour)
	mustOK(t, err, "createTTL")
	if !strings.HasPrefix(pt, root+"/t-") || stt.EphemeralOwner != 0 {
		t.Fatalf("ttl %q %v", pt, stt)
	}
	if _, _, err := c.CreateTTL(ctx, root+"/t0", nil, acl, ModePersistent, time.Hour); !errors.Is(err, ErrBadArguments) {
		t.Fatalf("createTTL with a non-TTL mode: %v", err)
	}
	if _, err := c.Create(ctx, root+"/t1", nil, acl, ModePersistentWithTTL); !errors.Is(err, ErrBadArguments) {
		t.Fatalf("create with a TTL mode: %v", err)
	}

	// exists (3).
	est, err := c.Exists(ctx, root+"/a")
	mustOK(t, err, "exists")
	if est == nil || est.DataLength != 3 {
		t.Fatalf("exists stat %v", est)
	}
	if est, err := c.Exists(ctx, root+"/nope"); est != nil || err != nil {
		t.Fatalf("exists on a missing node = %v, %v; want nil, nil", est, err)
	}

	// getData (4) and setData (5), with versions.
	data, gst, err := c.Get(ctx, root+"/a")
	mustOK(t, err, "get")
	if string(data) != "one" || gst.Version != 0 {
		t.Fatalf("get %q %v", data, gst)
	}
	sst, err := c.Set(ctx, root+"/a", []byte("uno"), 0)
	mustOK(t, err, "set")
	if sst.Version != 1 || sst.Mzxid <= gst.Mzxid {
		t.Fatalf("set stat %v", sst)
	}
	if _, err := c.Set(ctx, root+"/a", []byte("x"), 0); !errors.Is(err, ErrBadVersion) {
		t.Fatalf("set with a stale version: %v", err)
	}
	if _, _, err := c.Get(ctx, root+"/nope"); !errors.Is(err, ErrNoNode) {
		t.Fatalf("get missing: %v", err)
	}
	// Null data comes back as nil, empty data as empty.
	if data, _, err := c.Get(ctx, s1); err != nil || data != nil {
		t.Fatalf("null data read as %#v, %v", data, err)
	}
	mustOK(t, errOnly(c.Set(ctx, s1, []byte{}, -1)), "set empty")
	if data, _, err := c.Get(ctx, s1); err != nil || data == nil || len(data) != 0 {
		t.Fatalf("empty data read as %#v, %v", data, err)
	}

	// getACL (6) / setACL (7): the version is the aversion.
	gotACL, ast, err := c.GetACL(ctx, root+"/a")
	mustOK(t, err, "getACL")
	if !reflect.DeepEqual(gotACL, acl) || ast.Aversion != 0 {
		t.Fatalf("getACL %v %v", gotACL, ast)
	}
	if _, err := c.SetACL(ctx, root+"/a", acl, 5); !errors.Is(err, ErrBadVersion) {
		t.Fatalf("setACL with a wrong aversion: %v", err)
	}
	readOnly := WorldACL(PermRead)
	sast, err := c.SetACL(ctx, root+"/a", readOnly, 0)
	mustOK(t, err, "setACL")
	if sast.Aversion != 1 {
		t.Fatalf("setACL stat %v", sast)
	}
	// ADMIN is checked before the aversion.
	if _, err := c.SetACL(ctx, root+"/a", acl, 1); !errors.Is(err, ErrNoAuth) {
		t.Fatalf("setACL without ADMIN: %v", err)
	}
	if _, err := c.Set(ctx, root+"/a", []byte("no"), -1); !errors.Is(err, ErrNoAuth) {
		t.Fatalf("set on a read-only node: %v", err)
	}

	// getChildren (8) and getChildren2 (12).
	kids, err := c.Children(ctx, root)
	mustOK(t, err, "children")
	sort.Strings(kids)
	wantKids := []string{"a", "b", "c", strings.TrimPrefix(pt, root+"/"), "s-0000000001"}
	sort.Strings(wantKids)
	if !reflect.DeepEqual(kids, wantKids) {
		t.Fatalf("children %v, want %v", kids, wantKids)
	}
	kids2, cst, err := c.Children2(ctx, root)
	mustOK(t, err, "children2")
	if len(kids2) != 5 || cst.NumChildren != 5 {
		t.Fatalf("children2 %v %v", kids2, cst)
	}
	if _, err := c.Children(ctx, root+"/nope"); !errors.Is(err, ErrNoNode) {
		t.Fatalf("children of a missing node: %v", err)
	}

	// sync (9) echoes the path.
	sp, err := c.Sync(ctx, root)
	mustOK(t, err, "sync")
	if sp != root {
		t.Fatalf("sync returned %q", sp)
	}

	// delete (2): version checked before emptiness; children block it.
	if err := c.Delete(ctx, root+"/b", 5); !errors.Is(err, ErrBadVersion) {
		t.Fatalf("delete with wrong version: %v", err)
	}
	mustOK(t, c.Delete(ctx, root+"/b", 0), "delete")
	if err := c.Delete(ctx, root+"/b", -1); !errors.Is(err, ErrNoNode) {
		t.Fatalf("delete missing: %v", err)
	}
	if err := c.Delete(ctx, root, -1); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("delete non-empty: %v", err)
	}

	// getAllChildrenNumber (104).
	_, err = c.Create(ctx, root+"/c/x", nil, acl, ModePersistent)
	mustOK(t, err, "create in container")
	n, err := c.GetAllChildrenNumber(ctx, root)
	mustOK(t, err, "getAllChildrenNumber")
	if n != 5 {
		t.Fatalf("getAllChildrenNumber = %d, want 5", n)
	}

	// Ephemerals: no children allowed; getEphemerals (103) lists them by prefix.
	e1, err := c.Create(ctx, root+"/e1", nil, acl, ModeEphemeral)
	mustOK(t, err, "create ephemeral")
	e2, err := c.Create(ctx, root+"/e-", nil, acl, ModeEphemeralSequential)
	mustOK(t, err, "create ephemeral sequential")
	if _, err := c.Create(ctx, e1+"/child", nil, acl, ModePersistent); !errors.Is(err, ErrNoChildrenForEphemerals) {
		t.Fatalf("child of an ephemeral: %v", err)
	}
	est, err = c.Exists(ctx, e1)
	mustOK(t, err, "exists ephemeral")
	if est.EphemeralOwner != c.SessionID() {
		t.Fatalf("ephemeral owner %#x, session %#x", est.EphemeralOwner, c.SessionID())
	}
	eph, err := c.GetEphemerals(ctx, root+"/e")
	mustOK(t, err, "getEphemerals")
	sort.Strings(eph)
	if want := []string{e2, e1}; !reflect.DeepEqual(eph, want) {
		t.Fatalf("getEphemerals %v, want %v", eph, want)
	}

	// whoAmI (107): every connection is at least ip:127.0.0.1.
	who, err := c.WhoAmI(ctx)
	mustOK(t, err, "whoAmI")
	if !reflect.DeepEqual(who, []ClientInfo{{AuthScheme: "ip", User: "127.0.0.1"}}) {
		t.Fatalf("whoAmI %v", who)
	}

	// reconfig (16): refused without reconfigEnabled.
	if _, _, err := c.Reconfig(ctx, "", "", "server.1=127.0.0.1:2888:3888;2181", -1); !errors.Is(err, ErrReconfigDisabled) {
		t.Fatalf("reconfig on a standalone server: %v", err)
	}
	// The connection survives whatever the server did with reconfig.
	if _, err := c.Exists(ctx, root); err != nil {
		t.Fatalf("after reconfig: %v", err)
	}
}

func errOnly[T any](_ T, err error) error { return err }

// Requests over the packet limit fail without being sent; just under it
// they work.
func TestPacketLimit(t *testing.T) {
	c := connect(t, apacheAddr(t))
	ctx := testCtx(t)
	root := testRoot(t, c)
	big := bytes.Repeat([]byte("z"), DefaultMaxPacket-1024)
	_, err := c.Create(ctx, root+"/big", big, WorldACL(PermAll), ModePersistent)
	mustOK(t, err, "create 1 MiB - 1 KiB")
	data, _, err := c.Get(ctx, root+"/big")
	mustOK(t, err, "get 1 MiB - 1 KiB")
	if !bytes.Equal(data, big) {
		t.Fatal("big data changed")
	}
	huge := make([]byte, DefaultMaxPacket+1)
	if _, err := c.Set(ctx, root+"/big", huge, -1); !errors.Is(err, ErrBadArguments) {
		t.Fatalf("set over the limit: %v", err)
	}
	if c.State() != StateConnected {
		t.Fatalf("state %v after refusing an oversize request", c.State())
	}

	// A client with a small limit drops a connection whose reply is larger,
	// and comes back with the same session.
	small := connect(t, apacheAddr(t), WithMaxPacket(4096))
	sid := small.SessionID()
	if _, _, err := small.Get(ctx, root+"/big"); !errors.Is(err, ErrConnectionLoss) {
		t.Fatalf("oversize reply: %v", err)
	}
	if _, err := small.Exists(ctx, root+"/big"); err != nil {
		t.Fatalf("after reconnect: %v", err)
	}
	if small.SessionID() != sid {
		t.Fatal("session changed")
	}
}
