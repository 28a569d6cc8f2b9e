package tree

import (
	"reflect"
	"testing"
)

// TestReapCandidates follows ZooKeeper's ContainerManager: a container is a
// candidate once it has had a child and has none; a TTL node once it has no
// children and was modified more than its TTL ago.
func TestReapCandidates(t *testing.T) {
	h := newHarness(t)
	h.ok(Op{Type: OpCreateContainer, Path: "/used", ACL: OpenACL})
	h.ok(Op{Type: OpCreateContainer, Path: "/fresh", ACL: OpenACL})
	h.ok(Op{Type: OpCreateContainer, Path: "/busy", ACL: OpenACL})
	h.ok(mkCreate("/used/x", "", Persistent))
	h.ok(mkDelete("/used/x", -1))
	h.ok(mkCreate("/busy/x", "", Persistent))
	h.ok(Op{Type: OpCreateTTL, Path: "/ttl", ACL: OpenACL, Flags: PersistentWithTTL, TTL: 1000})
	ttlMtime := h.now
	h.ok(Op{Type: OpCreateTTL, Path: "/ttlkids", ACL: OpenACL, Flags: PersistentWithTTL, TTL: 1})
	h.ok(mkCreate("/ttlkids/k", "", Persistent))
	h.ok(mkCreate("/plain", "", Persistent))

	for _, tc := range []struct {
		now   int64
		never int64
		want  []string
	}{
		{ttlMtime + 1000, 0, []string{"/used"}}, // now-mtime must exceed the TTL
		{ttlMtime + 1001, 0, []string{"/ttl", "/used"}},
		{ttlMtime + 1001, 100, []string{"/fresh", "/ttl", "/used"}},
	} {
		if got := h.tr.ReapCandidatesWith(tc.now, tc.never); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("candidates at +%d (never-used %d): %v, want %v", tc.now-ttlMtime, tc.never, got, tc.want)
		}
	}
	// setData extends a TTL node's life.
	h.ok(mkSet("/ttl", "touch", -1))
	if got := h.tr.ReapCandidates(ttlMtime + 1001); !reflect.DeepEqual(got, []string{"/used"}) {
		t.Errorf("after setData: %v", got)
	}
	// The reaper's deletes, and a container that got a child in the meantime.
	for _, p := range h.tr.ReapCandidates(h.now + 5000) {
		if p == "/used" {
			h.ok(mkCreate("/used/late", "", Persistent))
			if r := h.run(Op{Type: OpDeleteContainer, Path: p}); r.Err != ErrNotEmpty {
				t.Errorf("reaping a refilled container: %v", r.Err)
			}
			continue
		}
		h.ok(Op{Type: OpDeleteContainer, Path: p})
	}
	if got := h.tr.ReapCandidates(h.now + 5000); got != nil {
		t.Errorf("left: %v", got)
	}
}
