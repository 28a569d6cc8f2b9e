package recipes

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Clients wait at a barrier until it is removed, then all pass.
func TestBarrier(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		rec := NewRecorder()
		if err := NewBarrier(e.session("boss", 4*time.Second), "/gate/b", WithName("boss")).Set(ctx); err != nil {
			t.Fatal(err)
		}
		var passed []<-chan result[struct{}]
		for i := range 3 {
			name := fmt.Sprintf("c%d", i+1)
			bar := NewBarrier(e.session(name, 4*time.Second), "/gate/b", WithName(name), WithTracer(rec))
			passed = append(passed, async(func() (struct{}, error) { return struct{}{}, bar.Wait(ctx) }))
			waiting(t, rec, name)
		}
		for _, p := range passed {
			select {
			case <-p:
				t.Fatal("passed a raised barrier")
			default:
			}
		}
		if err := NewBarrier(e.obs, "/gate/b").Remove(ctx); err != nil {
			t.Fatal(err)
		}
		for i, p := range passed {
			recv(t, p, fmt.Sprintf("c%d passes", i+1))
		}
	})
}

// N clients enter together and leave together; one that crashes inside
// does not keep the others from leaving once its session is gone.
func TestDoubleBarrier(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		const n = 3
		var sessions []*Session
		var bars []*DoubleBarrier
		for i := range n {
			name := fmt.Sprintf("c%d", i+1)
			timeout := 4 * time.Second
			if i == n-1 {
				timeout = time.Second // the one that will crash
			}
			s := e.session(name, timeout)
			sessions = append(sessions, s)
			bars = append(bars, NewDoubleBarrier(s, "/db", name, n, WithName(name)))
		}
		phase := func(what string, fn func(*DoubleBarrier) error, who []*DoubleBarrier) {
			t.Helper()
			var chans []<-chan result[struct{}]
			for _, d := range who {
				chans = append(chans, async(func() (struct{}, error) { return struct{}{}, fn(d) }))
			}
			for i, c := range chans {
				recv(t, c, fmt.Sprintf("%s c%d", what, i+1))
			}
		}
		// The first two wait for the third to arrive.
		early := []<-chan result[struct{}]{
			async(func() (struct{}, error) { return struct{}{}, bars[0].Enter(ctx) }),
			async(func() (struct{}, error) { return struct{}{}, bars[1].Enter(ctx) }),
		}
		eventually(t, 10*time.Second, "two entered", func() bool {
			kids, _, _ := e.obs.Children2(ctx, "/db")
			return len(kids) == 2
		})
		for _, c := range early {
			select {
			case <-c:
				t.Fatal("entered before all arrived")
			default:
			}
		}
		phase("enter", func(d *DoubleBarrier) error { return d.Enter(ctx) }, bars[2:])
		for i, c := range early {
			recv(t, c, fmt.Sprintf("enter c%d", i+1))
		}
		// c3 crashes inside: the others' Leave completes once it expires.
		sessions[2].Crash()
		phase("leave", func(d *DoubleBarrier) error { return d.Leave(ctx) }, bars[:2])
		if kids, _, err := e.obs.Children2(ctx, "/db"); err != nil || len(kids) != 0 {
			t.Fatalf("left behind %v %v", kids, err)
		}
	})
}

// Items go to exactly one taker each, in order per producer; a taker of an
// empty queue waits for the next put.
func TestQueue(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		const producers, each, consumers = 2, 5, 3
		var mu sync.Mutex
		got := map[string][]int{}
		var wg sync.WaitGroup
		takeCtx, stop := context.WithCancel(ctx)
		total := make(chan struct{}, producers*each)
		for i := range consumers {
			name := fmt.Sprintf("take%d", i+1)
			q := NewQueue(e.session(name, 4*time.Second), "/q", WithName(name))
			wg.Go(func() {
				for {
					item, err := q.Take(takeCtx)
					if err != nil {
						return
					}
					var p string
					var n int
					fmt.Sscanf(string(item), "%s %d", &p, &n)
					mu.Lock()
					got[p] = append(got[p], n)
					mu.Unlock()
					total <- struct{}{}
				}
			})
		}
		for i := range producers {
			name := fmt.Sprintf("put%d", i+1)
			q := NewQueue(e.session(name, 4*time.Second), "/q", WithName(name))
			for n := range each {
				if _, err := q.Put(ctx, []byte(fmt.Sprintf("%s %d", name, n))); err != nil {
					t.Fatal(err)
				}
			}
		}
		for range producers * each {
			select {
			case <-total:
			case <-ctx.Done():
				t.Fatalf("items taken: %v", got)
			}
		}
		stop()
		wg.Wait()
		for p, ns := range got {
			sorted := slices.Clone(ns)
			slices.Sort(sorted)
			if len(ns) != each || !slices.Equal(sorted, []int{0, 1, 2, 3, 4}) {
				t.Fatalf("%s's items taken %v: each exactly once expected", p, ns)
			}
		}
		if len(got) != producers {
			t.Fatalf("taken %v", got)
		}

		// One taker sees FIFO order exactly.
		q := NewQueue(e.session("solo", 4*time.Second), "/fifo", WithName("solo"))
		for _, s := range []string{"a", "b", "c"} {
			q.Put(ctx, []byte(s))
		}
		var order []string
		for range 3 {
			item, err := q.Take(ctx)
			if err != nil {
				t.Fatal(err)
			}
			order = append(order, string(item))
		}
		if !slices.Equal(order, []string{"a", "b", "c"}) {
			t.Fatalf("FIFO order %v", order)
		}
	})
}

// The most urgent item comes first; equal priorities keep arrival order.
func TestPriorityQueue(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		q := NewPriorityQueue(e.session("c1", 4*time.Second), "/pq", WithName("c1"))
		for _, it := range []struct {
			data string
			prio int
		}{{"low1", 9}, {"urgent", 0}, {"mid", 5}, {"low2", 9}, {"urgent2", 0}} {
			if _, err := q.Put(ctx, []byte(it.data), it.prio); err != nil {
				t.Fatal(err)
			}
		}
		var order []string
		for range 5 {
			item, err := q.Take(ctx)
			if err != nil {
				t.Fatal(err)
			}
			order = append(order, string(item))
		}
		if want := []string{"urgent", "urgent2", "mid", "low1", "low2"}; !slices.Equal(order, want) {
			t.Fatalf("%v, want %v", order, want)
		}
	})
}

// Concurrent Adds lose no update; the stepped transcript shows why: the
// loser's set fails on the version and it tries again.
func TestCounter(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		const clients, adds = 4, 10
		var wg sync.WaitGroup
		for i := range clients {
			name := fmt.Sprintf("c%d", i+1)
			c := NewCounter(e.session(name, 4*time.Second), "/n/count", WithName(name))
			wg.Go(func() {
				for range adds {
					if _, err := c.Add(ctx, 1); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if v, _, err := NewCounter(e.obs, "/n/count").Get(ctx); err != nil || v != clients*adds {
			t.Fatalf("count %d %v, want %d", v, err, clients*adds)
		}

		s := newScript(t)
		c1 := NewCounter(e.session("c1", 4*time.Second), "/n/count", s.opts("c1")...)
		c2 := NewCounter(e.session("c2", 4*time.Second), "/n/count", s.opts("c2")...)
		r1 := async(func() (int64, error) { return c1.Add(ctx, 1) })
		r2 := async(func() (int64, error) { return c2.Add(ctx, 10) })
		s.steps(ctx, "c1", "c2", "c1", "c2", "c2", "c2") // get, get, set, set (fails), get, set
		if v1, v2 := recv(t, r1, "c1"), recv(t, r2, "c2"); v1 != 41 || v2 != 51 {
			t.Fatalf("c1 %d c2 %d", v1, v2)
		}
		golden(t, "counter_cas.txt", s.lines())
	})
}
