package pane

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"coordtui/recipes"
	"coordtui/recipes/runner"
)

func infoOf(t *testing.T, rc runner.Recipe) runner.Info {
	t.Helper()
	for _, i := range runner.Catalog() {
		if i.Recipe == rc {
			return i
		}
	}
	t.Fatalf("no recipe %s", rc)
	return runner.Info{}
}

// snapOf starts a snapshot of recipe rc with its program and clients,
// each client's line text filled in from the program.
func snapOf(t *testing.T, rc runner.Recipe, clients ...runner.ClientView) runner.Snapshot {
	i := infoOf(t, rc)
	s := runner.Snapshot{Recipe: rc, Summary: i.Summary, Unsafe: i.Unsafe, Program: i.Program,
		Resource: recipes.ResourceSnapshot{Name: "resource", Fenced: true}}
	for _, c := range clients {
		c.LineText = i.Program.Line(c.Line)
		if c.Holds {
			s.Leaders = append(s.Leaders, c.Name)
		}
		s.Clients = append(s.Clients, c)
	}
	return s
}

const (
	tok5 = recipes.Token(0x2_00000005)
	tok7 = recipes.Token(0x2_00000007)
	tok9 = recipes.Token(0x2_00000009)
)

// The safe lock with a queue: w1 holds, w2 waits on w1, w3 waits on w2,
// and w1's write is about to go out.
func safeLock(t *testing.T) runner.Snapshot {
	s := snapOf(t, runner.Lock,
		runner.ClientView{Name: "w1", Line: 7, Holds: true, Token: tok5, Node: "/lock/l-0000000000",
			Next: "w1 lock: write resource token 0x2_00000005"},
		runner.ClientView{Name: "w2", Line: 4, Waiting: "/lock/l-0000000000 (predecessor)", Node: "/lock/l-0000000001"},
		runner.ClientView{Name: "w3", Line: 4, Waiting: "/lock/l-0000000001 (predecessor)", Node: "/lock/l-0000000002"})
	s.WaitFor = []string{
		"queue /lock: w1 l-0000000000 (holds) <- w2 l-0000000001 <- w3 l-0000000002",
		"w2 waits for w1 (l-0000000000)",
		"w3 waits for w2 (l-0000000001)",
	}
	s.Tokens = []runner.TokenEvent{{Client: "w1", Token: tok5, What: "issued"}}
	s.Counts = runner.TokenCounts{Issued: 1}
	s.Log = []string{
		"w1 lock: create /lock/l- (ephemeral sequential) -> /lock/l-0000000000",
		"w2 lock: create /lock/l- (ephemeral sequential) -> /lock/l-0000000001",
		"w1 lock: children /lock -> 3",
		"w2 lock: watch /lock/l-0000000000 (predecessor) and wait",
	}
	return s
}

// The herd lock: everyone watches the one lock node.
func herdLock(t *testing.T) runner.Snapshot {
	s := snapOf(t, runner.HerdLock,
		runner.ClientView{Name: "w1", Line: 5, Holds: true, Token: tok7, Node: "/unsafe-herd-lock/lock",
			Next: "w1 herd-lock: delete /unsafe-herd-lock/lock (release)"},
		runner.ClientView{Name: "w2", Line: 2, Waiting: "/unsafe-herd-lock/lock (the lock node)"},
		runner.ClientView{Name: "w3", Line: 2, Waiting: "/unsafe-herd-lock/lock (the lock node)"},
		runner.ClientView{Name: "w4", Line: 1, Next: "w4 herd-lock: create /unsafe-herd-lock/lock (ephemeral)"})
	s.WaitFor = []string{
		"queue /unsafe-herd-lock: w1 lock (holds)",
		"w2 waits for w1 (lock)",
		"w3 waits for w1 (lock)",
	}
	s.Tokens = []runner.TokenEvent{{Client: "w1", Token: tok7, What: "issued"}, {Client: "w1", Token: tok7, What: "accepted"}}
	s.Counts = runner.TokenCounts{Issued: 1, Accepted: 1}
	s.Resource.Highest, s.Resource.HighestBy, s.Resource.Accepted = tok7, "w1", 1
	s.Resource.Log = []recipes.Use{{Who: "w1", Token: tok7, What: "write w1 round 1", Accepted: true}}
	return s
}

// Two leaders in the heartbeat election: w1 was paused and still
// believes it leads while w2 took over.
func twoLeaders(t *testing.T) runner.Snapshot {
	s := snapOf(t, runner.Heartbeat,
		runner.ClientView{Name: "w1", Line: 6, Holds: true, Next: "w1 heartbeat: write resource as leader", Rounds: 1},
		runner.ClientView{Name: "w2", Line: 6, Holds: true, Next: "w2 heartbeat: write resource as leader", Rounds: 3})
	s.Resource = recipes.ResourceSnapshot{Name: "resource", Fenced: false, Accepted: 3, Inside: []string{"w1@none", "w2@none"},
		Log: []recipes.Use{
			{Who: "w1", What: "write w1 round 1", Accepted: true},
			{Who: "w2", What: "write w2 round 3", Accepted: true},
		},
		Violations: []string{"w2 entered while w1 was inside"}}
	s.Log = []string{"w2 heartbeat: children /unsafe-heartbeat -> 2", "w2 heartbeat: get /unsafe-heartbeat/w1 -> 4: w1 looks dead"}
	return s
}

// A stale token refused: w1 was paused past its session, w2 got the lock
// with a newer token and wrote; w1 woke up and tried to write.
func staleToken(t *testing.T) runner.Snapshot {
	s := snapOf(t, runner.Lock,
		runner.ClientView{Name: "w1", Line: 7, State: recipes.Lost, Err: "write: token 0x2_00000005 refused: stale"},
		runner.ClientView{Name: "w2", Line: 8, Holds: true, Token: tok9, Node: "/lock/l-0000000001",
			Next: "w2 lock: leave resource"})
	s.Together = true
	s.WaitFor = []string{"queue /lock: w2 l-0000000001 (holds)"}
	s.Tokens = []runner.TokenEvent{
		{Client: "w1", Token: tok5, What: "issued"}, {Client: "w1", Token: tok5, What: "accepted"},
		{Client: "w2", Token: tok9, What: "issued"}, {Client: "w2", Token: tok9, What: "accepted"},
		{Client: "w1", Token: tok5, What: "refused: stale"},
	}
	s.Counts = runner.TokenCounts{Issued: 2, Accepted: 2, Refused: 1}
	s.Resource = recipes.ResourceSnapshot{Name: "resource", Fenced: true, Highest: tok9, HighestBy: "w2", Inside: []string{"w2@0x2_00000009"},
		Accepted: 2, Refused: 1, Preempted: 1,
		Log: []recipes.Use{
			{Who: "w1", Token: tok5, What: "write w1 round 1", Accepted: true},
			{Who: "w2", Token: tok9, What: "enter", Accepted: true, Why: "preempted w1"},
			{Who: "w2", Token: tok9, What: "write w2 round 1", Accepted: true},
			{Who: "w1", Token: tok5, What: "write w1 round 1", Why: "stale (w2 has 0x2_00000009)"},
		}}
	return s
}

// The counter: no lock, tokens or resource; its rounds are in the steps.
func counter(t *testing.T) runner.Snapshot {
	s := snapOf(t, runner.Counter,
		runner.ClientView{Name: "w1", Line: 2, Next: "w1 counter: set /counter (5 if version is 4)"},
		runner.ClientView{Name: "w2", Line: 1, Next: "w2 counter: get /counter", Rounds: 3})
	s.Log = []string{"w1 counter: get /counter: 4 at version 4", "w2 counter: set /counter (5 if version is 4)", "w2 counter: /counter = 5"}
	return s
}

func TestRecipesView(t *testing.T) {
	cases := []struct {
		name string
		snap func(*testing.T) runner.Snapshot
	}{
		{"safe_lock", safeLock},
		{"herd_lock", herdLock},
		{"two_leaders", twoLeaders},
		{"stale_token", staleToken},
		{"counter", counter},
	}
	sizes := []struct {
		name string
		w, h int
	}{
		{"wide_slot", 54, 29}, // the right column of the 120×40 console
		{"tab_120", 120, 36},  // a whole 120-wide screen's pane
		{"tab_80", 80, 20},    // the 80×24 console's tab
	}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(c.name+"/"+sz.name, func(t *testing.T) {
				p := NewRecipes(testCommon())
				p.SetFocused(true)
				p.SetSnapshot(c.snap(t))
				checkGolden(t, p, sz.w, sz.h)
			})
		}
	}
	t.Run("catalog", func(t *testing.T) {
		p := NewRecipes(testCommon())
		checkGolden(t, p, 80, 20)
	})
}

// Two leaders at once are drawn in the error style; one is not.
func TestRecipesTwoLeadersStandOut(t *testing.T) {
	render := func(s runner.Snapshot) string {
		p := NewRecipes(testCommon())
		p.SetSnapshot(s)
		p.SetSize(120, 36)
		return p.View()
	}
	red := testCommon().Styles.Err.Render("w1, w2 — 2 AT ONCE")
	if out := render(twoLeaders(t)); !strings.Contains(out, red) {
		t.Fatalf("two leaders not in the error style:\n%s", ansi.Strip(out))
	}
	if out := render(safeLock(t)); strings.Contains(out, "AT ONCE") {
		t.Fatalf("one holder reported as many:\n%s", ansi.Strip(out))
	}
}

// The selection follows the client, not the row, and clicks select.
func TestRecipesSelection(t *testing.T) {
	p := NewRecipes(testCommon())
	p.SetFocused(true)
	p.SetSnapshot(safeLock(t))
	if c, _ := p.Selected(); c.Name != "w1" {
		t.Fatalf("selected %s at first", c.Name)
	}
	p.Move(1)
	p.Move(5)
	if c, _ := p.Selected(); c.Name != "w3" {
		t.Fatalf("selected %s after moving down", c.Name)
	}
	s := safeLock(t)
	s.Clients = s.Clients[1:] // w1 removed
	p.SetSnapshot(s)
	if c, _ := p.Selected(); c.Name != "w3" {
		t.Fatalf("selected %s after w1 left", c.Name)
	}
	p.SetSize(80, 20)
	out := strings.Split(ansi.Strip(p.View()), "\n")
	for y, l := range out {
		if strings.HasPrefix(l, "│ w2 ") {
			p.SelectRow(y)
		}
	}
	if c, _ := p.Selected(); c.Name != "w2" {
		t.Fatalf("a click on w2's row selected %s:\n%s", c.Name, strings.Join(out, "\n"))
	}
}
