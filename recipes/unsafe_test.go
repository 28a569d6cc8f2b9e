package recipes

import (
	"context"
	"errors"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/faultnet"
	"coordtui/cluster/zk"
)

// Both candidates check before either creates: both find no leader and both
// lead. LeaderLatch under the same interleaving (both act before either
// looks) elects one.
func TestUnsafeCheckThenCreateTwoLeaders(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		for _, p := range []string{"/election", "/latch"} {
			if _, err := e.obs.Create(ctx, p, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
				t.Fatal(err)
			}
		}
		s := newScript(t)
		c1 := NewUnsafeCheckThenCreateElection(e.session("c1", 4*time.Second), "/election", "c1", s.opts("c1")...)
		c2 := NewUnsafeCheckThenCreateElection(e.session("c2", 4*time.Second), "/election", "c2", s.opts("c2")...)
		won1 := async(func() (Token, error) { return c1.Campaign(ctx) })
		won2 := async(func() (Token, error) { return c2.Campaign(ctx) })
		s.steps(ctx, "c1", "c2", "c1", "c2") // check, check, create, create
		recv(t, won1, "c1 campaign")
		recv(t, won2, "c2 campaign")
		if !c1.IsLeader() || !c2.IsLeader() {
			t.Fatalf("the interleaving should break it: c1 leads=%v c2 leads=%v", c1.IsLeader(), c2.IsLeader())
		}
		golden(t, "unsafe_check_then_create.txt", masked(s.lines()))

		safe := newScript(t)
		l1 := NewLeaderLatch(e.session("c1", 4*time.Second), "/latch", "c1", safe.opts("c1")...)
		l2 := NewLeaderLatch(e.session("c2", 4*time.Second), "/latch", "c2", safe.opts("c2")...)
		lead1 := async(func() (Token, error) { return l1.Await(ctx) })
		lead2 := async(func() (Token, error) { return l2.Await(ctx) })
		safe.steps(ctx, "c1", "c2", "c1", "c2", "c2") // create, create, look, look, watch
		recv(t, lead1, "c1 await")
		safe.waiting(ctx, "c2")
		if !l1.IsLeader() || l2.IsLeader() {
			t.Fatalf("latch: c1 leads=%v c2 leads=%v", l1.IsLeader(), l2.IsLeader())
		}
		select {
		case r := <-lead2:
			t.Fatalf("c2 returned from Await while c1 leads: %v", r)
		default:
		}
		golden(t, "safe_latch_same_interleaving.txt", masked(safe.lines()))
	})
}

// A peer that is only slow looks dead to the others: after c1 leads and
// pauses, c2's second round finds c1's beat unchanged and takes over while
// c1 still believes it leads. LeaderLatch under the same pause: c2 waits as
// long as c1's session lives.
func TestUnsafeHeartbeatTwoLeaders(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		s := newScript(t)
		h1 := NewUnsafeHeartbeatElection(e.session("c1", 4*time.Second), "/hb", "c1", s.opts("c1")...)
		h2 := NewUnsafeHeartbeatElection(e.session("c2", 4*time.Second), "/hb", "c2", s.opts("c2")...)
		loopCtx, stop := context.WithCancel(ctx)
		defer stop()
		d1, d2 := rounds(loopCtx, h1), rounds(loopCtx, h2)
		if got := s.round(ctx, "c1", d1); got != "c1" {
			t.Fatalf("c1's first round: %s leads", got)
		}
		if got := s.round(ctx, "c2", d2); got != "c1" {
			t.Fatalf("c2's first round: %s leads", got)
		}
		// c1 pauses (is not stepped); c2 goes round again.
		if got := s.round(ctx, "c2", d2); got != "c2" {
			t.Fatalf("c2's second round: %s leads", got)
		}
		if !h1.IsLeader() || !h2.IsLeader() {
			t.Fatalf("c1 leads=%v c2 leads=%v: the pause should make two leaders", h1.IsLeader(), h2.IsLeader())
		}
		golden(t, "unsafe_heartbeat.txt", s.lines())

		safe := newScript(t)
		l1 := NewLeaderLatch(e.session("c1", 4*time.Second), "/latch", "c1", safe.opts("c1")...)
		l2 := NewLeaderLatch(e.session("c2", 4*time.Second), "/latch", "c2", safe.opts("c2")...)
		lead1 := async(func() (Token, error) { return l1.Await(ctx) })
		async(func() (Token, error) { return l2.Await(ctx) })
		safe.stepUntil(ctx, "c1", leads)
		recv(t, lead1, "c1 await")
		safe.stepUntil(ctx, "c2", waits) // c1 pauses; c2 takes every step it can
		if p, ok := safe.g.PendingFor("c2"); ok {
			t.Fatalf("c2 has a step to take while c1 leads: %v", p)
		}
		if !l1.IsLeader() || l2.IsLeader() {
			t.Fatalf("latch: c1 leads=%v c2 leads=%v", l1.IsLeader(), l2.IsLeader())
		}
	})
}

// rounds runs heartbeat rounds until ctx ends and reports each decision.
func rounds(ctx context.Context, h *UnsafeHeartbeatElection) <-chan string {
	ch := make(chan string, 16)
	go func() {
		for {
			leader, err := h.Round(ctx)
			if err != nil {
				return
			}
			ch <- leader
		}
	}()
	return ch
}

// round steps client until it reports a decision on decided, and returns it.
func (s *script) round(ctx context.Context, client string, decided <-chan string) string {
	s.t.Helper()
	for {
		s.step(ctx, client)
		// The decision is sent before the next round asks the gate, so
		// once the client waits at the gate again it is there if made.
		if _, err := s.g.Next(ctx, client); err != nil {
			s.t.Fatal(err)
		}
		select {
		case d := <-decided:
			return d
		default:
		}
	}
}

// stepUntil steps client until its last finished step satisfies cond.
func (s *script) stepUntil(ctx context.Context, client string, cond func(Step) bool) {
	s.t.Helper()
	for {
		// Wait until the client either has a step held or meets cond.
		for {
			s.mu.Lock()
			last, _ := lastDone(s.stepsLocked(), client)
			more := s.more
			s.mu.Unlock()
			if cond(last) {
				return
			}
			if _, ok := s.g.PendingFor(client); ok {
				break
			}
			select {
			case <-more:
			case <-s.g.Changed():
			case <-ctx.Done():
				s.t.Fatalf("%s: neither a step nor the goal (last: %v)", client, last)
			}
		}
		s.step(ctx, client)
	}
}

func (s *script) stepsLocked() []Step {
	out := make([]Step, len(s.recs))
	for i, r := range s.recs {
		out[i] = r.step
	}
	return out
}

func leads(s Step) bool { return s.Kind == KindState }
func waits(s Step) bool { return s.Wait && s.Phase == Done }

// A holder paused past its session wakes believing it still holds the lock
// and writes: without fencing its stale write is accepted over the new
// holder's; with Mutex's token the protected resource refuses it.
func TestUnsafeUnfencedLockStaleWrite(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)

		unfenced := NewUnsafeUnfencedResource("db")
		s1 := e.session("c1", time.Second)
		u1 := NewUnsafeUnfencedLock(s1, "/u", WithName("c1"))
		u2 := NewUnsafeUnfencedLock(e.session("c2", 4*time.Second), "/u", WithName("c2"))
		if err := u1.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		if !u1.Holding() {
			t.Fatal("c1 does not hold")
		}
		unfenced.Enter("c1", 0) // checked Holding, about to write ... and pauses
		e.expire(s1, u1.View().Node)
		if err := u2.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		unfenced.Enter("c2", 0)
		unfenced.Write("c2", 0, "balance=100")
		if err := unfenced.Write("c1", 0, "balance=0"); err != nil {
			t.Fatalf("the unfenced resource refused: %v", err)
		}
		if snap := unfenced.Snapshot(); len(snap.Violations) == 0 || snap.Log[len(snap.Log)-1].What != "write balance=0" {
			t.Fatalf("the break should show: %v %v", snap, snap.Violations)
		}

		fenced := NewProtectedResource("db")
		s3 := e.session("c1", time.Second)
		m1 := NewMutex(s3, "/m", WithName("c1"))
		m2 := NewMutex(e.session("c2", 4*time.Second), "/m", WithName("c2"))
		t1, err := m1.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fenced.Enter("c1", t1)
		e.expire(s3, m1.View().Node)
		t2, err := m2.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fenced.Enter("c2", t2)
		fenced.Write("c2", t2, "balance=100")
		if err := fenced.Write("c1", t1, "balance=0"); !errors.Is(err, ErrStaleToken) {
			t.Fatalf("the fenced resource took the stale write: %v", err)
		}
		if snap := fenced.Snapshot(); len(snap.Violations) != 0 || snap.Refused != 1 {
			t.Fatalf("%v %v", snap, snap.Violations)
		}
		if err := m1.Release(ctx); !errors.Is(err, ErrSessionLost) {
			t.Fatalf("release after expiry: %v", err)
		}
	})
}

// A follower that has not yet applied a write answers a read with the old
// value though the writer was told "done"; sync first and the read waits
// for the follower to catch up.
func TestUnsafeFollowerRead(t *testing.T) {
	e := newEnv(t, faultEnsemble(t))
	ctx := ctxT(t, 30*time.Second)
	leader := e.leaderID()
	writer := e.sessionTo(e.connTo(leader), 4*time.Second)
	if _, err := writer.Create(ctx, "/config", []byte("v1"), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	reader := e.sessionTo(e.connTo(e.follower()), 4*time.Second)
	lagging := e.memberOf(reader)
	if lagging == leader {
		t.Skip("the reader landed on the leader")
	}
	// The reader's own session must have seen v1.
	if got, _, err := reader.Get(ctx, "/config"); err != nil || string(got) != "v1" {
		t.Fatalf("%q %v", got, err)
	}
	links := e.b.ens.Links()
	from, to := string(cluster.ServerID(leader)), string(cluster.ServerID(lagging))
	links.Set(from, to, faultnet.Fault{Hold: true})
	defer links.Set(from, to, faultnet.Fault{})
	if _, err := writer.Set(ctx, "/config", []byte("v2"), -1); err != nil {
		t.Fatal(err)
	}
	stale, _, err := UnsafeReadWithoutSync(ctx, reader, "/config")
	if err != nil || string(stale) != "v1" {
		t.Fatalf("read on the lagging follower: %q %v; want the stale v1", stale, err)
	}
	latest := async(func() ([]byte, error) {
		d, _, err := ReadLatest(ctx, reader, "/config")
		return d, err
	})
	select {
	case r := <-latest:
		t.Fatalf("sync returned before the follower could catch up: %q %v", r.v, r.err)
	default:
	}
	links.Set(from, to, faultnet.Fault{})
	if got := recv(t, latest, "read after sync"); string(got) != "v2" {
		t.Fatalf("after sync: %q", got)
	}
}
