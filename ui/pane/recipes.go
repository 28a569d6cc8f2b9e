package pane

import (
	"strings"

	"coordtui/recipes"
	"coordtui/recipes/runner"
)

// Recipes shows the recipe runner: the recipe's pseudo-code with each
// client's current line marked, every client's state and the request held
// for it at the step gate, the wait-for view, who holds or leads (two at
// once in red: what the unsafe recipes show), the fencing tokens, the
// protected resource's last writes and the finished steps. It only draws
// the runner.Snapshot it was given: it never reads a runner.
type Recipes struct {
	c *Common
	size
	snap    runner.Snapshot
	active  bool
	catalog []runner.Info
	sel     string // the selected client's name; kept across snapshots
	rowY    []int  // the line (frame included) of each client's row, for clicks
}

// NewRecipes returns the pane with no runner: it lists the catalog.
func NewRecipes(c *Common) *Recipes {
	return &Recipes{c: c, catalog: runner.Catalog()}
}

// SetSnapshot shows a runner's state. The selection stays on the same
// client; when that client is gone it moves to the first.
func (r *Recipes) SetSnapshot(s runner.Snapshot) {
	r.snap, r.active = s, true
	if _, ok := r.index(r.sel); !ok {
		r.sel = ""
		if len(s.Clients) > 0 {
			r.sel = s.Clients[0].Name
		}
	}
}

// Clear goes back to the catalog: no runner runs.
func (r *Recipes) Clear() {
	r.snap, r.active, r.sel = runner.Snapshot{}, false, ""
}

// Active says whether a runner is shown.
func (r *Recipes) Active() bool { return r.active }

// Snapshot returns the snapshot shown (zero when none).
func (r *Recipes) Snapshot() runner.Snapshot { return r.snap }

func (r *Recipes) index(name string) (int, bool) {
	for i, c := range r.snap.Clients {
		if c.Name == name {
			return i, true
		}
	}
	return 0, false
}

// Selected returns the selected client.
func (r *Recipes) Selected() (runner.ClientView, bool) {
	if i, ok := r.index(r.sel); ok {
		return r.snap.Clients[i], true
	}
	return runner.ClientView{}, false
}

// Select selects the client called name, if it runs.
func (r *Recipes) Select(name string) {
	if _, ok := r.index(name); ok {
		r.sel = name
	}
}

// Move moves the selection among the clients.
func (r *Recipes) Move(delta int) {
	n := len(r.snap.Clients)
	if n == 0 {
		return
	}
	i, _ := r.index(r.sel)
	r.sel = r.snap.Clients[min(max(i+delta, 0), n-1)].Name
}

// SelectRow selects the client drawn on line y of the pane (frame
// included), as the last View drew it.
func (r *Recipes) SelectRow(y int) {
	for i, ry := range r.rowY {
		if ry == y && i < len(r.snap.Clients) {
			r.sel = r.snap.Clients[i].Name
		}
	}
}

// leadWord is what holding means in this recipe.
func leadWord(rc runner.Recipe) string {
	switch rc {
	case runner.Latch, runner.CheckThenCreate, runner.Heartbeat:
		return "leads"
	}
	return "holds"
}

// allowed is how many may hold at once before it is a violation.
func allowed(rc runner.Recipe) int {
	if rc == runner.Semaphore {
		return 2 // the console runs the semaphore with the runner's default leases
	}
	return 1
}

// stateOf sums a client up in one word.
func stateOf(rc runner.Recipe, c runner.ClientView) string {
	switch {
	case c.Err != "":
		return "failed"
	case c.Done:
		return "done"
	case c.State != recipes.Connected:
		return c.State.String()
	case c.Holds:
		return leadWord(rc)
	case c.Waiting != "":
		return "waits"
	case c.Next != "":
		return "at gate"
	}
	return "runs"
}

// request drops the client's name and the recipe's from a held step
// ("w1 lock: create /lock/l-" → "create /lock/l-"): the row says both.
func request(name, step string) string {
	s := strings.TrimPrefix(step, name+" ")
	if head, rest, ok := strings.Cut(s, ": "); ok && !strings.Contains(head, " ") {
		return rest
	}
	return s
}
