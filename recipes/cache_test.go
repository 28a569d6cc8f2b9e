package recipes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// paths lists cached nodes as "path=data".
func paths(ns []CachedNode) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Path+"="+string(n.Data))
	}
	return out
}

func waitCache(t testing.TB, c *Cache, want ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitFor(ctx, func(ns []CachedNode) bool { return slices.Equal(paths(ns), want) }); err != nil {
		t.Fatalf("cache %v, want %v: %v", paths(c.Nodes()), want, err)
	}
}

// The three caches follow creates, changes and deletes at their depth, with
// persistent watches and with one-shot ones, and their listeners hear each
// change.
func TestCaches(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		for _, mode := range []struct {
			name string
			opts []Option
		}{{"persistent", nil}, {"one-shot", []Option{WithOneShotWatches()}}} {
			t.Run(mode.name, func(t *testing.T) {
				e := newEnv(t, b)
				ctx := ctxT(t, 30*time.Second)
				w := e.obs
				mk := func(p, d string) {
					if _, err := w.Create(ctx, p, []byte(d), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
						t.Fatal(err)
					}
				}
				mk("/app", "a0")
				mk("/app/x", "x0")
				s := e.session("cache", 4*time.Second)
				node := NewNodeCache(s, "/app", mode.opts...)
				kids := NewChildrenCache(s, "/app", mode.opts...)
				tree := NewTreeCache(s, "/app", mode.opts...)
				var mu sync.Mutex
				var events []string
				stop := kids.Listen(func(ev CacheEvent) {
					mu.Lock()
					events = append(events, ev.String())
					mu.Unlock()
				})
				for _, c := range []*Cache{node, kids, tree} {
					if err := c.Start(ctx); err != nil {
						t.Fatal(err)
					}
					defer c.Close()
					if c.OneShot() != (mode.name == "one-shot") {
						t.Fatalf("one-shot %v in %s mode", c.OneShot(), mode.name)
					}
				}
				waitCache(t, node, "/app=a0")
				waitCache(t, kids, "/app=a0", "/app/x=x0")
				waitCache(t, tree, "/app=a0", "/app/x=x0")

				mk("/app/y", "y0")
				mk("/app/x/deep", "d0")
				w.Set(ctx, "/app", []byte("a1"), -1)
				w.Set(ctx, "/app/x", []byte("x1"), -1)
				waitCache(t, node, "/app=a1")
				waitCache(t, kids, "/app=a1", "/app/x=x1", "/app/y=y0")
				waitCache(t, tree, "/app=a1", "/app/x=x1", "/app/x/deep=d0", "/app/y=y0")

				w.Delete(ctx, "/app/x/deep", -1)
				w.Delete(ctx, "/app/x", -1)
				waitCache(t, kids, "/app=a1", "/app/y=y0")
				waitCache(t, tree, "/app=a1", "/app/y=y0")
				w.Delete(ctx, "/app/y", -1)
				w.Delete(ctx, "/app", -1)
				waitCache(t, node)
				waitCache(t, tree)
				mk("/app", "again")
				waitCache(t, node, "/app=again")
				waitCache(t, tree, "/app=again")
				stop()
				mu.Lock()
				defer mu.Unlock()
				want := []string{"added /app (2 bytes)", "added /app/x (2 bytes)", "added /app/y (2 bytes)",
					"updated /app (2 bytes)", "updated /app/x (2 bytes)", "removed /app/x (2 bytes)"}
				for _, w := range want {
					if !slices.Contains(events, w) {
						t.Fatalf("listener missed %q: %v", w, events)
					}
				}
				if slices.ContainsFunc(events, func(s string) bool { return strings.Contains(s, "deep") }) {
					t.Fatalf("the children cache saw a grandchild: %v", events)
				}
			})
		}
	})
}

// A persistent-watch cache whose connection drops while the tree changes
// reloads on reconnect and converges.
func TestCacheReloadsAfterReconnect(t *testing.T) {
	e := newEnv(t, faultEnsemble(t))
	ctx := ctxT(t, 30*time.Second)
	s := e.sessionTo(e.connTo(e.follower()), 4*time.Second)
	victim := e.memberOf(s)
	writer := e.sessionTo(e.connTo(victim%3+1), 4*time.Second)
	if e.memberOf(writer) == victim {
		t.Skip("the writer landed on the victim")
	}
	writer.Create(ctx, "/svc", []byte("v0"), zk.WorldACL(zk.PermAll), zk.ModePersistent)
	rec := NewRecorder()
	tree := NewTreeCache(s, "/svc", WithTracer(rec))
	if err := tree.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	waitCache(t, tree, "/svc=v0")
	states := logStates(s)
	e.isolate(victim)
	eventually(t, 10*time.Second, "the cache's session is suspended", func() bool {
		return slices.Contains(states.states(), zk.StateSuspended)
	})
	for i := range 3 {
		writer.Create(ctx, fmt.Sprintf("/svc/n%d", i), nil, zk.WorldACL(zk.PermAll), zk.ModePersistent)
	}
	writer.Set(ctx, "/svc", []byte("v1"), -1)
	waitCache(t, tree, "/svc=v1", "/svc/n0=", "/svc/n1=", "/svc/n2=")
	if !slices.ContainsFunc(rec.Steps(), func(s Step) bool { return s.Detail == "reconnected: reload" }) {
		t.Fatal("the cache never reloaded after reconnecting")
	}
}

// Instances register as ephemerals; the service cache (the load
// balancer's view) follows them, picks round-robin, and drops an instance
// whose process crashed once its session expires.
func TestServiceRegistry(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		var crashy *Session
		var regs []*Registry
		for i := range 3 {
			timeout := 4 * time.Second
			if i == 2 {
				timeout = time.Second
			}
			s := e.session(fmt.Sprintf("i%d", i+1), timeout)
			if i == 2 {
				crashy = s
			}
			r := NewRegistry(s, "/services", WithName(fmt.Sprintf("i%d", i+1)))
			if err := r.Register(ctx, Instance{Service: "web", ID: fmt.Sprintf("i%d", i+1), Address: "127.0.0.1", Port: 8080 + i}); err != nil {
				t.Fatal(err)
			}
			regs = append(regs, r)
		}
		lb := NewServiceCache(e.session("lb", 4*time.Second), "/services", "web")
		if err := lb.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer lb.Close()
		ids := func(is []Instance) []string {
			var out []string
			for _, i := range is {
				out = append(out, i.ID)
			}
			return out
		}
		wait := func(want ...string) {
			t.Helper()
			if err := lb.WaitFor(ctx, func(is []Instance) bool { return slices.Equal(ids(is), want) }); err != nil {
				t.Fatalf("instances %v, want %v", ids(lb.Instances()), want)
			}
		}
		wait("i1", "i2", "i3")
		var picks []string
		for range 4 {
			i, _ := lb.Pick()
			picks = append(picks, i.ID)
		}
		if !slices.Equal(picks, []string{"i1", "i2", "i3", "i1"}) {
			t.Fatalf("round robin %v", picks)
		}
		if got := lb.String(); got != "web: i1 127.0.0.1:8080, i2 127.0.0.1:8081, i3 127.0.0.1:8082" {
			t.Fatalf("%q", got)
		}
		if err := regs[0].Unregister(ctx, Instance{Service: "web", ID: "i1"}); err != nil {
			t.Fatal(err)
		}
		wait("i2", "i3")
		crashy.Crash()
		wait("i2")
		got, err := Instances(ctx, e.obs, "/services", "web")
		if err != nil || len(got) != 1 || got[0].String() != "web/i2 127.0.0.1:8081" {
			t.Fatalf("%v %v", got, err)
		}
		ms, err := Members(ctx, e.obs, "/services/web")
		if err != nil || len(ms) != 1 || ms[0].Session != regs[1].c.SessionID() {
			t.Fatalf("members %v %v", ms, err)
		}
	})
}

// A cache whose session expires stops with ErrSessionLost and keeps its
// last copy.
func TestCacheSessionExpiry(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		e.obs.Create(ctx, "/cfg", []byte("v1"), zk.WorldACL(zk.PermAll), zk.ModePersistent)
		s := e.session("cache", time.Second)
		c := NewNodeCache(s, "/cfg")
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		waitCache(t, c, "/cfg=v1")
		m := NewGroupMember(s, "/members", "me", nil) // an ephemeral to watch go
		if err := m.Join(ctx); err != nil {
			t.Fatal(err)
		}
		e.expire(s, m.Path())
		err := c.WaitFor(ctx, func([]CachedNode) bool { return false })
		if !errors.Is(err, ErrSessionLost) {
			t.Fatalf("cache after expiry: %v", err)
		}
		if n, ok := c.Get("/cfg"); !ok || string(n.Data) != "v1" {
			t.Fatalf("last copy lost: %v %v", n, ok)
		}
		if err := m.Update(ctx, []byte("x")); !errors.Is(err, ErrSessionLost) {
			t.Fatalf("update after expiry: %v", err)
		}
	})
}
