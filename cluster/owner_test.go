package cluster

import (
	"errors"
	"testing"
	"time"

	"coordtui/tree"
)

// TestSessionMovedRefusesWritesFromTheMemberLeft: once a session is
// revalidated on another member, a write for it from the member it left is
// refused as ZooKeeper's SESSIONMOVED — an error transaction that takes a
// zxid and changes nothing — while writes from its new member go through.
// It runs twice: moving between followers, and away from the leader.
func TestSessionMovedRefusesWritesFromTheMemberLeft(t *testing.T) {
	e := testEnsemble(t, 3)
	leader := waitLeader(t, e)
	var followers []*Node
	for _, id := range []uint64{1, 2, 3} {
		if id != leader.ID() {
			followers = append(followers, e.Node(id))
		}
	}
	for _, tc := range []struct {
		name     string
		from, to *Node
	}{
		{"follower to follower", followers[0], followers[1]},
		{"leader to follower", leader, followers[0]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sess, err := tc.from.CreateSession(ctxT(t, 10*time.Second), 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			path := "/moved-" + string(rune('a'+tc.from.ID()))
			mustWrite(t, tc.from, sess.ID, create(path, "first"))
			if err := tc.to.Revalidate(ctxT(t, 10*time.Second), sess.ID); err != nil {
				t.Fatal(err)
			}
			if err := tc.to.Sync(ctxT(t, 10*time.Second)); err != nil {
				t.Fatal(err)
			}
			before := lastZxid(tc.to)
			_, err = tc.from.Write(ctxT(t, 10*time.Second), sess.ID, nil, tree.Op{Type: tree.OpSetData, Path: path, Data: []byte("stale"), Version: -1})
			if !errors.Is(err, ErrSessionMoved) {
				t.Fatalf("write from the member left: %v, want ErrSessionMoved", err)
			}
			a := mustWrite(t, tc.to, sess.ID, tree.Op{Type: tree.OpSetData, Path: path, Data: []byte("new"), Version: -1})
			if got := a.Txn.Zxid - before; got != 2 {
				t.Errorf("the next write came %d zxids later, want 2 (the refusal took one)", got)
			}
			if data, _ := getData(tc.to, path); data != "new" {
				t.Errorf("%s = %q, want the new member's write only", path, data)
			}
			// Moving back makes the old member the owner again.
			if err := tc.from.Revalidate(ctxT(t, 10*time.Second), sess.ID); err != nil {
				t.Fatal(err)
			}
			mustWrite(t, tc.from, sess.ID, tree.Op{Type: tree.OpSetData, Path: path, Data: []byte("back"), Version: -1})
		})
	}
}

func lastZxid(n *Node) tree.Zxid {
	var z tree.Zxid
	n.View(func(t *tree.Tree) { z = t.LastZxid() })
	return z
}
