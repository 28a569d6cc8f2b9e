package cluster

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

func connectZK(t *testing.T, connStr string, opts ...zk.Option) *zk.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := zk.Connect(ctx, connStr, append([]zk.Option{zk.WithSessionTimeout(6 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// A client whose member crashes reconnects to another member with the same
// session: its ephemeral survives, its watches are re-armed, and a change
// made while it was away still reaches it.
func TestSessionMigratesWhenItsMemberCrashes(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	leader := waitLeader(t, e)
	var home uint64
	var others []string
	for _, id := range e.IDs() {
		if id != leader.ID() && home == 0 {
			home = id
			continue
		}
		others = append(others, e.ClientAddr(id))
	}
	// Home first, then the others: the client starts on home.
	c := connectZK(t, strings.Join(append([]string{e.ClientAddr(home)}, others...), ","))
	if c.Server() != e.ClientAddr(home) {
		t.Fatalf("connected to %s, want %s", c.Server(), e.ClientAddr(home))
	}
	ctx := ctxT(t, 30*time.Second)
	session := c.SessionID()
	if _, err := c.Create(ctx, "/mine", nil, zk.WorldACL(zk.PermAll), zk.ModeEphemeral); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, "/watched", []byte("v0"), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	_, _, ch, err := c.GetW(ctx, "/watched")
	if err != nil {
		t.Fatal(err)
	}

	if err := e.Crash(home); err != nil {
		t.Fatal(err)
	}
	// Another client changes the node while ours is between members.
	other := connectZK(t, strings.Join(others, ","))
	if _, err := other.Set(ctx, "/watched", []byte("v1"), -1); err != nil {
		t.Fatal(err)
	}

	select {
	case ev := <-ch:
		if ev.Type != zk.EventNodeDataChanged || ev.Path != "/watched" {
			t.Fatalf("event %v", ev)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the change made during the move was never delivered")
	}
	if c.SessionID() != session {
		t.Fatalf("session changed from %#x to %#x", session, c.SessionID())
	}
	if c.Server() == e.ClientAddr(home) {
		t.Fatal("still on the crashed member")
	}
	if st, err := c.Exists(ctx, "/mine"); err != nil || st == nil || st.EphemeralOwner != session {
		t.Fatalf("ephemeral after the move: %+v %v", st, err)
	}
	// A session never reads older state after moving: the new member has
	// at least everything the client had seen.
	if data, _, err := c.Get(ctx, "/watched"); err != nil || string(data) != "v1" {
		t.Fatalf("read after the move: %q %v", data, err)
	}
}

// What ZooKeeper promises plain (unsynced) reads: a session always reads
// its own writes and never sees its zxid go backwards, also while the
// member it is on crashes and it moves.
func TestLocalReadsOwnWritesAndMonotonicZxid(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	c := connectZK(t, e.ConnString())
	ctx := ctxT(t, 60*time.Second)
	if _, err := c.Create(ctx, "/rw", []byte("0"), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	var last int64
	crashes := 0
	for i := 1; i <= 60; i++ {
		want := []byte(strings.Repeat("x", i%7) + string(rune('a'+i%26)))
		st, err := c.Set(ctx, "/rw", want, -1)
		for errors.Is(err, zk.ErrConnectionLoss) {
			// In flight when the member crashed: outcome unknown, and an
			// unconditional set may simply be sent again.
			st, err = c.Set(ctx, "/rw", want, -1)
		}
		if err != nil {
			t.Fatalf("set %d: %v", i, err)
		}
		data, st2, err := c.Get(ctx, "/rw")
		if err != nil || string(data) != string(want) || st2.Version != st.Version {
			t.Fatalf("read %d after own write: %q v%d %v, want %q v%d", i, data, st2.Version, err, want, st.Version)
		}
		if z := c.LastZxid(); z < last {
			t.Fatalf("zxid went back from %#x to %#x", last, z)
		} else {
			last = z
		}
		if i%20 == 0 {
			// Crash the member the client is on; restart it at once.
			for _, id := range e.IDs() {
				if e.ClientAddr(id) == c.Server() {
					if err := e.Crash(id); err != nil {
						t.Fatal(err)
					}
					if err := e.Restart(id); err != nil {
						t.Fatal(err)
					}
					crashes++
				}
			}
		}
	}
	if crashes == 0 {
		t.Fatal("the client's member was never crashed")
	}
}

// A client frozen like a long GC pause stops pinging; the leader expires
// its session and its ephemeral goes from every member.
func TestFrozenClientSessionExpires(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	c := connectZK(t, e.ConnString(), zk.WithSessionTimeout(time.Second))
	ctx := ctxT(t, 30*time.Second)
	if _, err := c.Create(ctx, "/frozen", nil, zk.WorldACL(zk.PermAll), zk.ModeEphemeral); err != nil {
		t.Fatal(err)
	}
	c.Freeze()
	eventually(t, 15*time.Second, "the frozen client's ephemeral is gone everywhere", func() bool {
		for _, n := range e.Nodes() {
			if _, err := getData(n, "/frozen"); err == nil {
				return false
			}
		}
		return true
	})
}
