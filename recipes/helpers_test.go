package recipes

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/zk"
	"coordtui/cluster/zk/zktest"
)

var rewrite = flag.Bool("rewrite", false, "re-record testdata transcripts")

// One in-process ensemble and one Apache ZooKeeper serve the package run;
// each test works under a chroot of its own. Tests that crash or cut members
// start an ensemble of their own (faultEnsemble).
var shared struct {
	ensOnce sync.Once
	ens     *cluster.Ensemble
	ensErr  error

	faultOnce sync.Once
	fault     *cluster.Ensemble
	faultErr  error

	zkOnce sync.Once
	zk     *zktest.Server
	zkErr  error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if shared.ens != nil {
		shared.ens.Close()
	}
	if shared.fault != nil {
		shared.fault.Close()
	}
	if shared.zk != nil {
		shared.zk.Stop()
	}
	os.Exit(code)
}

// backend is an ensemble the recipes run against.
type backend struct {
	name string
	conn string
	ens  *cluster.Ensemble // nil for Apache ZooKeeper
}

func newEnsemble() (*cluster.Ensemble, error) {
	e, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: 3, Timing: cluster.TestTiming,
		Sessions: cluster.SessionConfig{TickTime: 200 * time.Millisecond},
		Client:   &cluster.ServerConfig{FourLetterWords: []string{"*"}}})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := e.WaitLeader(ctx); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func coordtui(t testing.TB) backend {
	t.Helper()
	shared.ensOnce.Do(func() { shared.ens, shared.ensErr = newEnsemble() })
	if shared.ensErr != nil {
		t.Fatal(shared.ensErr)
	}
	return backend{name: "coordtui", conn: shared.ens.ConnString(), ens: shared.ens}
}

// apache returns the shared Apache ZooKeeper 3.8, skipping the test with a
// message when it is not installed. tickTime 500 ms allows 1 s sessions.
func apache(t testing.TB) backend {
	t.Helper()
	if err := zktest.Available(); err != nil {
		t.Skipf("Apache ZooKeeper not available: %v", err)
	}
	shared.zkOnce.Do(func() {
		shared.zk, shared.zkErr = zktest.Start(zktest.Config{TickTime: 500 * time.Millisecond}, "")
	})
	if shared.zkErr != nil {
		t.Fatal(shared.zkErr)
	}
	return backend{name: "zookeeper", conn: shared.zk.Addr}
}

// faultEnsemble returns the package's second ensemble, the one tests crash
// and partition; at the test's end every member is restarted and every link
// healed, and a leader is waited for.
func faultEnsemble(t testing.TB) backend {
	t.Helper()
	shared.faultOnce.Do(func() { shared.fault, shared.faultErr = newEnsemble() })
	if shared.faultErr != nil {
		t.Fatal(shared.faultErr)
	}
	e := shared.fault
	t.Cleanup(func() {
		e.Links().HealAll()
		for _, id := range e.IDs() {
			if e.Node(id) == nil {
				if err := e.Restart(id); err != nil {
					t.Errorf("restart n%d: %v", id, err)
				}
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := e.WaitLeader(ctx); err != nil {
			t.Errorf("after the test: %v", err)
		}
	})
	return backend{name: "coordtui", conn: e.ConnString(), ens: e}
}

// both runs fn against coordtui and against Apache ZooKeeper.
func both(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Run("coordtui", func(t *testing.T) { fn(t, coordtui(t)) })
	t.Run("zookeeper", func(t *testing.T) { fn(t, apache(t)) })
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

var chrootSeq atomic.Int64

// env is one test's world: a chroot on a backend, so paths and transcripts
// are the same on every run and every backend.
type env struct {
	t    testing.TB
	b    backend
	conn string // with the chroot
	root string
	obs  *Session // an observer session, in the chroot

	mu       sync.Mutex
	sessions []*Session
}

func newEnv(t testing.TB, b backend) *env {
	t.Helper()
	root := fmt.Sprintf("/%s-%d", strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()), chrootSeq.Add(1))
	c, err := zk.Connect(ctxT(t, 20*time.Second), b.conn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctxT(t, 10*time.Second), root, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	c.Close()
	e := &env{t: t, b: b, conn: b.conn + root, root: root}
	e.obs = e.session("observer", time.Second)
	return e
}

// session opens a session in the chroot with the given timeout and closes
// it at cleanup. hosts reorders the members it tries (coordtui only).
func (e *env) session(name string, timeout time.Duration, opts ...zk.Option) *Session {
	e.t.Helper()
	return e.sessionTo(e.conn, timeout, opts...)
}

func (e *env) sessionTo(conn string, timeout time.Duration, opts ...zk.Option) *Session {
	e.t.Helper()
	opts = append([]zk.Option{zk.WithSessionTimeout(timeout)}, opts...)
	s, err := Connect(ctxT(e.t, 20*time.Second), conn, opts...)
	if err != nil {
		e.t.Fatalf("connect %s: %v", conn, err)
	}
	e.t.Cleanup(func() { s.Close() })
	e.mu.Lock()
	e.sessions = append(e.sessions, s)
	e.mu.Unlock()
	return s
}

// expire freezes s until the observer sees node (one of s's ephemerals)
// deleted by the session's expiry, then thaws s and waits until s knows.
func (e *env) expire(s *Session, node string) {
	e.t.Helper()
	ctx := ctxT(e.t, 30*time.Second)
	s.Freeze()
	st, ch, err := e.obs.ExistsW(ctx, node)
	if err != nil {
		s.Thaw()
		e.t.Fatal(err)
	}
	if st != nil {
		select {
		case ev := <-ch:
			if ev.Type != zk.EventNodeDeleted {
				e.t.Fatalf("watching %s: %v", node, ev)
			}
		case <-ctx.Done():
			e.t.Fatalf("%s outlived its session's timeout", node)
		}
	}
	s.Thaw()
	waitState(e.t, s, zk.StateExpired)
}
