package tree

import (
	"math"
	"strings"
	"testing"
)

func TestDeleteErrors(t *testing.T) {
	h := newHarness(t)
	h.ok(mkCreate("/d", "", Persistent))
	h.ok(mkCreate("/d/kid", "", Persistent))
	h.ok(mkCreate("/leaf", "", Persistent))
	h.ok(mkCreate("/ro", "", Persistent))
	h.ok(mkCreate("/ro/x", "", Persistent))
	h.ok(Op{Type: OpSetACL, Path: "/ro", ACL: []ACL{{PermAll &^ PermDelete, ID{"world", "anyone"}}}, Version: -1})
	for _, tc := range []struct {
		name string
		sess int64
		op   Op
		want Code
	}{
		{"unknown session", 5, mkDelete("/leaf", -1), ErrSessionExpired},
		{"no slash", 0, mkDelete("leaf", -1), ErrBadArguments},
		{"NUL", 0, mkDelete("/leaf\x00", -1), ErrBadArguments},
		{"root", 0, mkDelete("/", -1), ErrBadArguments},
		{"/zookeeper", 0, mkDelete("/zookeeper", -1), ErrBadArguments},
		{"/zookeeper/quota", 0, mkDelete("/zookeeper/quota", -1), ErrBadArguments},
		{"/zookeeper/config", 0, mkDelete("/zookeeper/config", -1), ErrBadArguments},
		{"special paths beat version", 0, mkDelete("/zookeeper/config", 42), ErrBadArguments},
		{"missing parent", 0, mkDelete("/zz/x", -1), ErrNoNode},
		{"trailing slash", 0, mkDelete("/leaf/", -1), ErrNoNode},
		{"double slash", 0, mkDelete("//leaf", -1), ErrNoNode},
		{"missing node", 0, mkDelete("/nope", -1), ErrNoNode},
		{"no DELETE on parent", 0, mkDelete("/ro/x", -1), ErrNoAuth},
		{"NOAUTH beats missing node", 0, mkDelete("/ro/nope", -1), ErrNoAuth},
		{"version before NOTEMPTY", 0, mkDelete("/d", 3), ErrBadVersion},
		{"not empty", 0, mkDelete("/d", -1), ErrNotEmpty},
		{"not empty, right version", 0, mkDelete("/d", 0), ErrNotEmpty},
		{"wrong version", 0, mkDelete("/leaf", 1), ErrBadVersion},
		{"right version", 0, mkDelete("/leaf", 0), OK},
		{"gone", 0, mkDelete("/leaf", -1), ErrNoNode},
	} {
		if got := h.do(tc.sess, nil, tc.op).Err; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDeleteStat(t *testing.T) {
	h := newHarness(t)
	h.ok(mkCreate("/p", "", Persistent))
	created := h.zxid
	h.ok(mkCreate("/p/c", "", Persistent))
	r := h.ok(mkDelete("/p/c", -1))
	st := h.stat("/p")
	if st.Pzxid != h.zxid || st.Cversion != 2 || st.NumChildren != 0 || st.Mzxid != created || st.Version != 0 {
		t.Fatalf("parent after child create+delete: %v", st)
	}
	if got := describeChanges(r.Changes); got != "NodeDeleted /p/c, NodeChildrenChanged /p" {
		t.Fatalf("changes: %s", got)
	}
}

func TestSetData(t *testing.T) {
	h := newHarness(t)
	h.session(3)
	h.ok(mkCreate("/s", "v0", Persistent))
	h.ok(mkCreate("/ro", "", Persistent))
	h.ok(Op{Type: OpSetACL, Path: "/ro", ACL: ReadACL, Version: -1})
	for _, tc := range []struct {
		name string
		sess int64
		op   Op
		want Code
	}{
		{"unknown session", 4, mkSet("/s", "x", -1), ErrSessionExpired},
		{"too big", 0, mkSet("/s", strings.Repeat("x", DefaultMaxData+1), -1), ErrBadArguments},
		{"bad path", 0, mkSet("/s/", "x", -1), ErrBadArguments},
		{"relative", 0, mkSet("s", "x", -1), ErrBadArguments},
		{"bad path beats missing", 0, mkSet("/zz/.", "x", -1), ErrBadArguments},
		{"missing", 0, mkSet("/zz", "x", -1), ErrNoNode},
		{"no WRITE", 0, mkSet("/ro", "x", -1), ErrNoAuth},
		{"NOAUTH beats version", 0, mkSet("/ro", "x", 7), ErrNoAuth},
		{"bad version", 0, mkSet("/s", "x", 1), ErrBadVersion},
		{"right version", 3, mkSet("/s", "v1", 0), OK},
		{"any version", 0, mkSet("/s", "v2", -1), OK},
	} {
		if got := h.do(tc.sess, nil, tc.op).Err; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	r := h.ok(mkSet("/s", "v3", 2))
	want := h.stat("/s")
	if r.Stat != want || want.Version != 3 || want.Mzxid != h.zxid || want.Mtime != h.now || want.DataLength != 2 || want.Czxid == want.Mzxid {
		t.Fatalf("setData stat %v, node %v", r.Stat, want)
	}
	if describeChanges(r.Changes) != "NodeDataChanged /s" {
		t.Fatalf("changes %v", r.Changes)
	}
	data, _, _ := h.tr.Get("/s", nil)
	if string(data) != "v3" {
		t.Fatalf("data %q", data)
	}
	// Apply copies what it keeps: changing the request afterwards changes nothing.
	buf := []byte("mine")
	h.ok(Op{Type: OpSetData, Path: "/s", Data: buf, Version: -1})
	copy(buf, "XXXX")
	if data, _, _ := h.tr.Get("/s", nil); string(data) != "mine" {
		t.Fatalf("the tree aliases the request's data: %q", data)
	}
}

// TestVersionWrap: a version past MaxInt32 wraps negative and skips -1, so
// that a client can always name the version it expects. This is
// ZOOKEEPER-4743 (ZooKeeper master); 3.8 and 3.9 would hand out -1.
func TestVersionWrap(t *testing.T) {
	h := newHarness(t)
	h.ok(mkCreate("/v", "", Persistent))
	n := h.tr.lookup("/v")
	ph := pathHash("/v")
	h.tr.beginEdit(n, ph, false)
	n.version, n.aversion = math.MaxInt32, -2
	h.tr.endEdit(n, ph, false)
	if r := h.ok(mkSet("/v", "", math.MaxInt32)); r.Stat.Version != math.MinInt32 {
		t.Fatalf("after MaxInt32: %d", r.Stat.Version)
	}
	if r := h.ok(Op{Type: OpSetACL, Path: "/v", ACL: OpenACL, Version: -2}); r.Stat.Aversion != 0 {
		t.Fatalf("aversion after -2: %d", r.Stat.Aversion)
	}
	for _, tc := range []struct{ current, expected, next int32 }{
		{0, -1, 1}, {5, 5, 6}, {-2, -1, 0}, {-2, -2, 0}, {math.MaxInt32, -1, math.MinInt32}, {math.MinInt32, math.MinInt32, math.MinInt32 + 1},
	} {
		if got, c := nextVersion(tc.current, tc.expected); c != OK || got != tc.next {
			t.Errorf("nextVersion(%d, %d) = %d %v, want %d", tc.current, tc.expected, got, c, tc.next)
		}
	}
}

func TestSetACL(t *testing.T) {
	h := newHarness(t)
	alice := ID{"digest", DigestID("alice", "pw")}
	h.ok(mkCreate("/a", "", Persistent))
	h.ok(mkCreate("/noadmin", "", Persistent))
	h.ok(Op{Type: OpSetACL, Path: "/noadmin", ACL: []ACL{{PermAll &^ PermAdmin, ID{"world", "anyone"}}}, Version: -1})
	for _, tc := range []struct {
		name string
		op   Op
		want Code
	}{
		{"bad path", Op{Type: OpSetACL, Path: "/a/", ACL: OpenACL, Version: -1}, ErrBadArguments},
		{"bad path beats bad ACL", Op{Type: OpSetACL, Path: "/a/", Version: -1}, ErrBadArguments},
		{"bad ACL", Op{Type: OpSetACL, Path: "/a", ACL: []ACL{}, Version: -1}, ErrInvalidACL},
		{"bad ACL beats missing", Op{Type: OpSetACL, Path: "/zz", ACL: []ACL{{1, ID{"digest", "x"}}}, Version: -1}, ErrInvalidACL},
		{"missing", Op{Type: OpSetACL, Path: "/zz", ACL: OpenACL, Version: -1}, ErrNoNode},
		{"no ADMIN", Op{Type: OpSetACL, Path: "/noadmin", ACL: OpenACL, Version: -1}, ErrNoAuth},
		{"aversion", Op{Type: OpSetACL, Path: "/a", ACL: OpenACL, Version: 1}, ErrBadVersion},
		{"ok", Op{Type: OpSetACL, Path: "/a", ACL: []ACL{{PermAll, alice}}, Version: 0}, OK},
	} {
		if got := h.run(tc.op).Err; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	st := h.stat("/a")
	if st.Aversion != 1 || st.Version != 0 || st.Mzxid == h.zxid {
		t.Fatalf("after setACL: %v", st)
	}
	r := h.do(0, []ID{alice}, Op{Type: OpSetACL, Path: "/a", ACL: CreatorAllACL, Version: 1})
	if r.Err != OK || len(r.Changes) != 0 {
		t.Fatalf("setACL with auth expansion: %v, changes %v", r.Err, r.Changes)
	}
	if acl, _, _ := h.tr.GetACL("/a", []ID{alice}); len(acl) != 1 || acl[0] != (ACL{PermAll, alice}) {
		t.Fatalf("expanded ACL %v", acl)
	}
}

func TestDeleteContainer(t *testing.T) {
	h := newHarness(t)
	h.session(9)
	h.ok(Op{Type: OpCreateContainer, Path: "/c", ACL: OpenACL})
	h.ok(mkCreate("/c/kid", "", Persistent))
	h.ok(Op{Type: OpCreateTTL, Path: "/t", ACL: ReadACL, Flags: PersistentWithTTL, TTL: 100})
	h.ok(mkCreate("/plain", "", Persistent))
	h.do(9, nil, mkCreate("/eph", "", Ephemeral))
	del := func(p string) Op { return Op{Type: OpDeleteContainer, Path: p} }
	for _, tc := range []struct {
		name string
		op   Op
		want Code
	}{
		{"special", del("/zookeeper"), ErrBadArguments},
		{"missing", del("/zz"), ErrNoNode},
		{"not empty", del("/c"), ErrNotEmpty},
		{"plain node", del("/plain"), ErrBadVersion},
		{"ephemeral", del("/eph"), ErrBadVersion},
		{"TTL node, no ACL check", del("/t"), OK},
	} {
		if got := h.run(tc.op).Err; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	h.ok(mkDelete("/c/kid", -1))
	r := h.ok(del("/c"))
	if describeChanges(r.Changes) != "NodeDeleted /c, NodeChildrenChanged /" {
		t.Fatalf("changes %v", r.Changes)
	}
}

func TestReconfig(t *testing.T) {
	h := newHarness(t)
	h.session(2)
	cfg := []byte("server.1=127.0.0.1:7001:7001:participant;127.0.0.1:2181\nversion=100000002")
	if r := h.do(2, nil, Op{Type: OpReconfig, Data: cfg}); r.Err != ErrReconfigDisabled {
		t.Fatalf("client reconfig: %v", r.Err)
	}
	r := h.ok(Op{Type: OpReconfig, Data: cfg})
	data, st, _ := h.tr.Get("/zookeeper/config", nil)
	if string(data) != string(cfg) || r.Stat != st || st.Version != -1 || st.Aversion != -1 || st.Mzxid != h.zxid || r.Path != "/zookeeper/config" {
		t.Fatalf("config %q %v (result %v)", data, st, r.Stat)
	}
	if describeChanges(r.Changes) != "NodeDataChanged /zookeeper/config" {
		t.Fatalf("changes %v", r.Changes)
	}
}

func TestMaxData(t *testing.T) {
	h := newHarness(t)
	h.tr.SetMaxData(4)
	if h.tr.MaxData() != 4 {
		t.Fatal(h.tr.MaxData())
	}
	for _, tc := range []struct {
		op   Op
		want Code
	}{
		{mkCreate("/a", "12345", Persistent), ErrBadArguments},
		{mkCreate("/a", "1234", Persistent), OK},
		{mkSet("/a", "12345", -1), ErrBadArguments},
		{Op{Type: OpMulti, Ops: []Op{mkSet("/a", "12345", -1)}}, ErrBadArguments},
		{Op{Type: OpReconfig, Data: []byte("12345")}, ErrBadArguments},
		{Op{Type: OpReconfig, Data: []byte("1234")}, OK},
	} {
		if got := h.run(tc.op).Err; got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.op.Type, tc.op.Data, got, tc.want)
		}
	}
}

func TestApplyZxids(t *testing.T) {
	h := newHarness(t)
	before := h.tr.LastZxid()
	for _, op := range []Op{
		mkCreate("/x", "", Persistent),
		mkCreate("/x", "", Persistent), // fails, still consumes
		{Type: OpError},
		{Type: OpGetData, Path: "/x"}, // not a write
		{Type: OpCheck, Path: "/x", Version: -1},
		{Type: OpType(200)},
	} {
		r := h.run(op)
		if h.tr.LastZxid() != h.zxid || h.zxid <= before {
			t.Fatalf("%s did not consume zxid %v (last %v)", op.Type, h.zxid, h.tr.LastZxid())
		}
		before = h.zxid
		if op.Type == OpGetData || op.Type == OpCheck || op.Type == 200 {
			if r.Err != ErrUnimplemented {
				t.Errorf("%s: %v", op.Type, r.Err)
			}
		}
	}
	d := h.tr.Digest()
	r := h.tr.Apply(&Txn{Zxid: h.zxid, Op: mkCreate("/y", "", Persistent)})
	if r.Err != ErrRuntimeInconsistency || h.tr.LastZxid() != h.zxid || h.tr.Digest() != d {
		t.Fatalf("replayed zxid: %v", r.Err)
	}
}
