package worker

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"coordtui/cluster/clustertest"
	"coordtui/cluster/zk"
)

func ensemble(t *testing.T) string { return clustertest.Shared(t) }

func TestMain(m *testing.M) {
	code := m.Run()
	clustertest.Close()
	os.Exit(code)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newPool returns a pool under a root of the test's own, an observer
// session, and a recorder of every change.
func newPool(t *testing.T, timeout time.Duration) (*Pool, *zk.Client, *recorder) {
	t.Helper()
	conn := ensemble(t)
	obs, err := zk.Connect(testCtx(t), conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { obs.Close() })
	root := "/" + strings.ReplaceAll(t.Name(), "/", "_")
	p := NewPool(Config{ConnString: conn, Root: root, SessionTimeout: timeout, Observer: obs})
	rec := record(p)
	t.Cleanup(func() { p.Close() })
	return p, obs, rec
}

// recorder keeps every change a subscription delivers.
type recorder struct {
	mu      sync.Mutex
	changes []Change
	more    chan struct{}
}

func record(p *Pool) *recorder {
	r := &recorder{more: make(chan struct{}, 1)}
	sub := p.Subscribe(1024)
	go func() {
		for c := range sub.C() {
			r.mu.Lock()
			r.changes = append(r.changes, c)
			r.mu.Unlock()
			select {
			case r.more <- struct{}{}:
			default:
			}
		}
	}()
	return r
}

// states lists the distinct successive states worker name went through.
func (r *recorder) states(name string) []State {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []State
	for _, c := range r.changes {
		if c.Info.Name == name && (len(out) == 0 || out[len(out)-1] != c.Info.State) {
			out = append(out, c.Info.State)
		}
	}
	return out
}

// waitStates waits until worker name has been through want, in order.
func (r *recorder) waitStates(t *testing.T, name string, want ...State) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if got := r.states(name); slices.Equal(got, want) {
			return
		}
		select {
		case <-r.more:
		case <-deadline:
			t.Fatalf("%s went through %v, want %v", name, r.states(name), want)
		}
	}
}

// waitLast waits until worker name's latest state is want.
func (r *recorder) waitLast(t *testing.T, name string, want State) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if got := r.states(name); len(got) > 0 && got[len(got)-1] == want {
			return
		}
		select {
		case <-r.more:
		case <-deadline:
			t.Fatalf("%s went through %v, want it to end %s", name, r.states(name), want)
		}
	}
}

// exists reads path through the observer after a sync, so the answer is
// not stale whichever member the observer is connected to.
func exists(t *testing.T, obs *zk.Client, path string) bool {
	t.Helper()
	ctx := testCtx(t)
	if _, err := obs.Sync(ctx, path); err != nil {
		t.Fatal(err)
	}
	st, err := obs.Exists(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	return st != nil
}

// waitGone waits for path to be deleted, watching it from obs.
func waitGone(t *testing.T, obs *zk.Client, path string) {
	t.Helper()
	st, ch, err := obs.ExistsW(testCtx(t), path)
	if err != nil {
		t.Fatal(err)
	}
	if st == nil {
		return
	}
	select {
	case ev := <-ch:
		if ev.Type != zk.EventNodeDeleted {
			t.Fatalf("%s: %v", path, ev)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%s still there", path)
	}
}
