package recipes

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// Two clients stepped through the lock one request at a time: the
// transcript is the lesson, and it is the same on coordtui and ZooKeeper.
func TestMutexStepped(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		if _, err := e.obs.Create(ctx, "/lock", nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
			t.Fatal(err)
		}
		s := newScript(t)
		m1 := NewMutex(e.session("c1", 4*time.Second), "/lock", s.opts("c1")...)
		m2 := NewMutex(e.session("c2", 4*time.Second), "/lock", s.opts("c2")...)
		got1 := async(func() (Token, error) { return m1.Acquire(ctx) })
		got2 := async(func() (Token, error) { return m2.Acquire(ctx) })
		s.steps(ctx, "c1", "c2", "c2", "c2") // create, create, children, watch
		s.waiting(ctx, "c2")
		s.step(ctx, "c1") // children: mine is first
		t1 := recv(t, got1, "c1 acquire")
		if v := m2.View(); v.Holds || base(v.Waits) != "l-0000000000" {
			t.Fatalf("c2's view: %v", v)
		}
		rel := async(func() (struct{}, error) { return struct{}{}, m1.Release(ctx) })
		s.step(ctx, "c1") // delete
		recv(t, rel, "c1 release")
		s.step(ctx, "c2") // children after waking
		t2 := recv(t, got2, "c2 acquire")
		if t2 <= t1 {
			t.Fatalf("tokens %v then %v: the second holder's must be newer", t1, t2)
		}
		rel = async(func() (struct{}, error) { return struct{}{}, m2.Release(ctx) })
		s.step(ctx, "c2")
		recv(t, rel, "c2 release")
		golden(t, "mutex_stepped.txt", masked(s.lines()))
	})
}

// Clients hammer one lock; the resource, not the test, checks that no two
// ever held it at once, and every acquisition's token is newer than the last.
func TestMutexExclusion(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 60*time.Second)
		res := NewProtectedResource("db")
		const clients, rounds = 4, 5
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for i := range clients {
			name := fmt.Sprintf("c%d", i+1)
			m := NewMutex(e.session(name, 4*time.Second), "/lock", WithName(name))
			wg.Go(func() {
				for r := range rounds {
					tok, err := m.Acquire(ctx)
					if err != nil {
						errs <- err
						return
					}
					if err := errors.Join(res.Enter(name, tok), res.Write(name, tok, fmt.Sprintf("%s round %d", name, r))); err != nil {
						errs <- err
						return
					}
					res.Exit(name, tok)
					if err := m.Release(ctx); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		s := res.Snapshot()
		if len(s.Violations) != 0 || s.Preempted != 0 || s.Refused != 0 || s.Accepted != 3*clients*rounds {
			t.Fatalf("%v\n%v", s, s.Violations)
		}
		var last Token
		for _, u := range s.Log {
			if u.What == "enter" {
				if u.Token <= last {
					t.Fatalf("token %v after %v: tokens must grow", u.Token, last)
				}
				last = u.Token
			}
		}
		if kids, _, err := e.obs.Children2(ctx, "/lock"); err != nil || len(kids) != 0 {
			t.Fatalf("left behind: %v %v", kids, err)
		}
	})
}

// A reentrant mutex counts its holder's acquisitions; a non-reentrant one
// makes its holder wait for itself.
func TestMutexReentrancy(t *testing.T) {
	e := newEnv(t, coordtui(t))
	ctx := ctxT(t, 30*time.Second)
	rec := NewRecorder()
	s1, s2 := e.session("c1", 4*time.Second), e.session("c2", 4*time.Second)

	m := NewMutex(s1, "/re", WithName("c1"), WithTracer(rec))
	other := NewMutex(s2, "/re", WithName("c2"), WithTracer(rec))
	t1, err := m.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if t2, err := m.Acquire(ctx); err != nil || t2 != t1 || m.View().Count != 2 {
		t.Fatalf("re-enter: %v %v %v", t2, err, m.View())
	}
	got := async(func() (Token, error) { return other.Acquire(ctx) })
	waiting(t, rec, "c2")
	if err := m.Release(ctx); err != nil || !m.Holding() {
		t.Fatalf("after one release of two: %v holding=%v", err, m.Holding())
	}
	if s, _ := lastDone(rec.Steps(), "c2"); !s.Wait {
		t.Fatalf("c2 moved on while c1 still held the lock: %v", s)
	}
	if err := m.Release(ctx); err != nil {
		t.Fatal(err)
	}
	recv(t, got, "c2 acquire")
	if err := m.Release(ctx); !errors.Is(err, ErrNotHeld) {
		t.Fatalf("release of nothing: %v", err)
	}
	other.Release(ctx)

	rec.Reset()
	n := NewNonReentrantMutex(s1, "/nr", WithName("c1"), WithTracer(rec))
	if _, err := n.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	again := async(func() (Token, error) { return n.Acquire(ctx) })
	w := waiting(t, rec, "c1")
	if w.Path != "/nr/l-0000000000" {
		t.Fatalf("the second acquire should wait for the first's node: %v", w)
	}
	if err := n.Release(ctx); err != nil {
		t.Fatal(err)
	}
	recv(t, again, "second acquire")
	if v := n.View(); !v.Holds || base(v.Node) != "l-0000000001" {
		t.Fatalf("%v", v)
	}
	n.Release(ctx)
}

// The fencing token keeps growing when the lock's parent is deleted and
// made again, though the sequence numbers start over.
func TestTokenOutlivesParent(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		m := NewMutex(e.session("c1", 4*time.Second), "/locks/a", WithName("c1"))
		t1, err := m.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n1 := m.View().Node
		m.Release(ctx)
		if err := e.obs.Delete(ctx, "/locks/a", -1); err != nil && !errors.Is(err, zk.ErrNoNode) {
			t.Fatal(err) // a container may already be reaped
		}
		t2, err := m.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n2 := m.View().Node; n2 != n1 || t2 <= t1 {
			t.Fatalf("first %s %v, then %s %v: same name, newer token expected", n1, t1, n2, t2)
		}
		m.Release(ctx)
	})
}

// flakyCreate loses the reply of the first create it forwards: the create
// happened, the client hears connection loss.
type flakyCreate struct {
	Client
	mu   sync.Mutex
	lost bool
}

func (f *flakyCreate) Create2(ctx context.Context, path string, data []byte, acl []zk.ACL, mode zk.CreateMode) (string, *zk.Stat, error) {
	p, st, err := f.Client.Create2(ctx, path, data, acl, mode)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil && !f.lost && mode.IsSequential() {
		f.lost = true
		return "", nil, zk.ErrConnectionLoss
	}
	return p, st, err
}

// A create whose reply was lost is found again, not repeated: no orphan
// node is left to block the queue.
func TestMutexProtectedCreate(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		f := &flakyCreate{Client: e.session("c1", 4*time.Second)}
		m := NewMutex(f, "/lock", WithName("c1"))
		if _, err := m.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		kids, _, err := e.obs.Children2(ctx, "/lock")
		if err != nil || len(kids) != 1 || !f.lost {
			t.Fatalf("children %v %v (reply lost: %v)", kids, err, f.lost)
		}
		if err := m.Release(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
