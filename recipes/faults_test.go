package recipes

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// Every recipe, with a member crash and with a partition in the middle of
// it: the clients on the failed member carry on from another member with
// their sessions, and the recipe's outcome is the same as without the fault.
func TestRecipesThroughMemberFaults(t *testing.T) {
	type scenario func(t *testing.T, e *env, on, off string, fault func())
	recipes := []struct {
		name string
		run  scenario
	}{
		{"barrier", func(t *testing.T, e *env, on, off string, fault func()) {
			ctx := ctxT(t, 30*time.Second)
			rec := NewRecorder()
			NewBarrier(e.sessionTo(off, 4*time.Second), "/b").Set(ctx)
			bar := NewBarrier(e.sessionTo(on, 4*time.Second), "/b", WithName("c1"), WithTracer(rec))
			passed := async(func() (struct{}, error) { return struct{}{}, bar.Wait(ctx) })
			waiting(t, rec, "c1")
			fault()
			if err := NewBarrier(e.sessionTo(off, 4*time.Second), "/b").Remove(ctx); err != nil {
				t.Fatal(err)
			}
			recv(t, passed, "c1 passes")
		}},
		{"double-barrier", func(t *testing.T, e *env, on, off string, fault func()) {
			ctx := ctxT(t, 30*time.Second)
			var bars []*DoubleBarrier
			join := func(i int, conn string) {
				name := fmt.Sprintf("c%d", i+1)
				bars = append(bars, NewDoubleBarrier(e.sessionTo(conn, 4*time.Second), "/db", name, 3, WithName(name)))
			}
			join(0, on)
			join(1, off)
			enter := func(d *DoubleBarrier) <-chan result[struct{}] {
				return async(func() (struct{}, error) { return struct{}{}, d.Enter(ctx) })
			}
			in := []<-chan result[struct{}]{enter(bars[0]), enter(bars[1])}
			eventually(t, 10*time.Second, "two entered", func() bool {
				kids, _, _ := e.obs.Children2(ctx, "/db")
				return len(kids) == 2
			})
			fault()
			// The third arrives after the fault. (A session that has sent
			// nothing yet can be told it expired by a member that has not
			// applied its creation; see the report.)
			join(2, off)
			in = append(in, enter(bars[2]))
			for i, c := range in {
				recv(t, c, fmt.Sprintf("c%d enters", i+1))
			}
			var out []<-chan result[struct{}]
			for _, d := range bars {
				out = append(out, async(func() (struct{}, error) { return struct{}{}, d.Leave(ctx) }))
			}
			for i, c := range out {
				recv(t, c, fmt.Sprintf("c%d leaves", i+1))
			}
		}},
		{"queue", func(t *testing.T, e *env, on, off string, fault func()) {
			ctx := ctxT(t, 30*time.Second)
			rec := NewRecorder()
			taker := NewQueue(e.sessionTo(on, 4*time.Second), "/q", WithName("c1"), WithTracer(rec))
			putter := NewQueue(e.sessionTo(off, 4*time.Second), "/q")
			putter.Put(ctx, []byte("first"))
			if item, err := taker.Take(ctx); err != nil || string(item) != "first" {
				t.Fatalf("%q %v", item, err)
			}
			got := async(func() ([]byte, error) { return taker.Take(ctx) })
			waiting(t, rec, "c1")
			fault()
			for _, s := range []string{"a", "b"} {
				if _, err := putter.Put(ctx, []byte(s)); err != nil {
					t.Fatal(err)
				}
			}
			if item := recv(t, got, "take a"); string(item) != "a" {
				t.Fatalf("took %q", item)
			}
			if item, err := taker.Take(ctx); err != nil || string(item) != "b" {
				t.Fatalf("%q %v", item, err)
			}
		}},
		{"counter", func(t *testing.T, e *env, on, off string, fault func()) {
			ctx := ctxT(t, 30*time.Second)
			a := NewCounter(e.sessionTo(on, 4*time.Second), "/count")
			b := NewCounter(e.sessionTo(off, 4*time.Second), "/count")
			for range 3 {
				a.Add(ctx, 1)
				b.Add(ctx, 10)
			}
			fault()
			for range 3 {
				if _, err := a.Add(ctx, 1); err != nil {
					t.Fatalf("%v (a is %v on %s)", err, a.p.c.State(), unwrap(a.p.c).(*Session).Server())
				}
				b.Add(ctx, 10)
			}
			if v, _, err := b.Get(ctx); err != nil || v != 66 {
				t.Fatalf("%d %v", v, err)
			}
		}},
		{"group", func(t *testing.T, e *env, on, off string, fault func()) {
			ctx := ctxT(t, 30*time.Second)
			m := NewGroupMember(e.sessionTo(on, 4*time.Second), "/group", "w1", []byte("up"))
			if err := m.Join(ctx); err != nil {
				t.Fatal(err)
			}
			view := NewChildrenCache(e.sessionTo(off, 4*time.Second), "/group")
			if err := view.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer view.Close()
			waitCache(t, view, "/group=", "/group/w1=up")
			fault()
			if err := m.Update(ctx, []byte("busy")); err != nil {
				t.Fatal(err)
			}
			waitCache(t, view, "/group=", "/group/w1=busy")
			m.Leave(ctx)
			waitCache(t, view, "/group=")
		}},
	}
	faults := []struct {
		name  string
		on    func(e *env) uint64
		apply func(e *env, id uint64)
	}{
		{"leader crash", func(e *env) uint64 { return e.leaderID() }, func(e *env, id uint64) { e.crash(id) }},
		{"partition", func(e *env) uint64 { return e.follower() }, func(e *env, id uint64) { e.isolate(id) }},
	}
	for _, r := range recipes {
		for _, f := range faults {
			t.Run(r.name+"/"+f.name, func(t *testing.T) {
				e := newEnv(t, faultEnsemble(t))
				probe := e.sessionTo(e.connTo(f.on(e)), 4*time.Second)
				victim := e.memberOf(probe)
				on, off := e.connTo(victim), e.connTo(victim%3+1)
				states := logStates(probe)
				r.run(t, e, on, off, func() {
					f.apply(e, victim)
					e.settleAfter(victim)
					if !slices.Contains(states.states(), zk.StateSuspended) {
						t.Fatalf("the probe on n%d never noticed the fault: %v", victim, states.states())
					}
				})
			})
		}
	}
}
