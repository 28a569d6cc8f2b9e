package tree

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestSessions(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name string
		id   int64
		want Code
	}{
		{"ordinary", 0x1000000000001, OK},
		{"negative ids exist (server id >= 128)", -0x7f00000000000001, OK},
		{"again: no change", 0x1000000000001, OK},
		{"zero", 0, ErrBadArguments},
		{"container mark", math.MinInt64, ErrBadArguments},
		{"TTL mark", -1 << 56, ErrBadArguments},
		{"inside the TTL range", -1, ErrBadArguments},
	} {
		op := Op{Type: OpCreateSession, SessionID: tc.id, Timeout: 30000, Password: []byte("secret16bytes...")}
		if got := h.run(op).Err; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	h.run(Op{Type: OpCreateSession, SessionID: 0x1000000000001, Timeout: 1, Password: []byte("other")})
	s, ok := h.tr.Session(0x1000000000001)
	if !ok || s.Timeout != 30000 || string(s.Password) != "secret16bytes..." {
		t.Fatalf("session %+v", s)
	}
	s.Password[0] = 'X'
	if s2, _ := h.tr.Session(0x1000000000001); s2.Password[0] != 's' {
		t.Fatal("Session returned the tree's password slice")
	}
	ids := []int64{}
	for _, s := range h.tr.Sessions() {
		ids = append(ids, s.ID)
	}
	if !reflect.DeepEqual(ids, []int64{-0x7f00000000000001, 0x1000000000001}) {
		t.Fatalf("sessions %v", ids)
	}
}

// TestCloseSession: the session's ephemerals go in one txn, in path order,
// each with its NodeDeleted and NodeChildrenChanged, and their parents'
// pzxid moves to the close's zxid.
func TestCloseSession(t *testing.T) {
	h := newHarness(t)
	h.session(1)
	h.session(2)
	h.ok(mkCreate("/app", "", Persistent))
	h.ok(mkCreate("/svc", "", Persistent))
	for _, c := range []struct {
		sess int64
		path string
	}{{1, "/svc/b"}, {1, "/app/lock-"}, {2, "/app/other"}, {1, "/app/lock-"}, {1, "/svc/a"}} {
		mode := Ephemeral
		if strings.HasSuffix(c.path, "-") {
			mode = EphemeralSequential
		}
		if r := h.do(c.sess, nil, mkCreate(c.path, "", mode)); r.Err != OK {
			t.Fatal(r.Err)
		}
	}
	if s, _ := h.tr.Session(1); s.Ephemerals != 4 {
		t.Fatalf("session 1 owns %d", s.Ephemerals)
	}
	if got := h.tr.Ephemerals(1, "/app"); !reflect.DeepEqual(got, []string{"/app/lock-0000000000", "/app/lock-0000000002"}) {
		t.Fatalf("Ephemerals(/app) = %v", got)
	}
	all := []string{"/app/lock-0000000000", "/app/lock-0000000002", "/svc/a", "/svc/b"}
	for _, prefix := range []string{"", "/", " / ", "\t"} {
		if got := h.tr.Ephemerals(1, prefix); !reflect.DeepEqual(got, all) {
			t.Errorf("Ephemerals(%q) = %v", prefix, got)
		}
	}
	if got := h.tr.Ephemerals(1, "/s"); !reflect.DeepEqual(got, []string{"/svc/a", "/svc/b"}) { // plain prefix
		t.Errorf("Ephemerals(/s) = %v", got)
	}
	if got := h.tr.Ephemerals(42, ""); len(got) != 0 {
		t.Errorf("unknown session's ephemerals %v", got)
	}

	r := h.do(1, nil, Op{Type: OpCloseSession})
	want := "NodeDeleted /app/lock-0000000000, NodeChildrenChanged /app, " +
		"NodeDeleted /app/lock-0000000002, NodeChildrenChanged /app, " +
		"NodeDeleted /svc/a, NodeChildrenChanged /svc, NodeDeleted /svc/b, NodeChildrenChanged /svc"
	if r.Err != OK || describeChanges(r.Changes) != want {
		t.Fatalf("close: %v %s", r.Err, describeChanges(r.Changes))
	}
	if _, ok := h.tr.Session(1); ok {
		t.Fatal("session 1 still there")
	}
	for _, p := range []string{"/app", "/svc"} {
		if st := h.stat(p); st.Pzxid != h.zxid {
			t.Errorf("%s pzxid %v, want %v", p, st.Pzxid, h.zxid)
		}
	}
	if st := h.stat("/svc"); st.NumChildren != 0 || st.Cversion != 4 {
		t.Errorf("/svc after close: %v", st)
	}
	if _, err := h.tr.Exists("/app/other"); err != nil {
		t.Error("another session's ephemeral went too")
	}
	// Once closed, the session can write nothing more; closing it again, or
	// closing a session that never existed, succeeds and changes nothing
	// (ZooKeeper never checks the session of a closeSession).
	if r := h.do(1, nil, mkCreate("/x", "", Persistent)); r.Err != ErrSessionExpired {
		t.Errorf("write after close: %v", r.Err)
	}
	d := h.tr.Digest()
	for _, op := range []Op{{Type: OpCloseSession, SessionID: 1}, {Type: OpCloseSession, SessionID: 12345}} {
		if r := h.run(op); r.Err != OK || len(r.Changes) != 0 || h.tr.Digest() != d {
			t.Errorf("close of %d: %v %v", op.SessionID, r.Err, r.Changes)
		}
	}
	// The ensemble closes a session by id (expiry).
	if r := h.run(Op{Type: OpCloseSession, SessionID: 2}); r.Err != OK || describeChanges(r.Changes) != "NodeDeleted /app/other, NodeChildrenChanged /app" {
		t.Errorf("expiry: %v %s", r.Err, describeChanges(r.Changes))
	}
	if len(h.tr.Sessions()) != 0 {
		t.Error("sessions left")
	}
}

// TestEphemeralRules covers NOCHILDRENFOREPHEMERALS and that an ephemeral
// deleted by hand leaves its session's index.
func TestEphemeralRules(t *testing.T) {
	h := newHarness(t)
	h.session(5)
	h.do(5, nil, mkCreate("/e", "", Ephemeral))
	if r := h.do(5, nil, mkCreate("/e/x", "", Ephemeral)); r.Err != ErrNoChildrenForEphemerals {
		t.Fatalf("child of ephemeral: %v", r.Err)
	}
	if r := h.do(5, nil, Op{Type: OpCreateContainer, Path: "/e/c", ACL: OpenACL}); r.Err != ErrNoChildrenForEphemerals {
		t.Fatalf("container under ephemeral: %v", r.Err)
	}
	h.ok(mkDelete("/e", -1))
	if s, _ := h.tr.Session(5); s.Ephemerals != 0 {
		t.Fatalf("index keeps a deleted ephemeral")
	}
	st := h.do(5, nil, mkCreate("/e2", "", Ephemeral)).Stat
	if st.EphemeralOwner != 5 {
		t.Fatalf("owner %x", st.EphemeralOwner)
	}
}
