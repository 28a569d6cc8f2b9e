package runner

import (
	"fmt"
	"slices"
	"strings"

	"coordtui/recipes"
)

// ClientView is one client as the runner sees it: a copied value.
type ClientView struct {
	Name     string
	Session  int64
	State    recipes.ConnState
	Line     int    // the pseudo-code line it is on (1-based)
	LineText string // that line
	Next     string // the request held at the gate, "" when none
	Last     string // its last finished step
	Waiting  string // what it waits for, "" when it does not
	Holds    bool   // holds the lock or lease, or leads
	Token    recipes.Token
	Node     string // its znode in the recipe's queue, if any
	Rounds   int    // rounds finished
	Done     bool   // its loop ended
	Err      string
}

// NotHeld says why a client has no request held at the gate: "it waits for
// /lock/l-0000000000 (predecessor)", "its loop ended", "it failed: ...",
// or "it is on its way to the next one".
func (v ClientView) NotHeld() string {
	switch {
	case v.Err != "":
		return "it failed: " + v.Err
	case v.Done:
		return "its loop ended"
	case v.Waiting != "":
		return "it waits for " + v.Waiting
	}
	return "it is on its way to the next one"
}

// String: "c2 line 4 waits for /lock/l-0000000002 (predecessor)",
// "c1 line 7 holds token 0x2_00000005 next: use resource token ...".
func (v ClientView) String() string {
	s := fmt.Sprintf("%s line %d", v.Name, v.Line)
	switch {
	case v.Holds && v.Token != 0:
		s += " holds token " + v.Token.String()
	case v.Holds:
		s += " holds"
	}
	if v.Waiting != "" {
		s += " waits for " + v.Waiting
	}
	if v.Next != "" {
		s += " next: " + v.Next
	}
	if v.State != recipes.Connected {
		s += " (" + v.State.String() + ")"
	}
	if v.Done {
		s += " done"
	}
	if v.Err != "" {
		s += " err: " + v.Err
	}
	return s
}

// TokenEvent is a fencing token issued to a client or checked by the
// resource.
type TokenEvent struct {
	Client string
	Token  recipes.Token
	What   string // "issued", "accepted", "refused: stale"
}

// String: "c1 token 0x2_00000005 issued".
func (t TokenEvent) String() string {
	return fmt.Sprintf("%s token %s %s", t.Client, t.Token, t.What)
}

// TokenCounts counts the fencing tokens issued to clients and the
// resource's verdicts on them.
type TokenCounts struct {
	Issued, Accepted, Refused int
}

// Snapshot is the whole runner at one moment, copied.
type Snapshot struct {
	Recipe   Recipe
	Summary  string
	Unsafe   bool
	Program  recipes.Program
	Together bool
	Clients  []ClientView // by name
	WaitFor  []string     // the wait-for view, one line each
	Leaders  []string     // who believes it holds or leads now
	Tokens   []TokenEvent // the latest ones, oldest first
	Counts   TokenCounts  // all token events since the runner started
	Resource recipes.ResourceSnapshot
	Log      []string // the latest finished steps, oldest first
}

// Snapshot returns a copy of the runner's state.
func (r *Runner) Snapshot() Snapshot {
	r.mu.Lock()
	names := make([]string, 0, len(r.clients))
	for n := range r.clients {
		names = append(names, n)
	}
	slices.Sort(names)
	type raw struct {
		st            *state
		line          int
		last, waiting string
		rounds        int
		done          bool
		err           error
	}
	raws := make([]raw, len(names))
	for i, n := range names {
		st := r.clients[n]
		raws[i] = raw{st: st, line: st.line, waiting: st.waiting, rounds: st.rounds, done: st.done, err: st.err}
		if st.last.Client != "" {
			raws[i].last = st.last.String()
		}
	}
	s := Snapshot{Recipe: r.cfg.Recipe, Summary: r.info.Summary, Unsafe: r.info.Unsafe,
		Program: slices.Clone(r.info.Program), Tokens: slices.Clone(r.tokens), Counts: r.counts, Log: slices.Clone(r.log),
		Together: r.gate.IsOpen("")}
	r.mu.Unlock()

	var views []recipes.LockView
	for i, n := range names {
		rw := raws[i]
		lv := rw.st.prog.view()
		v := ClientView{Name: n, Session: rw.st.session, State: recipes.StateOf(rw.st.cl.c.State()),
			Line: rw.line, LineText: s.Program.Line(rw.line), Last: rw.last, Waiting: rw.waiting,
			Holds: rw.st.prog.leads(), Token: lv.Token, Node: lv.Node, Rounds: rw.rounds, Done: rw.done}
		if !v.Holds {
			v.Token = 0
		}
		if p, ok := r.gate.PendingFor(n); ok {
			// The held step names its own line: read apart from the
			// runner's state above, the two could disagree for a moment.
			v.Next = p.String()
			if p.Line > 0 {
				v.Line, v.LineText = p.Line, s.Program.Line(p.Line)
			}
		}
		if rw.err != nil {
			v.Err = rw.err.Error()
		}
		if v.Holds {
			s.Leaders = append(s.Leaders, n)
		}
		s.Clients = append(s.Clients, v)
		views = append(views, lv)
	}
	lost := map[string]bool{}
	for _, c := range s.Clients {
		lost[c.Name] = c.State == recipes.Lost
	}
	s.WaitFor = waitFor(r.cfg.Path, views, lost)
	s.Resource = r.res.Snapshot()
	return s
}

// waitFor renders the queue the clients form: the holder first, then each
// waiter with the client it waits for. A client whose session is lost still
// believes what it believed; the queue says that it only believes it.
func waitFor(path string, views []recipes.LockView, lost map[string]bool) []string {
	owner := map[string]string{} // node → client
	var queued []recipes.LockView
	for _, v := range views {
		if v.Node != "" {
			owner[v.Node] = v.Client
			queued = append(queued, v)
		}
	}
	slices.SortFunc(queued, func(a, b recipes.LockView) int { return strings.Compare(seq(a.Node), seq(b.Node)) })
	var out []string
	if len(queued) > 0 {
		var parts []string
		for _, v := range queued {
			p := v.Client + " " + base(v.Node)
			switch {
			case v.Holds && lost[v.Client]:
				p += " (believes it holds: session lost)"
			case v.Holds:
				p += " (holds)"
			case lost[v.Client]:
				p += " (session lost)"
			}
			parts = append(parts, p)
		}
		out = append(out, "queue "+path+": "+strings.Join(parts, " <- "))
	}
	for _, v := range views {
		if v.Waits == "" {
			continue
		}
		who := owner[v.Waits]
		switch {
		case who == "" && v.Node == "":
			out = append(out, fmt.Sprintf("%s waits for %s", v.Client, v.Waits))
		case who == "":
			out = append(out, fmt.Sprintf("%s waits for %s (gone, or not a runner client)", v.Client, base(v.Waits)))
		default:
			out = append(out, fmt.Sprintf("%s waits for %s (%s)", v.Client, who, base(v.Waits)))
		}
	}
	return out
}

// seq orders node names by their sequence suffix, zero-padded already.
func seq(node string) string {
	b := base(node)
	if len(b) >= 10 {
		return b[len(b)-10:]
	}
	return b
}

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// String describes the snapshot in a few lines: what runs, who is where,
// the wait-for view, and the resource.
func (s Snapshot) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", s.Recipe, s.Summary)
	if s.Unsafe {
		b.WriteString(" (UNSAFE)")
	}
	b.WriteString("\n")
	for _, c := range s.Clients {
		b.WriteString("  " + c.String() + "\n")
	}
	for _, w := range s.WaitFor {
		b.WriteString("  " + w + "\n")
	}
	if len(s.Leaders) > 1 {
		fmt.Fprintf(&b, "  %d clients hold or lead at once: %s\n", len(s.Leaders), strings.Join(s.Leaders, ", "))
	}
	b.WriteString("  " + s.Resource.String() + "\n")
	return b.String()
}
