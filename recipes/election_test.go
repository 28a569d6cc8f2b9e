package recipes

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// Three candidates: one leads, and when it leaves exactly the next one
// takes over; Participants lists the line.
func TestLeaderLatchSuccession(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		rec := NewRecorder()
		var latches []*LeaderLatch
		var results []<-chan result[Token]
		for i := range 3 {
			id := fmt.Sprintf("c%d", i+1)
			l := NewLeaderLatch(e.session(id, 4*time.Second), "/election", id, WithName(id), WithTracer(rec))
			latches = append(latches, l)
			if i == 0 {
				if _, err := l.Await(ctx); err != nil {
					t.Fatal(err)
				}
				continue
			}
			results = append(results, async(func() (Token, error) { return l.Await(ctx) }))
			waiting(t, rec, id)
		}
		ps, err := Participants(ctx, e.obs, "/election")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		want := []string{"c1 latch-0000000000 (leader)", "c2 latch-0000000001", "c3 latch-0000000002"}
		if !slices.Equal(got, want) {
			t.Fatalf("participants %q, want %q", got, want)
		}
		t1 := latches[0].Token()
		latches[0].Close(ctx)
		t2 := recv(t, results[0], "c2 leads")
		if !latches[1].IsLeader() || latches[2].IsLeader() || t2 <= t1 {
			t.Fatalf("after c1 left: c2 %v c3 %v, tokens %v %v", latches[1].IsLeader(), latches[2].IsLeader(), t1, t2)
		}
		if s, _ := lastDone(rec.Steps(), "c3"); !s.Wait {
			t.Fatalf("c3 was woken by c1 leaving: %v", s)
		}
		latches[1].Close(ctx)
		recv(t, results[1], "c3 leads")
		latches[2].Close(ctx)
	})
}

// Selectors with auto-requeue take turns; terms never overlap (the
// resource checks it) and each term's token is newer than the last.
func TestLeaderSelectorTurns(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		res := NewProtectedResource("db")
		var mu sync.Mutex
		terms := 0
		enough := make(chan struct{})
		var sels []*LeaderSelector
		for i := range 3 {
			id := fmt.Sprintf("c%d", i+1)
			s := NewLeaderSelector(e.session(id, 4*time.Second), "/selector", func(ctx context.Context, tok Token) error {
				if err := res.Enter(id, tok); err != nil {
					return err
				}
				defer res.Exit(id, tok)
				if err := res.Write(id, tok, "term"); err != nil {
					return err
				}
				mu.Lock()
				terms++
				if terms == 9 {
					close(enough)
				}
				mu.Unlock()
				return nil
			}, WithName(id))
			s.AutoRequeue()
			sels = append(sels, s)
		}
		for _, s := range sels {
			s.Start()
		}
		select {
		case <-enough:
		case <-time.After(30 * time.Second):
			t.Fatal("fewer than 9 terms in 30 s")
		}
		for _, s := range sels {
			s.Close()
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
		}
		snap := res.Snapshot()
		if len(snap.Violations) != 0 || snap.Refused != 0 || snap.Preempted != 0 {
			t.Fatalf("%v %v", snap, snap.Violations)
		}
		var last Token
		for _, u := range snap.Log {
			if u.What == "enter" {
				if u.Token <= last {
					t.Fatalf("term token %v after %v", u.Token, last)
				}
				last = u.Token
			}
		}
		for _, s := range sels {
			if s.Terms() == 0 {
				t.Fatalf("%v never led: auto-requeue should give everyone a turn", s.View())
			}
		}
	})
}

// When the leader's connection is suspended its takeLeadership context is
// cancelled at once; the session survives elsewhere and it may lead again.
func TestLeaderSelectorStopsWhenSuspended(t *testing.T) {
	e := newEnv(t, faultEnsemble(t))
	ctx := ctxT(t, 30*time.Second)
	s1 := e.sessionTo(e.connTo(e.follower()), 4*time.Second)
	victim := e.memberOf(s1)
	started, stopped := make(chan Token, 1), make(chan error, 1)
	sel := NewLeaderSelector(s1, "/selector", func(ctx context.Context, tok Token) error {
		started <- tok
		<-ctx.Done()
		stopped <- ctx.Err()
		return ctx.Err()
	}, WithName("c1"))
	sel.AutoRequeue()
	sel.Start()
	defer sel.Close()
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("c1 never led")
	}
	if !sel.IsLeader() {
		t.Fatal("not leader while leading")
	}
	e.isolate(victim)
	select {
	case err := <-stopped:
		if err == nil {
			t.Fatal("stopped without a reason")
		}
	case <-ctx.Done():
		t.Fatal("leadership not cancelled on suspension")
	}
	var t2 Token
	select {
	case t2 = <-started: // re-queued, and leads again once reconnected
	case <-ctx.Done():
		t.Fatal("c1 did not lead again after reconnecting")
	}
	if s1.State() != zk.StateConnected || sel.Err() != nil || t2 == 0 {
		t.Fatalf("second term: state %v err %v token %v", s1.State(), sel.Err(), t2)
	}
}
