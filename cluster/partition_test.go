package cluster

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/tree"
)

func names(ids []uint64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(ServerID(id))
	}
	return out
}

// A 5-member ensemble split 2|3 with the old leader in the minority: the
// majority elects a leader and commits, the old leader steps down, the
// minority serves nobody, and after heal every member has the same tree.
func TestSplitTwoThreeMajorityCommitsMinorityStops(t *testing.T) {
	e := testEnsemble(t, 5, withClients)
	old := waitLeader(t, e)
	minority := []uint64{old.ID()}
	var majority []uint64
	for _, id := range e.IDs() {
		if id == old.ID() {
			continue
		}
		if len(minority) < 2 {
			minority = append(minority, id)
		} else {
			majority = append(majority, id)
		}
	}
	mustWrite(t, old, 0, create("/before", "x"))

	// A client of the minority follower.
	minorityClient := connectGoZK(t, e.ClientAddr(minority[1]))

	e.Links().Split(names(minority), names(majority))

	eventually(t, 20*time.Second, "a leader in the majority", func() bool {
		l := e.Leader()
		return l != nil && l.ID() != old.ID() && !old.IsLeader()
	})
	leader := e.Leader()
	mustWrite(t, leader, 0, create("/during", "majority"))

	// The minority stops serving: its members report it, and its clients
	// lose their connections rather than read or write there.
	eventually(t, 20*time.Second, "minority stops serving", func() bool {
		return !e.Node(minority[0]).Serving() && !e.Node(minority[1]).Serving()
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := e.Node(minority[1]).Write(ctx, 0, nil, create("/minority", "")); err == nil {
		t.Fatal("a write succeeded in the minority")
	}
	if _, err := minorityClient.Create("/minority", nil, 0, gozk.WorldACL(gozk.PermAll)); err == nil {
		t.Fatal("a client write succeeded through the minority")
	}

	e.Links().HealAll()
	eventually(t, 20*time.Second, "every member converges after heal: "+digests(e), func() bool {
		return converged(e) && e.Node(minority[0]).Serving() && e.Node(minority[1]).Serving()
	})
	for _, n := range e.Nodes() {
		if got, err := getData(n, "/during"); err != nil || got != "majority" {
			t.Fatalf("n%d after heal: %q %v", n.ID(), got, err)
		}
		if _, err := getData(n, "/minority"); !errors.Is(err, tree.ErrNoNode) {
			t.Fatalf("n%d has a write the minority never committed: %v", n.ID(), err)
		}
	}
	// The minority client reconnects (to any member) and sees the majority's write.
	eventually(t, 20*time.Second, "the minority client is served again", func() bool {
		data, _, err := minorityClient.Get("/during")
		return err == nil && string(data) == "majority"
	})
}

func TestObserverGetsTheLogButDoesNotVote(t *testing.T) {
	e := testEnsemble(t, 3)
	id, err := e.Add(ctxT(t, 20*time.Second), true)
	if err != nil {
		t.Fatal(err)
	}
	leader := waitLeader(t, e)
	mustWrite(t, leader, 0, create("/seen-by-observer", "x"))
	eventually(t, 10*time.Second, "observer has the write", func() bool {
		_, err := getData(e.Node(id), "/seen-by-observer")
		return err == nil
	})
	if role := e.Node(id).Status().Role; role != "observer" {
		t.Fatalf("n%d role %q", id, role)
	}
	if err := e.TransferLeadership(ctxT(t, 20*time.Second), 0); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "a new leader that is a voter", func() bool {
		l := e.Leader()
		return l != nil && l.ID() != leader.ID() && l.ID() != id
	})
	if err := e.Remove(ctxT(t, 20*time.Second), id); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(e.IDs()); got != "[1 2 3]" {
		t.Fatalf("members after removing the observer: %s", got)
	}
}
