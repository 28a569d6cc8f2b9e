package runner

import (
	"slices"
	"strings"
	"testing"
	"time"

	"coordtui/recipes"
)

// A user steps two clients through the lock: the snapshot shows each
// client's line, the request it is about to send, the wait-for view and
// the tokens.
func TestStepThroughLock(t *testing.T) {
	conn := chroot(t)
	r := newRunner(t, Config{Recipe: Lock, Rounds: 1, Path: "/lock"})
	if err := r.Add("c1", session(t, conn)); err != nil {
		t.Fatal(err)
	}
	if err := r.Add("c2", session(t, conn)); err != nil {
		t.Fatal(err)
	}
	var views []string
	show := func() {
		s := until(t, r, "settled", settled)
		views = append(views, "--")
		for _, c := range s.Clients {
			views = append(views, c.String())
		}
		views = append(views, s.WaitFor...)
	}
	s := until(t, r, "both held at their first step", func(s Snapshot) bool {
		return viewOf(s, "c1").Next != "" && viewOf(s, "c2").Next != ""
	})
	if c := viewOf(s, "c1"); c.Line != 1 || c.LineText != s.Program[0] {
		t.Fatalf("c1 at %d %q", c.Line, c.LineText)
	}
	show()
	for !viewOf(r.Snapshot(), "c1").Holds {
		step(t, r, "c1")
		show()
	}
	for viewOf(r.Snapshot(), "c2").Waiting == "" {
		step(t, r, "c2")
		show()
	}
	s = r.Snapshot()
	if !slices.Equal(s.Leaders, []string{"c1"}) || len(s.WaitFor) != 2 {
		t.Fatalf("%s", s)
	}
	for _, c := range []string{"c1", "c1", "c1", "c2", "c2", "c2", "c2"} { // use, leave, release; look (holds), use, leave, release
		step(t, r, c)
		show()
	}
	s = until(t, r, "both done", func(s Snapshot) bool { return viewOf(s, "c1").Done && viewOf(s, "c2").Done })
	if len(s.Tokens) != 4 || s.Tokens[0].What != "issued" || s.Tokens[1].What != "accepted" || s.Tokens[2].Token <= s.Tokens[0].Token {
		t.Fatalf("tokens %v", s.Tokens)
	}
	golden(t, "step_through_lock.txt", views)
}

// Workers running the lock together: the resource, not the test, checks
// that no two held it at once.
func TestWorkersTogether(t *testing.T) {
	conn := chroot(t)
	p := pool(t, conn, 3, 4*time.Second)
	r := newRunner(t, Config{Recipe: Lock, Rounds: 3, Together: true})
	for _, w := range p.List() {
		if err := r.AddWorker(p, w.ID); err != nil {
			t.Fatal(err)
		}
	}
	s := until(t, r, "every worker done", func(s Snapshot) bool {
		for _, c := range s.Clients {
			if !c.Done {
				return false
			}
		}
		return len(s.Clients) == 3
	})
	for _, c := range s.Clients {
		if c.Err != "" || c.Rounds != 3 {
			t.Fatalf("%v", c)
		}
	}
	if res := s.Resource; len(res.Violations) != 0 || res.Refused != 0 || res.Accepted != 3*9 {
		t.Fatalf("%v", res)
	}
}

// A holder paused past its session, held at the gate just before its
// write: with the unfenced lock its stale write is accepted while the new
// holder is inside; with the fenced lock it is refused.
func TestPausedHolder(t *testing.T) {
	for _, tc := range []struct {
		recipe  Recipe
		refused bool
	}{{UnfencedLock, false}, {Lock, true}} {
		t.Run(string(tc.recipe), func(t *testing.T) {
			conn := chroot(t)
			p := pool(t, conn, 2, time.Second)
			r := newRunner(t, Config{Recipe: tc.recipe, Rounds: 1, Path: "/lock"})
			w := p.List()
			r.AddWorker(p, w[0].ID)
			useLine := len(r.Snapshot().Program) - 2
			atUse := func(name string) func(Snapshot) bool {
				return func(s Snapshot) bool {
					c := viewOf(s, name)
					return c.Next != "" && c.Line == useLine
				}
			}
			for !atUse("w1")(r.Snapshot()) {
				step(t, r, "w1")
			}
			r.AddWorker(p, w[1].ID)
			until(t, r, "w2 held", func(s Snapshot) bool { return viewOf(s, "w2").Next != "" })
			if err := p.Expire(ctxT(t, 30*time.Second), w[0].ID); err != nil {
				t.Fatal(err)
			}
			for !atUse("w2")(r.Snapshot()) {
				step(t, r, "w2")
			}
			step(t, r, "w2") // w2 writes, and is inside until it releases
			step(t, r, "w1") // w1 wakes and writes
			s := r.Snapshot()
			res := s.Resource
			last := res.Log[len(res.Log)-1]
			if last.Who != "w1" || last.Accepted == tc.refused {
				t.Fatalf("w1's write: %v\n%s", last, s)
			}
			if tc.refused && len(res.Violations) != 0 {
				t.Fatalf("fenced, yet: %v", res.Violations)
			}
			if !tc.refused && len(res.Violations) == 0 {
				t.Fatalf("unfenced: the overlap should show: %v", res)
			}
			if !strings.Contains(s.String(), "resource") {
				t.Fatalf("%s", s)
			}
		})
	}
}

// The heartbeat election, stepped so that w1 leads and then pauses while
// w2 goes round twice: the snapshot shows two leaders.
func TestHeartbeatTwoLeaders(t *testing.T) {
	conn := chroot(t)
	r := newRunner(t, Config{Recipe: Heartbeat, Path: "/hb"})
	r.Add("c1", session(t, conn))
	leads := func(name string) func(Snapshot) bool {
		return func(s Snapshot) bool { return slices.Contains(s.Leaders, name) }
	}
	for !leads("c1")(r.Snapshot()) {
		step(t, r, "c1")
	}
	r.Add("c2", session(t, conn))
	for !leads("c2")(r.Snapshot()) {
		step(t, r, "c2")
	}
	s := r.Snapshot()
	if !slices.Equal(s.Leaders, []string{"c1", "c2"}) || !strings.Contains(s.String(), "2 clients hold or lead at once: c1, c2") {
		t.Fatalf("%s", s)
	}
}

func TestCatalog(t *testing.T) {
	var names []string
	for _, i := range Catalog() {
		names = append(names, i.String())
		if len(i.Program) < 3 {
			t.Fatalf("%s: program %v", i.Recipe, i.Program)
		}
		if _, err := New(Config{Recipe: i.Recipe}); err != nil {
			t.Fatal(err)
		}
	}
	golden(t, "catalog.txt", names)
	if _, err := New(Config{Recipe: "nope"}); err == nil {
		t.Fatal("unknown recipe accepted")
	}
}

// Clients running together issue tokens without end: the snapshot keeps
// the latest and counts them all, so memory and copies stay flat.
func TestTokensBounded(t *testing.T) {
	r := newRunner(t, Config{Recipe: Lock})
	for i := range 3 * logSize {
		r.issued("c1", recipes.Token(i+1))
		r.checked("c1", recipes.Token(i+1), nil)
	}
	r.checked("c2", 1, recipes.ErrStaleToken)
	s := r.Snapshot()
	if len(s.Tokens) != logSize || s.Tokens[logSize-1].What != "refused: stale" {
		t.Fatalf("%d token events kept, last %v", len(s.Tokens), s.Tokens[len(s.Tokens)-1])
	}
	if want := (TokenCounts{Issued: 3 * logSize, Accepted: 3 * logSize, Refused: 1}); s.Counts != want {
		t.Fatalf("counts %+v, want %+v", s.Counts, want)
	}
}
