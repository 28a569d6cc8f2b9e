package tree

import (
	"math"
	"strings"
	"testing"
)

// TestCreateErrors walks the create check order (PrepRequestProcessor): each
// case fails exactly one check, and where two checks would fail the earlier
// one must win. Paths are checked with a valid ACL, as zetcd learned to.
func TestCreateErrors(t *testing.T) {
	h := newHarness(t)
	h.session(7)
	h.ok(mkCreate("/n", "", Persistent))
	h.ok(mkCreate("/locked", "", Persistent))
	h.ok(Op{Type: OpSetACL, Path: "/locked", ACL: ReadACL, Version: -1})
	if r := h.do(7, nil, mkCreate("/eph", "", Ephemeral)); r.Err != OK {
		t.Fatal(r.Err)
	}
	ttl := func(path string, flags CreateMode, ttl int64) Op {
		return Op{Type: OpCreateTTL, Path: path, ACL: OpenACL, Flags: flags, TTL: ttl}
	}
	for _, tc := range []struct {
		name string
		sess int64
		op   Op
		want string
	}{
		{"plain", 0, mkCreate("/a", "x", Persistent), "OK /a"},
		{"exists", 0, mkCreate("/n", "", Persistent), "NODEEXISTS"},
		{"root exists", 0, mkCreate("/", "", Persistent), "NODEEXISTS"},
		{"flag 7", 0, mkCreate("/b", "", 7), "BADARGUMENTS"},
		{"flag -1", 0, mkCreate("/b", "", -1), "BADARGUMENTS"},
		{"flag beats path", 0, mkCreate("b", "", 7), "BADARGUMENTS"},
		{"ttl flag on create", 0, mkCreate("/b", "", PersistentWithTTL), "BADARGUMENTS"},
		{"ttl flag on create2", 0, Op{Type: OpCreate2, Path: "/b", ACL: OpenACL, Flags: PersistentSequentialWithTTL}, "BADARGUMENTS"},
		{"createTTL flag 0", 0, ttl("/b", Persistent, 100), "BADARGUMENTS"},
		{"createTTL flag 0 no ttl", 0, ttl("/b", Persistent, -1), "BADARGUMENTS"},
		{"createTTL ttl 0", 0, ttl("/b", PersistentWithTTL, 0), "BADARGUMENTS"},
		{"createTTL ttl negative", 0, ttl("/b", PersistentWithTTL, -5), "BADARGUMENTS"},
		{"createTTL ttl too big", 0, ttl("/b", PersistentWithTTL, 1<<40), "BADARGUMENTS"},
		{"createTTL ttl max", 0, ttl("/ttlmax", PersistentWithTTL, 1<<40-1), "OK /ttlmax"},
		{"ephemeral from the ensemble", 0, mkCreate("/b", "", Ephemeral), "SESSIONEXPIRED"},
		{"unknown session", 99, mkCreate("/b", "", Persistent), "SESSIONEXPIRED"},
		{"ttl check beats session", 99, ttl("/b", Persistent, 5), "BADARGUMENTS"},
		{"session beats path", 99, mkCreate("b", "", Persistent), "SESSIONEXPIRED"},
		{"no slash", 0, mkCreate("b", "", Persistent), "BADARGUMENTS"},
		{"NUL", 0, mkCreate("/n/b\x00c", "", Persistent), "BADARGUMENTS"},
		{"NUL beats missing parent", 0, mkCreate("/zz/b\x00", "", Persistent), "BADARGUMENTS"},
		{"empty ACL", 0, Op{Type: OpCreate, Path: "/b"}, "INVALIDACL"},
		{"bad ACL beats missing parent", 0, Op{Type: OpCreate, Path: "/zz/b", ACL: []ACL{{PermAll, ID{"x", "y"}}}}, "INVALIDACL"},
		{"auth ACL without auth", 0, Op{Type: OpCreate, Path: "/b", ACL: CreatorAllACL}, "INVALIDACL"},
		{"missing parent", 0, mkCreate("/zz/b", "", Persistent), "NONODE"},
		// Appendix B: the parent is looked up before the last component is validated.
		{"n//x", 0, mkCreate("/n//x", "", Persistent), "NONODE"},
		{"n/./x", 0, mkCreate("/n/./x", "", Persistent), "NONODE"},
		{"n/../x", 0, mkCreate("/n/../x", "", Persistent), "NONODE"},
		{"a/. with missing a", 0, mkCreate("/zz/.", "", Persistent), "NONODE"},
		{"n/", 0, mkCreate("/n/", "", Persistent), "BADARGUMENTS"},
		{"n/.", 0, mkCreate("/n/.", "", Persistent), "BADARGUMENTS"},
		{"n/..", 0, mkCreate("/n/..", "", Persistent), "BADARGUMENTS"},
		{"bad char", 0, mkCreate("/n/\u0001", "", Persistent), "BADARGUMENTS"},
		{"no CREATE on parent", 0, mkCreate("/locked/b", "", Persistent), "NOAUTH"},
		{"NOAUTH beats bad name", 0, mkCreate("/locked/.", "", Persistent), "NOAUTH"},
		{"under ephemeral", 7, mkCreate("/eph/b", "", Persistent), "NOCHILDRENFOREPHEMERALS"},
		{"exists beats ephemeral parent", 7, mkCreate("/eph", "", Persistent), "NODEEXISTS"},
		{"too much data", 0, mkCreate("/big", strings.Repeat("x", DefaultMaxData+1), Persistent), "BADARGUMENTS"},
		{"data at the limit", 0, mkCreate("/big", strings.Repeat("x", DefaultMaxData), Persistent), "OK /big"},
		{"sequential trailing slash", 0, mkCreate("/n/", "", PersistentSequential), "OK /n/0000000000"},
		{"sequential named", 0, mkCreate("/n/s-", "", PersistentSequential), "OK /n/s-0000000001"},
		{"sequential bad prefix", 0, mkCreate("/n/./", "", PersistentSequential), "NONODE"},
		{"sequential dot", 0, mkCreate("/n/.", "", PersistentSequential), "OK /n/.0000000002"},
		{"create2", 0, Op{Type: OpCreate2, Path: "/c2", ACL: OpenACL}, "OK /c2"},
		{"container", 0, Op{Type: OpCreateContainer, Path: "/ct", ACL: OpenACL}, "OK /ct"},
		{"container with a bad flag", 0, Op{Type: OpCreateContainer, Path: "/ct2", ACL: OpenACL, Flags: 9}, "BADARGUMENTS"},
		{"container with ttl flag", 0, Op{Type: OpCreateContainer, Path: "/ct2", ACL: OpenACL, Flags: PersistentWithTTL}, "BADARGUMENTS"},
		{"ephemeral container needs a session", 0, Op{Type: OpCreateContainer, Path: "/ct2", ACL: OpenACL, Flags: Ephemeral}, "SESSIONEXPIRED"},
		{"children under a container", 0, mkCreate("/ct/x", "", Persistent), "OK /ct/x"},
		{"children under a TTL node", 0, mkCreate("/ttlmax/x", "", Persistent), "OK /ttlmax/x"},
	} {
		if got := describe(h.do(tc.sess, nil, tc.op)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestCreateStat(t *testing.T) {
	h := newHarness(t)
	h.session(0x100)
	r := h.do(0x100, nil, Op{Type: OpCreate2, Path: "/e", Data: []byte("hello"), ACL: OpenACL, Flags: EphemeralSequential})
	want := Stat{Czxid: h.zxid, Mzxid: h.zxid, Pzxid: h.zxid, Ctime: h.now, Mtime: h.now, EphemeralOwner: 0x100, DataLength: 5}
	if r.Err != OK || r.Path != "/e0000000000" || r.Stat != want {
		t.Fatalf("create2 = %s %v, want %v", describe(r), r.Stat, want)
	}
	if got := h.stat("/e0000000000"); got != want {
		t.Fatalf("stat %v, want %v", got, want)
	}
	if got := describeChanges(r.Changes); got != "NodeCreated /e0000000000, NodeChildrenChanged /" {
		t.Fatalf("changes: %s", got)
	}
	// Containers and TTL nodes show ephemeralOwner 0 (Appendix B).
	for _, op := range []Op{
		{Type: OpCreateContainer, Path: "/c", ACL: OpenACL},
		{Type: OpCreateTTL, Path: "/t", ACL: OpenACL, Flags: PersistentWithTTL, TTL: 5000},
		// create2 with the container flag makes a plain persistent node: the opcode decides.
		{Type: OpCreate2, Path: "/p", ACL: OpenACL, Flags: Container},
	} {
		r := h.ok(op)
		if r.Stat.EphemeralOwner != 0 || r.Stat != h.stat(op.Path) {
			t.Errorf("%s: stat %v", op.Path, r.Stat)
		}
	}
	for path, want := range map[string]CreateMode{"/c": Container, "/t": PersistentWithTTL, "/p": Persistent, "/e0000000000": EphemeralSequential} {
		if mode, _, ok := h.tr.NodeInfo(path); !ok || mode != want {
			t.Errorf("NodeInfo(%s) = %v, want %v", path, mode, want)
		}
	}
	if _, ttl, _ := h.tr.NodeInfo("/t"); ttl != 5000 {
		t.Errorf("TTL %d", ttl)
	}
	// A create with nil data keeps nil (-1 on the wire); empty stays empty.
	h.ok(Op{Type: OpCreate, Path: "/nil", ACL: OpenACL})
	h.ok(Op{Type: OpCreate, Path: "/empty", Data: []byte{}, ACL: OpenACL})
	if d, _, _ := h.tr.Get("/nil", nil); d != nil {
		t.Errorf("nil data came back as %q", d)
	}
	if d, _, _ := h.tr.Get("/empty", nil); d == nil {
		t.Error("empty data came back nil")
	}
}

// TestInitialTree checks the nodes a fresh ZooKeeper has and their stats.
func TestInitialTree(t *testing.T) {
	tr := New()
	checkInvariants(t, tr)
	if tr.NodeCount() != 4 || tr.LastZxid() != 0 {
		t.Fatalf("count %d, zxid %v", tr.NodeCount(), tr.LastZxid())
	}
	for _, tc := range []struct {
		path     string
		cversion int32
		aversion int32
		kids     int32
		acl      []ACL
	}{
		{"/", -1, 0, 1, OpenACL},
		{"/zookeeper", -2, 0, 2, OpenACL},
		{"/zookeeper/quota", 0, 0, 0, OpenACL},
		{"/zookeeper/config", 0, -1, 0, ReadACL},
	} {
		data, st, err := tr.Get(tc.path, nil)
		if err != nil || data == nil || len(data) != 0 {
			t.Fatalf("%s: %q %v", tc.path, data, err)
		}
		want := Stat{Cversion: tc.cversion, Aversion: tc.aversion, NumChildren: tc.kids}
		if st != want {
			t.Errorf("%s: stat %v, want %v", tc.path, st, want)
		}
		acl, _, _ := tr.GetACL(tc.path, nil)
		if len(acl) != 1 || acl[0] != tc.acl[0] {
			t.Errorf("%s: ACL %v", tc.path, acl)
		}
	}
	if _, _, err := tr.Get("", nil); err != nil {
		t.Errorf("the root is also found as \"\": %v", err)
	}
	if New().Digest() != tr.Digest() {
		t.Error("two new trees differ")
	}
}

// TestSequenceCounter: the suffix counts child creations only, the visible
// cversion counts creations and deletions (Appendix B).
func TestSequenceCounter(t *testing.T) {
	h := newHarness(t)
	h.ok(mkCreate("/q", "", Persistent))
	var got []string
	add := func(op Op) { got = append(got, h.ok(op).Path) }
	add(mkCreate("/q/n-", "", PersistentSequential))
	add(mkCreate("/q/n-", "", PersistentSequential))
	h.ok(mkDelete("/q/n-0000000001", -1))
	add(mkCreate("/q/plain", "", Persistent))
	add(mkCreate("/q/n-", "", PersistentSequential))
	want := []string{"/q/n-0000000000", "/q/n-0000000001", "/q/plain", "/q/n-0000000003"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("paths %v, want %v", got, want)
	}
	for _, p := range []string{"/q/n-0000000000", "/q/plain", "/q/n-0000000003"} {
		h.ok(mkDelete(p, -1))
	}
	if st := h.stat("/q"); st.Cversion != 8 || st.NumChildren != 0 {
		t.Fatalf("after 4 creates and 4 deletes: %v", st)
	}
	if r := h.ok(mkCreate("/q/n-", "", PersistentSequential)); r.Path != "/q/n-0000000004" {
		t.Fatalf("next sequential: %s", r.Path)
	}
	// Under the root the visible cversion is one less, /zookeeper never having been created.
	h2 := newHarness(t)
	for _, p := range []string{"/a", "/b", "/c"} {
		h2.ok(mkCreate(p, "", Persistent))
	}
	h2.ok(mkDelete("/b", -1))
	if st := h2.stat("/"); st.Cversion != 3 {
		t.Fatalf("root cversion after 3 creates and 1 delete: %d", st.Cversion)
	}
}

// TestSequenceWrap: the counter is a Java int, so past MaxInt32 the suffix
// goes negative, printed as %010d prints it.
func TestSequenceWrap(t *testing.T) {
	h := newHarness(t)
	h.ok(mkCreate("/w", "", Persistent))
	n := h.tr.lookup("/w")
	pph := pathHash("/w")
	h.tr.beginEdit(n, pph, false)
	n.cversion = math.MaxInt32
	h.tr.endEdit(n, pph, false)
	for _, want := range []string{"/w/s2147483647", "/w/s-2147483648", "/w/s-2147483647"} {
		if r := h.ok(mkCreate("/w/s", "", PersistentSequential)); r.Path != want {
			t.Fatalf("got %s, want %s", r.Path, want)
		}
	}
}
