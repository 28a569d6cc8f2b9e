package tree

import (
	"bytes"
	"testing"
)

func TestMulti(t *testing.T) {
	h := newHarness(t)
	h.session(4)
	h.ok(mkCreate("/m", "", Persistent))
	h.ok(mkCreate("/m/full", "", Persistent))
	h.ok(mkCreate("/m/full/kid", "", Persistent))
	multi := func(ops ...Op) Op { return Op{Type: OpMulti, Ops: ops} }
	for _, tc := range []struct {
		name    string
		sess    int64
		op      Op
		want    string
		changes string
	}{
		{"empty", 0, multi(), "OK []", ""},
		{"create, set, delete see each other", 0, multi(
			mkCreate("/m/x", "", Persistent), mkSet("/m/x", "1", 0), mkDelete("/m/x", 1)),
			"OK [create:/m/x setData delete]",
			"NodeCreated /m/x, NodeChildrenChanged /m, NodeDataChanged /m/x, NodeDeleted /m/x, NodeChildrenChanged /m"},
		{"result types (3.9: create2, container and TTL answer 15)", 0, multi(
			mkCreate("/m/a", "", Persistent),
			Op{Type: OpCreate2, Path: "/m/b", ACL: OpenACL},
			Op{Type: OpCreateContainer, Path: "/m/c", ACL: OpenACL},
			Op{Type: OpCreateTTL, Path: "/m/d", ACL: OpenACL, Flags: PersistentSequentialWithTTL, TTL: 10},
			Op{Type: OpCheck, Path: "/m/a", Version: 0}),
			"OK [create:/m/a create2:/m/b create2:/m/c create2:/m/d0000000005 check]",
			"NodeCreated /m/a, NodeChildrenChanged /m, NodeCreated /m/b, NodeChildrenChanged /m, NodeCreated /m/c, NodeChildrenChanged /m, NodeCreated /m/d0000000005, NodeChildrenChanged /m"},
		{"sequential names inside one multi", 0, multi(
			mkCreate("/m/s-", "", PersistentSequential), mkCreate("/m/s-", "", PersistentSequential)),
			"OK [create:/m/s-0000000006 create:/m/s-0000000007]", "NodeCreated /m/s-0000000006, NodeChildrenChanged /m, NodeCreated /m/s-0000000007, NodeChildrenChanged /m"},
		{"failure in the middle", 0, multi(
			mkCreate("/m/y", "", Persistent), mkDelete("/m/nope", -1), mkSet("/m", "", -1)),
			"NONODE [error:OK error:NONODE error:RUNTIMEINCONSISTENCY]", ""},
		{"failure at the end undoes everything", 0, multi(
			mkCreate("/m/z", "", Persistent), mkCreate("/m/z/z", "", Persistent), mkSet("/m/z", "d", -1),
			mkDelete("/m/a", -1), Op{Type: OpCheck, Path: "/m/full", Version: 5}),
			"BADVERSION [error:OK error:OK error:OK error:OK error:BADVERSION]", ""},
		{"check version -1 only asks for existence", 0, multi(Op{Type: OpCheck, Path: "/m/none", Version: -1}), "NONODE [error:NONODE]", ""},
		{"check bad path", 0, multi(Op{Type: OpCheck, Path: "/m/", Version: -1}), "BADARGUMENTS [error:BADARGUMENTS]", ""},
		{"delete not empty", 0, multi(mkDelete("/m/full/kid", -1), mkDelete("/m/full", -1), mkDelete("/m/full", -1)),
			"NONODE [error:OK error:OK error:NONODE]", ""},
		{"ephemeral inside", 4, multi(mkCreate("/m/e", "", Ephemeral)), "OK [create:/m/e]", "NodeCreated /m/e, NodeChildrenChanged /m"},
		{"unknown session fails the first op", 77, multi(mkSet("/m", "", -1), mkSet("/m", "", -1)),
			"SESSIONEXPIRED [error:SESSIONEXPIRED error:RUNTIMEINCONSISTENCY]", ""},
		{"unknown session, empty multi", 77, multi(), "OK []", ""},
		// 3.9's MultiOperationRecord refuses these while decoding: the whole
		// request fails with no per-op results (3.8 ran them and failed the op).
		{"bad flag", 0, multi(mkCreate("/m/q", "", Persistent), mkCreate("/m/r", "", 7)), "MARSHALLINGERROR", ""},
		{"read op", 0, multi(Op{Type: OpGetData, Path: "/m"}), "MARSHALLINGERROR", ""},
		{"setACL is not a multi op", 0, multi(Op{Type: OpSetACL, Path: "/m", ACL: OpenACL, Version: -1}), "MARSHALLINGERROR", ""},
		{"nested multi", 0, multi(multi()), "MARSHALLINGERROR", ""},
		// ZooKeeper's decoder turns a createTTL op without a TTL mode into
		// a plain create (observed on 3.8.0 by the conformance suite).
		{"createTTL without a TTL mode", 0, multi(Op{Type: OpCreateTTL, Path: "/m/t", ACL: OpenACL, TTL: 5}), "OK [create:/m/t]", "NodeCreated /m/t, NodeChildrenChanged /m"},
	} {
		before := h.tr.AppendSnapshot(nil)
		r := h.do(tc.sess, nil, tc.op)
		if got := describe(r); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if got := describeChanges(r.Changes); got != tc.changes {
			t.Errorf("%s: changes %s, want %s", tc.name, got, tc.changes)
		}
		if r.Err != OK {
			// Nothing stays applied: the state is byte for byte what it was,
			// apart from the consumed zxid.
			h.tr.lastZxid = mustRestore(t, before).lastZxid
			if after := h.tr.AppendSnapshot(nil); !bytes.Equal(before, after) {
				t.Errorf("%s: failed multi changed the tree", tc.name)
			}
			h.tr.lastZxid = h.zxid
		}
	}
}

func TestMultiStats(t *testing.T) {
	h := newHarness(t)
	r := h.ok(Op{Type: OpMulti, Ops: []Op{
		Op{Type: OpCreate2, Path: "/a", Data: []byte("xy"), ACL: OpenACL},
		mkSet("/a", "xyz", 0),
		mkCreate("/a/b", "", Persistent),
	}})
	zxid, now := h.zxid, h.now
	want := Stat{Czxid: zxid, Mzxid: zxid, Pzxid: zxid, Ctime: now, Mtime: now, DataLength: 2}
	if r.Results[0].Stat != want {
		t.Errorf("create2 stat %v, want %v", r.Results[0].Stat, want)
	}
	want.Version, want.DataLength = 1, 3
	if r.Results[1].Stat != want {
		t.Errorf("setData stat %v, want %v", r.Results[1].Stat, want)
	}
	if r.Results[2].Stat != (Stat{}) {
		t.Errorf("a create result carries a stat: %v", r.Results[2].Stat)
	}
	want.Cversion, want.NumChildren = 1, 1
	if got := h.stat("/a"); got != want {
		t.Errorf("stat after multi %v, want %v", got, want)
	}
}

func mustRestore(t *testing.T, snap []byte) *Tree {
	t.Helper()
	tr, err := RestoreSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
