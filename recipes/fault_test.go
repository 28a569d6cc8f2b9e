package recipes

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// stateLog keeps every state change of a session.
type stateLog struct {
	mu  sync.Mutex
	evs []zk.StateEvent
}

func logStates(s *Session) *stateLog {
	l := &stateLog{}
	s.OnStateChange(func(ev zk.StateEvent) {
		l.mu.Lock()
		l.evs = append(l.evs, ev)
		l.mu.Unlock()
	})
	return l
}

func (l *stateLog) states() []zk.State {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []zk.State
	for _, ev := range l.evs {
		out = append(out, ev.State)
	}
	return out
}

// lockRecipes are the recipes that hand one client at a time something
// exclusive with a fencing token, as lockers.
var lockRecipes = []struct {
	name string
	mk   func(c Client, client string, tr Tracer) locker
}{
	{"mutex", func(c Client, client string, tr Tracer) locker {
		return NewMutex(c, "/x", WithName(client), WithTracer(tr))
	}},
	{"latch", func(c Client, client string, tr Tracer) locker {
		return latchLocker{NewLeaderLatch(c, "/x", client, WithName(client), WithTracer(tr))}
	}},
	{"write-lock", func(c Client, client string, tr Tracer) locker {
		return NewReadWriteLock(c, "/x", WithName(client), WithTracer(tr)).WriteLock()
	}},
	{"semaphore", func(c Client, client string, tr Tracer) locker {
		return &semLocker{s: NewSemaphore(c, "/x", 1, WithName(client), WithTracer(tr))}
	}},
	{"multi-lock", func(c Client, client string, tr Tracer) locker {
		return multiLocker{NewMultiLock(c, []string{"/x/b", "/x/a"}, WithName(client), WithTracer(tr))}
	}},
}

// semLocker is a one-lease semaphore as a locker.
type semLocker struct {
	s *Semaphore
	l *Lease
}

func (s *semLocker) Acquire(ctx context.Context) (Token, error) {
	l, err := s.s.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	s.l = l
	return l.Token, nil
}
func (s *semLocker) Release(ctx context.Context) error { return s.l.Release(ctx) }
func (s *semLocker) Holding() bool                     { return s.l != nil && s.l.Valid() }
func (s *semLocker) View() LockView                    { return s.s.View() }

// multiLocker is a multi-lock as a locker; its token is its first lock's.
type multiLocker struct{ *MultiLock }

func (m multiLocker) Acquire(ctx context.Context) (Token, error) {
	toks, err := m.MultiLock.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	return toks[0], nil
}
func (m multiLocker) View() LockView { return m.Locks()[0].View() }

type latchLocker struct{ *LeaderLatch }

func (l latchLocker) Acquire(ctx context.Context) (Token, error) { return l.Await(ctx) }
func (l latchLocker) Release(ctx context.Context) error          { return l.Close(ctx) }
func (l latchLocker) Holding() bool                              { return l.IsLeader() }

// A member crash or a partition while one client holds and another waits:
// the holder's session survives on another member and keeps what it holds
// (its fencing token is still the newest), the waiter keeps waiting, and
// after the release the waiter gets it with a newer token.
func TestLocksSurviveMemberFaults(t *testing.T) {
	faults := []struct {
		name  string
		on    func(e *env) uint64 // the member the holder connects to
		fault func(e *env, id uint64)
	}{
		{"crash c1's member (the leader)", func(e *env) uint64 { return e.leaderID() }, func(e *env, id uint64) { e.crash(id) }},
		{"isolate c1's member (a follower)", func(e *env) uint64 { return e.follower() }, func(e *env, id uint64) { e.isolate(id) }},
	}
	for _, r := range lockRecipes {
		for _, f := range faults {
			t.Run(r.name+"/"+f.name, func(t *testing.T) {
				e := newEnv(t, faultEnsemble(t))
				ctx := ctxT(t, 60*time.Second)
				res, rec := NewProtectedResource("db"), NewRecorder()
				// A member that is not serving at that moment (still settling
				// after the last test's faults) is skipped by the client, so
				// the victim is whichever member c1 ended up on.
				s1 := e.sessionTo(e.connTo(f.on(e)), 4*time.Second)
				victim := e.memberOf(s1)
				s2 := e.sessionTo(e.connTo(victim%3+1), 4*time.Second)
				states := logStates(s1)
				l1, l2 := r.mk(s1, "c1", rec), r.mk(s2, "c2", rec)
				t1, err := l1.Acquire(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := res.Enter("c1", t1); err != nil {
					t.Fatal(err)
				}
				got := async(func() (Token, error) { return l2.Acquire(ctx) })
				waiting(t, rec, "c2")

				f.fault(e, victim)
				e.settleAfter(victim)
				if !slices.Contains(states.states(), zk.StateSuspended) {
					t.Fatalf("c1 never noticed the fault: %v", states.states())
				}
				if m := e.memberOf(s1); m == victim {
					t.Fatalf("c1 is back on n%d, the member that failed", m)
				}
				if !l1.Holding() {
					t.Fatal("c1 lost what it held though its session survived")
				}
				if err := res.Write("c1", t1, "after the fault"); err != nil {
					t.Fatal(err)
				}
				if s, _ := lastDone(rec.Steps(), "c2"); !s.Wait {
					t.Fatalf("c2 moved on while c1 held: %v", s)
				}
				res.Exit("c1", t1)
				if err := l1.Release(ctx); err != nil {
					t.Fatal(err)
				}
				t2 := recv(t, got, "c2 acquire")
				if err := res.Enter("c2", t2); err != nil || t2 <= t1 {
					t.Fatalf("c2 token %v after %v: %v", t2, t1, err)
				}
				if s := res.Snapshot(); len(s.Violations) != 0 || s.Preempted != 0 {
					t.Fatalf("%v %v", s, s.Violations)
				}
			})
		}
	}
}

// suspendedClient reports a chosen state, to check what recipes claim while
// their connection is suspended.
type suspendedClient struct {
	Client
	state zk.State
}

func (s suspendedClient) State() zk.State { return s.state }

// While the connection is suspended a holder stops claiming the lock and a
// leader stops claiming leadership; once connected again, they do again.
func TestHoldersStopClaimingWhileSuspended(t *testing.T) {
	e := newEnv(t, coordtui(t))
	ctx := ctxT(t, 30*time.Second)
	for _, r := range lockRecipes {
		sc := &suspendedClient{Client: e.session("c1", 4*time.Second), state: zk.StateConnected}
		l := r.mk(sc, "c1", nil)
		if _, err := l.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			state zk.State
			holds bool
		}{{zk.StateConnected, true}, {zk.StateSuspended, false}, {zk.StateConnected, true}, {zk.StateExpired, false}} {
			sc.state = tc.state
			if got := l.Holding(); got != tc.holds {
				t.Errorf("%s while %v: holding=%v, want %v", r.name, tc.state, got, tc.holds)
			}
		}
		sc.state = zk.StateConnected
		if err := l.Release(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// A holder that crashes keeps what it holds until its session expires; then
// the next waiter gets it with a newer token, and the resource fences the
// dead holder out.
func TestLocksHolderCrash(t *testing.T) {
	for _, r := range lockRecipes {
		t.Run(r.name, func(t *testing.T) {
			both(t, func(t *testing.T, b backend) {
				e := newEnv(t, b)
				ctx := ctxT(t, 30*time.Second)
				res, rec := NewProtectedResource("db"), NewRecorder()
				s1 := e.session("c1", time.Second)
				l1, l2 := r.mk(s1, "c1", rec), r.mk(e.session("c2", 4*time.Second), "c2", rec)
				t1, err := l1.Acquire(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := res.Enter("c1", t1); err != nil {
					t.Fatal(err)
				}
				got := async(func() (Token, error) { return l2.Acquire(ctx) })
				waiting(t, rec, "c2")
				s1.Crash()
				t2 := recv(t, got, "c2 acquire after c1's crash")
				if err := res.Enter("c2", t2); err != nil || t2 <= t1 {
					t.Fatalf("token %v after %v: %v", t2, t1, err)
				}
				if err := res.Write("c1", t1, "late"); !errors.Is(err, ErrStaleToken) {
					t.Fatalf("the crashed holder's token: %v", err)
				}
				if s := res.Snapshot(); s.Preempted != 1 || len(s.Violations) != 0 {
					t.Fatalf("%v %v", s, s.Violations)
				}
				if l1.Holding() {
					t.Fatal("a crashed client still claims to hold")
				}
			})
		})
	}
}

// A holder paused past its session timeout loses what it holds without
// knowing; when it wakes its stale token is refused, it no longer claims to
// hold, and acquiring again on the dead session fails.
func TestLocksHolderExpiry(t *testing.T) {
	for _, r := range lockRecipes {
		t.Run(r.name, func(t *testing.T) {
			both(t, func(t *testing.T, b backend) {
				e := newEnv(t, b)
				ctx := ctxT(t, 30*time.Second)
				res, rec := NewProtectedResource("db"), NewRecorder()
				s1 := e.session("c1", time.Second)
				l1, l2 := r.mk(s1, "c1", rec), r.mk(e.session("c2", 4*time.Second), "c2", rec)
				t1, err := l1.Acquire(ctx)
				if err != nil {
					t.Fatal(err)
				}
				res.Enter("c1", t1)
				got := async(func() (Token, error) { return l2.Acquire(ctx) })
				waiting(t, rec, "c2")
				e.expire(s1, l1.View().Node)
				t2 := recv(t, got, "c2 acquire")
				if err := res.Enter("c2", t2); err != nil {
					t.Fatal(err)
				}
				if l1.Holding() {
					t.Fatal("expired holder still claims to hold")
				}
				if err := res.Write("c1", t1, "stale"); !errors.Is(err, ErrStaleToken) {
					t.Fatalf("stale write: %v", err)
				}
				if _, err := l1.Acquire(ctx); !errors.Is(err, ErrSessionLost) {
					t.Fatalf("acquire on an expired session: %v", err)
				}
			})
		})
	}
}
