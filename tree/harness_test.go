package tree

import (
	"fmt"
	"strings"
	"testing"
)

// harness drives a Tree the way the cluster does: every txn gets the next
// zxid and a later time, and after every Apply the tree's invariants are
// checked (so every table test also checks the incremental digest, the node
// count, the ACL reference counts and the owner indexes).
type harness struct {
	t    testing.TB
	tr   *Tree
	zxid Zxid
	now  int64
}

func newHarness(t testing.TB) *harness {
	return &harness{t: t, tr: New(), zxid: MakeZxid(1, 0), now: 1_700_000_000_000}
}

// do applies op as session sess with the given auth ids.
func (h *harness) do(sess int64, auth []ID, op Op) Result {
	h.t.Helper()
	h.zxid = NextZxid(h.zxid, h.zxid.Epoch())
	h.now += 10
	r := h.tr.Apply(&Txn{Zxid: h.zxid, Time: h.now, Session: sess, Auth: auth, Op: op})
	checkInvariants(h.t, h.tr)
	return r
}

// run applies op as the ensemble (session 0, no auth).
func (h *harness) run(op Op) Result { h.t.Helper(); return h.do(0, nil, op) }

// ok applies op and fails the test unless it succeeds.
func (h *harness) ok(op Op) Result {
	h.t.Helper()
	r := h.run(op)
	if r.Err != OK {
		h.t.Fatalf("%s %s: %v", op.Type, op.Path, r.Err)
	}
	return r
}

func (h *harness) session(id int64) {
	h.t.Helper()
	if r := h.run(Op{Type: OpCreateSession, SessionID: id, Timeout: 4000, Password: []byte("pw")}); r.Err != OK {
		h.t.Fatalf("createSession %d: %v", id, r.Err)
	}
}

func (h *harness) stat(path string) Stat {
	h.t.Helper()
	s, err := h.tr.Exists(path)
	if err != nil {
		h.t.Fatalf("exists %s: %v", path, err)
	}
	return s
}

func mkCreate(path, data string, mode CreateMode) Op {
	return Op{Type: OpCreate, Path: path, Data: []byte(data), ACL: OpenACL, Flags: mode}
}

func mkDelete(path string, version int32) Op { return Op{Type: OpDelete, Path: path, Version: version} }

func mkSet(path, data string, version int32) Op {
	return Op{Type: OpSetData, Path: path, Data: []byte(data), Version: version}
}

// describe renders a Result as one line for transcript-style comparisons:
// the code, the created path, and for a multi each op's result.
func describe(r Result) string {
	var b strings.Builder
	b.WriteString(r.Err.String())
	if r.Path != "" {
		b.WriteString(" " + r.Path)
	}
	if r.Results != nil {
		parts := make([]string, len(r.Results))
		for i, o := range r.Results {
			if o.Type == OpError {
				parts[i] = "error:" + o.Err.String()
			} else if o.Type == OpCreate || o.Type == OpCreate2 {
				parts[i] = fmt.Sprintf("%s:%s", o.Type, o.Path)
			} else {
				parts[i] = o.Type.String()
			}
		}
		b.WriteString(" [" + strings.Join(parts, " ") + "]")
	}
	return b.String()
}

func describeChanges(cs []Change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", ")
}

// checkInvariants recomputes from scratch what the tree maintains
// incrementally and compares.
func checkInvariants(t testing.TB, tr *Tree) {
	t.Helper()
	if got := tr.recomputeDigest(); got != tr.Digest() {
		t.Fatalf("digest drifted: incremental %x, recomputed %x", tr.Digest(), got)
	}
	count := 0
	uses := map[uint32]int{}
	ephemerals := map[int64]map[string]bool{}
	containers, ttls := map[string]bool{}, map[string]bool{}
	tr.walkNodes(func(path string, n *node) bool {
		count++
		uses[n.acl]++
		switch n.kind() {
		case kindEphemeral:
			if ephemerals[n.owner] == nil {
				ephemerals[n.owner] = map[string]bool{}
			}
			ephemerals[n.owner][path] = true
			if n.kids != nil {
				t.Fatalf("ephemeral %s has children", path)
			}
		case kindContainer:
			containers[path] = true
		case kindTTL:
			ttls[path] = true
		}
		if n.kids != nil && n.kids.n == 0 {
			t.Fatalf("%s keeps an empty child list", path)
		}
		return true
	})
	if count != tr.NodeCount() {
		t.Fatalf("node count %d, walked %d", tr.NodeCount(), count)
	}
	if len(uses) != tr.acls.live() {
		t.Fatalf("%d ACL lists in use, %d interned", len(uses), tr.acls.live())
	}
	for ref, n := range uses {
		if tr.acls.ents[ref].refs != n {
			t.Fatalf("ACL %v: %d refs, %d uses", tr.acls.list(ref), tr.acls.ents[ref].refs, n)
		}
	}
	for id, s := range tr.sessions {
		if len(s.ephemerals) != len(ephemerals[id]) {
			t.Fatalf("session %d indexes %d ephemerals, owns %d", id, len(s.ephemerals), len(ephemerals[id]))
		}
		for p := range s.ephemerals {
			if !ephemerals[id][p] {
				t.Fatalf("session %d indexes %s, which it does not own", id, p)
			}
		}
		delete(ephemerals, id)
	}
	if len(ephemerals) != 0 {
		t.Fatalf("ephemerals of unknown sessions: %v", ephemerals)
	}
	if len(containers) != len(tr.containers) || len(ttls) != len(tr.ttls) {
		t.Fatalf("container/TTL index %d/%d, tree has %d/%d", len(tr.containers), len(tr.ttls), len(containers), len(ttls))
	}
	if len(tr.undo) != 0 || len(tr.releases) != 0 || len(tr.changes) != 0 || tr.recording {
		t.Fatalf("Apply left scratch state behind")
	}
}
