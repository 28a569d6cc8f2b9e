package recipes

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/zk"
)

// settleAfter waits, after member id failed, until a leader is in charge
// again and every live session of the test is connected to another member.
// A leader's crash makes the followers drop their clients too while they
// elect a new one, so every session is waited for, not just id's.
func (e *env) settleAfter(id uint64) {
	e.t.Helper()
	if _, err := e.b.ens.WaitLeader(ctxT(e.t, 20*time.Second)); err != nil {
		e.t.Fatal(err)
	}
	addr := e.b.ens.ClientAddr(id)
	e.mu.Lock()
	all := slices.Clone(e.sessions)
	e.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var stuck []string
		for _, s := range all {
			switch st := s.State(); {
			case st == zk.StateClosed || st == zk.StateExpired:
			case st != zk.StateConnected || s.Server() == addr:
				stuck = append(stuck, fmt.Sprintf("s%x:%v@%s", s.SessionID(), st, s.Server()))
			}
		}
		if len(stuck) == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("after n%d (%s) failed, sessions did not settle: %v", id, addr, stuck)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// connTo is the chrooted connection string that tries member id first.
func (e *env) connTo(id uint64) string {
	hosts := []string{e.b.ens.ClientAddr(id)}
	for _, other := range e.b.ens.IDs() {
		if other != id {
			hosts = append(hosts, e.b.ens.ClientAddr(other))
		}
	}
	return strings.Join(hosts, ",") + e.root
}

// isolate cuts member id off from the others (coordtui only).
func (e *env) isolate(id uint64) {
	e.b.ens.Links().Isolate(string(cluster.ServerID(id)))
}

// crash stops member id as kill -9 would (coordtui only).
func (e *env) crash(id uint64) {
	e.t.Helper()
	if err := e.b.ens.Crash(id); err != nil {
		e.t.Fatal(err)
	}
}

// leaderID returns the id of the current leader, waiting for one.
func (e *env) leaderID() uint64 {
	e.t.Helper()
	n, err := e.b.ens.WaitLeader(ctxT(e.t, 20*time.Second))
	if err != nil {
		e.t.Fatal(err)
	}
	return n.ID()
}

// follower returns the id of a member that is not the leader.
func (e *env) follower() uint64 {
	l := e.leaderID()
	for _, id := range e.b.ens.IDs() {
		if id != l && e.b.ens.Node(id) != nil {
			return id
		}
	}
	e.t.Fatal("no follower")
	return 0
}

// memberOf returns the id of the member s is connected to (coordtui only).
func (e *env) memberOf(s *Session) uint64 {
	e.t.Helper()
	addr := s.Server()
	for _, id := range e.b.ens.IDs() {
		if e.b.ens.ClientAddr(id) == addr {
			return id
		}
	}
	e.t.Fatalf("session %x is connected to %q, no member", s.SessionID(), addr)
	return 0
}
