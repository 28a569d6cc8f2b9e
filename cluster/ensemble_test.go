package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"coordtui/tree"
)

func TestWritesOnEveryMemberReadYourWrites(t *testing.T) {
	e := testEnsemble(t, 3)
	for _, n := range e.Nodes() {
		path := fmt.Sprintf("/from-n%d", n.ID())
		a := mustWrite(t, n, 0, create(path, "hello"))
		if a.Result.Err != tree.OK || a.Result.Path != path {
			t.Fatalf("n%d create: %v %q", n.ID(), a.Result.Err, a.Result.Path)
		}
		// Answered only after this member applied it: the read is local.
		if got, err := getData(n, path); err != nil || got != "hello" {
			t.Fatalf("n%d reads its own write: %q %v", n.ID(), got, err)
		}
	}
	eventually(t, 10*time.Second, "members converge", func() bool { return converged(e) })
}

func TestZxidEpochIsRaftTermAndFailedWritesConsumeOne(t *testing.T) {
	e := testEnsemble(t, 3)
	l := waitLeader(t, e)
	a1 := mustWrite(t, l, 0, create("/z", ""))
	a2 := mustWrite(t, l, 0, create("/z", "")) // NODEEXISTS still takes a zxid
	if a2.Result.Err != tree.ErrNodeExists {
		t.Fatalf("second create: %v", a2.Result.Err)
	}
	if a2.Txn.Zxid != a1.Txn.Zxid+1 {
		t.Fatalf("zxids %s then %s: a failed write must consume the next zxid", a1.Txn.Zxid, a2.Txn.Zxid)
	}
	if got, want := a1.Txn.Zxid.Epoch(), uint32(l.Status().Term); got != want {
		t.Fatalf("epoch %d, raft term %d", got, want)
	}
}

func TestCrashAndRestartLoseNoAcknowledgedWrite(t *testing.T) {
	e := testEnsemble(t, 3)
	var acked []string
	write := func(tag string) {
		n := e.Nodes()[0]
		for i := range 5 {
			p := fmt.Sprintf("/%s-%d", tag, i)
			mustWrite(t, n, 0, create(p, tag))
			acked = append(acked, p)
		}
	}
	write("before")

	leader := waitLeader(t, e)
	var follower uint64
	for _, n := range e.Nodes() {
		if n != leader {
			follower = n.ID()
			break
		}
	}
	if err := e.Crash(follower); err != nil {
		t.Fatal(err)
	}
	write("follower-down")
	if err := e.Restart(follower); err != nil {
		t.Fatal(err)
	}

	old := leader.ID()
	if err := e.Crash(old); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "a new leader", func() bool { l := e.Leader(); return l != nil && l.ID() != old })
	write("leader-down")
	if err := e.Restart(old); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "members converge after restarts: "+digests(e), func() bool {
		return len(e.Nodes()) == 3 && converged(e)
	})
	for _, n := range e.Nodes() {
		for _, p := range acked {
			if _, err := getData(n, p); err != nil {
				t.Errorf("n%d lost acknowledged %s: %v", n.ID(), p, err)
			}
		}
	}
}

func TestSessionExpiryRemovesEphemeralsEverywhere(t *testing.T) {
	e := testEnsemble(t, 3)
	n := e.Nodes()[1]
	s, err := n.CreateSession(ctxT(t, 10*time.Second), 0) // clamps up to 2 ticks
	if err != nil {
		t.Fatal(err)
	}
	if s.Timeout != 400 {
		t.Fatalf("negotiated %d ms, want the 2-tick minimum 400", s.Timeout)
	}
	eph := tree.Op{Type: tree.OpCreate, Path: "/eph", ACL: tree.OpenACL, Flags: tree.Ephemeral}
	mustWrite(t, n, s.ID, eph)
	eventually(t, 10*time.Second, "ephemeral everywhere", func() bool {
		for _, m := range e.Nodes() {
			if _, err := getData(m, "/eph"); err != nil {
				return false
			}
		}
		return true
	})
	// Nobody touches the session: the leader expires it.
	eventually(t, 10*time.Second, "ephemeral gone on every member after expiry", func() bool {
		for _, m := range e.Nodes() {
			if _, err := getData(m, "/eph"); !errors.Is(err, tree.ErrNoNode) {
				return false
			}
		}
		return true
	})
	a, err := n.Write(ctxT(t, 10*time.Second), s.ID, nil, eph)
	if err != nil || a.Result.Err != tree.ErrSessionExpired {
		t.Fatalf("write on the expired session: %v %v", err, a.Result.Err)
	}
}

func TestPingingSessionSurvivesLeaderFailover(t *testing.T) {
	e := testEnsemble(t, 3)
	leader := waitLeader(t, e)
	var home *Node
	for _, n := range e.Nodes() {
		if n != leader {
			home = n
			break
		}
	}
	s, err := home.CreateSession(ctxT(t, 10*time.Second), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, home, s.ID, tree.Op{Type: tree.OpCreate, Path: "/alive", ACL: tree.OpenACL, Flags: tree.Ephemeral})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // the client's pings, a third of the timeout apart
		defer close(done)
		tk := time.NewTicker(600 * time.Millisecond)
		defer tk.Stop()
		for {
			home.Touch(s.ID)
			select {
			case <-stop:
				return
			case <-tk.C:
			}
		}
	}()
	defer func() { close(stop); <-done }()
	if err := e.Crash(leader.ID()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "a new leader", func() bool { l := e.Leader(); return l != nil && l.ID() != leader.ID() })
	// Several timeouts pass under the new leader; the session stays.
	deadline := time.Now().Add(3 * time.Duration(s.Timeout) * time.Millisecond)
	for time.Now().Before(deadline) {
		if _, err := getData(home, "/alive"); err != nil {
			t.Fatalf("the pinging session's ephemeral vanished: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSlowMotionKeepsTheLeaderAndWrites(t *testing.T) {
	e := testEnsemble(t, 3)
	l := waitLeader(t, e)
	if err := e.SetSpeed(0.5); err == nil {
		t.Fatal("a speed below 1 was accepted")
	}
	if err := e.SetSpeed(4); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, e.Nodes()[0], 0, create("/slow", ""))
	if got := waitLeader(t, e); got != l {
		t.Fatalf("slowing down changed the leader: n%d -> n%d", l.ID(), got.ID())
	}
	if err := e.SetSpeed(1); err != nil {
		t.Fatal(err)
	}
	if e.Speed() != 1 {
		t.Fatalf("speed %g", e.Speed())
	}
}

func TestLeaderKnowsWhenSessionsWereLastHeard(t *testing.T) {
	e := testEnsemble(t, 3)
	l := waitLeader(t, e)
	s, err := l.CreateSession(ctxT(t, 10*time.Second), 4*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the leader tracks the session", func() bool {
		for _, si := range l.Sessions() {
			if si.ID == s.ID && !si.LastHeard.IsZero() && si.Expires.After(si.LastHeard) {
				return true
			}
		}
		return false
	})
}

// neverFuture is a raft future nobody answers, as hashicorp/raft leaves an
// Apply still queued for its leader loop when it shuts down.
type neverFuture struct{}

func (neverFuture) Error() error { select {} }

// A member stops even while its writes wait on futures raft will never
// answer; a write answered as it stops keeps its answer.
func TestCloseGivesUpWaitsRaftAbandoned(t *testing.T) {
	n := &Node{stop: make(chan struct{})}
	got := make(chan error, 1)
	go func() { got <- n.await(neverFuture{}) }()
	close(n.stop)
	select {
	case err := <-got:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("abandoned wait ended with %v, want ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a wait on an abandoned future outlived the member")
	}
}

// Crashing the leader in the middle of a burst of writes returns: no write
// in flight keeps the member from stopping.
func TestCrashUnderWriteLoad(t *testing.T) {
	e := testEnsemble(t, 3)
	for round := range 4 {
		leader := waitLeader(t, e)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var acked atomic.Int64
		for w := range 16 {
			wg.Go(func() {
				for i := 0; ctx.Err() == nil; i++ {
					wctx, wcancel := context.WithTimeout(ctx, time.Second)
					if _, err := leader.Write(wctx, 0, nil, create(fmt.Sprintf("/r%d-w%d-%d", round, w, i), "x")); err == nil {
						acked.Add(1)
					}
					wcancel()
				}
			})
		}
		eventually(t, 10*time.Second, "writes under way", func() bool { return acked.Load() > 50 })
		done := make(chan error, 1)
		go func() { done <- e.Crash(leader.ID()) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: crashing the leader under load did not return", round)
		}
		cancel()
		wg.Wait()
		if err := e.Restart(leader.ID()); err != nil {
			t.Fatal(err)
		}
	}
}

// Two processes on one member's data dir: the second is refused, saying
// why, instead of waiting on the store's lock forever.
func TestSecondNodeOnADataDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{ID: 1, Dir: dir, Listener: l, Bootstrap: true, Timing: TestTiming, Peers: []Peer{{ID: 1, Addr: l.Addr().String()}}}
	n, err := StartNode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	cfg.Listener = nil
	cfg.Addr = "127.0.0.1:0"
	_, err = StartNode(cfg)
	if err == nil || !strings.Contains(err.Error(), "locked: another process runs this member") {
		t.Fatalf("second node on %s: %v", dir, err)
	}
}
