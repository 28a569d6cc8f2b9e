package zk

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"coordtui/cluster/zk/zktest"
)

// One Apache ZooKeeper serves the whole package run (starting a JVM per
// test would cost most of the time budget). Each test works under its own
// top-level node. tickTime 500 ms allows session timeouts down to 1 s, which
// keeps the expiry tests short.
var shared struct {
	once sync.Once
	srv  *zktest.Server
	up   *zktest.Coordtui
	err  error
}

// The client's tests run twice: against Apache ZooKeeper 3.8 and against a
// coordtui ensemble (`coordtui up`, built from this module), so the same
// client behaviour is checked against both servers. The second run is this
// test binary again with backendEnv set; it cannot import cluster (which
// imports this package), so it talks to coordtui as any client would.
const backendEnv = "COORDTUI_ZK_BACKEND"

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Stop()
	}
	if shared.up != nil {
		shared.up.Stop()
	}
	if os.Getenv(backendEnv) == "" && code == 0 && !testing.Short() {
		code = zktest.RerunAgainstCoordtui(backendEnv)
	}
	os.Exit(code)
}

// onCoordtui reports whether this run's server is coordtui.
func onCoordtui() bool { return os.Getenv(backendEnv) == "coordtui" }

// apacheAddr returns the shared server's address, starting it on first use:
// Apache ZooKeeper, or coordtui in the second run. It skips the test when
// Apache ZooKeeper is not installed.
func apacheAddr(t testing.TB) string {
	t.Helper()
	if onCoordtui() {
		shared.once.Do(func() { shared.up, shared.err = zktest.StartCoordtui() })
		if shared.err != nil {
			t.Fatal(shared.err)
		}
		return shared.up.Addr
	}
	if err := zktest.Available(); err != nil {
		t.Skipf("Apache ZooKeeper not available: %v", err)
	}
	shared.once.Do(func() {
		shared.srv, shared.err = zktest.Start(zktest.Config{TickTime: 500 * time.Millisecond}, "")
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv.Addr
}

// testCtx bounds a test's calls so that a hang fails instead of stalling.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// connect opens a client and closes it at cleanup.
func connect(t testing.TB, connStr string, opts ...Option) *Client {
	t.Helper()
	c, err := Connect(testCtx(t), connStr, opts...)
	if err != nil {
		t.Fatalf("connect %s: %v", connStr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var rootSeq atomic.Int64

// testRoot creates a fresh top-level node named after the test (and a
// sequence number, so -count=N reruns on the shared server) and returns its
// path.
func testRoot(t testing.TB, c *Client) string {
	t.Helper()
	root := fmt.Sprintf("/%s-%d", strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()), rootSeq.Add(1))
	if _, err := c.Create(testCtx(t), root, nil, WorldACL(PermAll), ModePersistent); err != nil {
		t.Fatalf("create test root %s: %v", root, err)
	}
	return root
}

// mustOK fails the test on err.
func mustOK(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// log collects values from callbacks and lets a test wait, with a deadline,
// until what it collected satisfies a condition.
type log[T any] struct {
	mu      sync.Mutex
	items   []T
	changed chan struct{}
}

func newLog[T any]() *log[T] { return &log[T]{changed: make(chan struct{})} }

func (l *log[T]) add(x T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, x)
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *log[T]) snapshot() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]T(nil), l.items...)
}

// waitFor waits until cond holds for the items collected so far and returns
// them; it fails the test after timeout.
func (l *log[T]) waitFor(t testing.TB, timeout time.Duration, what string, cond func([]T) bool) []T {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		items, changed := append([]T(nil), l.items...), l.changed
		l.mu.Unlock()
		if cond(items) {
			return items
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for %s; have %v", timeout, what, items)
		}
	}
}

// waitState waits until the client reaches want.
func waitState(t testing.TB, c *Client, want State, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		st, changed := c.state, c.changed
		c.mu.Unlock()
		if st == want {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for state %v; state is %v", timeout, want, st)
		}
	}
}

// recvEvent waits for one event on a one-shot watch channel.
func recvEvent(t testing.TB, ch <-chan WatchEvent, timeout time.Duration) WatchEvent {
	t.Helper()
	if ch == nil {
		t.Fatal("no watch channel")
	}
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("watch channel closed without an event")
		}
		return ev
	case <-time.After(timeout):
		t.Fatalf("no watch event within %v", timeout)
	}
	return WatchEvent{}
}

// reconnected reports whether the state log shows a reconnect after a
// suspension.
func reconnected(evs []StateEvent) bool {
	for _, ev := range evs {
		if ev.State == StateConnected && ev.Previous == StateSuspended {
			return true
		}
	}
	return false
}

// waitUntil polls cond until it holds, failing the test after timeout. For
// client-internal state that has no change signal.
func waitUntil(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		<-tick.C
	}
}

func queued(c *Client) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.outq)
}

func stateChanges(evs []StateEvent) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Previous.String()+"->"+ev.State.String())
	}
	return out
}

func hasState(s State) func([]StateEvent) bool {
	return func(evs []StateEvent) bool {
		for _, ev := range evs {
			if ev.State == s {
				return true
			}
		}
		return false
	}
}
