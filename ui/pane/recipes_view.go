package pane

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"coordtui/recipes"
	"coordtui/recipes/runner"
)

// labelW is the width of the labels ("wait-for", "tokens", ...) on the
// right-hand sections.
const labelW = 10

// twoColumns is the inner width from which the pane may put the program
// and clients beside the rest instead of above it.
const twoColumns = 100

// View renders the pane at its size.
func (r *Recipes) View() string {
	st := r.c.Styles
	iw, ih := r.inner()
	r.rowY = r.rowY[:0]
	if !r.active {
		return Frame(st, "7 Recipes", r.catalogLines(), r.w, r.h, r.focused)
	}
	s := r.snap
	title := "7 Recipes · " + string(s.Recipe)
	if s.Unsafe {
		title += " UNSAFE"
	}
	if s.Together {
		title += " · together"
	} else {
		title += " · stepped"
	}
	var body []string
	// One column while everything fits; on a wide, short pane the program
	// and clients go beside the rest.
	need := 2 + len(s.Program) + max(len(s.Clients), 1) + r.rightMin() + 4
	if iw >= twoColumns && ih < need {
		lw := iw / 2
		rw := iw - lw - 3
		left := r.leftSide(lw, ih, 0)
		right := r.rightSide(rw, ih)
		for i := range ih {
			l, rr := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				rr = right[i]
			}
			body = append(body, Fit(l, lw)+st.Border.Render(" │ ")+rr)
		}
	} else {
		left := r.leftSide(iw, ih, r.rightMin())
		body = append(left, r.rightSide(iw, ih-len(left))...)
	}
	return Frame(st, title, body, r.w, r.h, r.focused)
}

// leftSide is the summary, the program with the clients' lines marked
// and the clients' table, in h rows less reserve (kept for what follows).
func (r *Recipes) leftSide(w, h, reserve int) []string {
	st := r.c.Styles
	s := r.snap
	out := []string{st.Text.Render(s.Summary)}
	if s.Unsafe {
		out[0] = st.Err.Render("UNSAFE, for teaching: ") + st.Text.Render(s.Summary)
	}
	table := r.clientLines(w)
	room := h - reserve - len(out) - len(table)
	out = append(out, r.programLines(w, room)...)
	for i := range table {
		if i > 0 {
			r.rowY = append(r.rowY, len(out)+1) // +1: the frame's top edge
		}
		out = append(out, table[i])
	}
	return out
}

// rightMin is what the right-hand sections need at the least.
func (r *Recipes) rightMin() int {
	n := max(len(r.snap.WaitFor), 1) + 3
	if len(r.snap.Resource.Violations) > 0 {
		n += 2
	}
	return n
}

// programLines lists the program with each client's marker before its
// line; with fewer than room rows only the lines a client is on.
func (r *Recipes) programLines(w, room int) []string {
	st := r.c.Styles
	s := r.snap
	at := map[int][]runner.ClientView{}
	for _, c := range s.Clients {
		at[c.Line] = append(at[c.Line], c)
	}
	marker := func(cs []runner.ClientView) string {
		if len(cs) == 0 {
			return ""
		}
		if len(cs) > 3 {
			return fmt.Sprintf("%s +%d ▸", cs[0].Name, len(cs)-1)
		}
		names := make([]string, len(cs))
		for i, c := range cs {
			names[i] = c.Name
		}
		return strings.Join(names, " ") + " ▸"
	}
	gw := 0
	for _, cs := range at {
		gw = max(gw, len([]rune(marker(cs))))
	}
	full := len(s.Program) <= room
	var out []string
	for i, text := range s.Program {
		n := i + 1
		cs := at[n]
		if !full && len(cs) == 0 {
			continue
		}
		m := marker(cs)
		pad := strings.Repeat(" ", gw-len([]rune(m)))
		style, line := st.Fresh, st.Dim
		if len(cs) > 0 {
			line = st.Text
		}
		for _, c := range cs {
			if c.Holds {
				style = st.Leader
			}
			if c.Name == r.sel {
				line = st.Bold
			}
		}
		out = append(out, pad+style.Render(m)+" "+st.Dim.Render(fmt.Sprintf("%2d", n))+" "+line.Render(Fit(text, max(w-gw-4, 1))))
	}
	return out
}

var clientCols = []Column{
	{Title: " client", Width: 7},
	{Title: "state", Width: 9},
	{Title: "line", Width: 4, Right: true, Drop: 3},
	{Title: "node", Width: 12, Drop: 2},
	{Title: "token", Width: 12, Drop: 1},
	{Title: "next request / waits for", Width: 34, Flex: true},
}

// clientLines is the clients' table, header first.
func (r *Recipes) clientLines(w int) []string {
	st := r.c.Styles
	s := r.snap
	rows := make([][]string, 0, len(s.Clients))
	for _, c := range s.Clients {
		mark := " "
		if c.Name == r.sel && r.focused {
			mark = "›"
		}
		state := stateOf(s.Recipe, c)
		token := ""
		if c.Holds && c.Token != 0 {
			token = c.Token.String()
		}
		rows = append(rows, []string{mark + c.Name, r.stateStyle(state).Render(state), strconv.Itoa(c.Line),
			base(c.Node), token, r.doing(c)})
	}
	// Recipes without queue nodes or tokens (the heartbeat, the counter)
	// leave those columns out rather than draw them empty.
	cols := clientCols
	for _, col := range []int{4, 3} {
		empty := true
		for _, row := range rows {
			empty = empty && row[col] == ""
		}
		if empty {
			cols = append(cols[:col:col], cols[col+1:]...)
			for i := range rows {
				rows[i] = append(rows[i][:col:col], rows[i][col+1:]...)
			}
		}
	}
	head, lines := Table(st, cols, rows, w)
	if len(rows) == 0 {
		lines = []string{st.Dim.Render(" no clients: c adds a worker")}
	}
	return append([]string{head}, lines...)
}

// doing is what a client is about to do, or waits for.
func (r *Recipes) doing(c runner.ClientView) string {
	st := r.c.Styles
	switch {
	case c.Err != "":
		return st.Err.Render(c.Err)
	case c.Waiting != "":
		return "waits for " + shortWait(c.Waiting)
	case c.Next != "":
		return st.Bold.Render(request(c.Name, c.Next))
	case c.Done:
		return st.Dim.Render(fmt.Sprintf("finished %d rounds", c.Rounds))
	case c.Last != "":
		return st.Dim.Render("last: " + request(c.Name, c.Last))
	}
	return ""
}

func (r *Recipes) stateStyle(state string) lipgloss.Style {
	st := r.c.Styles
	switch state {
	case "holds", "leads":
		return st.Leader
	case "failed", "lost":
		return st.Err
	case "suspended":
		return st.Warn
	case "at gate":
		return st.Key
	case "done", "waits":
		return st.Dim
	}
	return st.Text
}

// rightSide is the wait-for view, who holds or leads, the tokens, the
// resource and the finished steps, in h rows.
func (r *Recipes) rightSide(w, h int) []string {
	st := r.c.Styles
	s := r.snap
	label := func(l string) string { return st.ColumnHead.Render(Fit(l, labelW)) }
	indent := strings.Repeat(" ", labelW)
	var out []string
	if len(s.WaitFor) == 0 {
		out = append(out, label("wait-for")+st.Dim.Render("nobody waits"))
	}
	// Wrapped, not cut: the end of a queue is who waits last.
	var waits []string
	for _, l := range s.WaitFor {
		waits = append(waits, wrapWords(l, max(w-labelW, 8))...)
	}
	for i, l := range waits {
		p := indent
		if i == 0 {
			p = label("wait-for")
		}
		out = append(out, p+l)
	}
	out = append(out, r.leadersLine(label(leadWord(s.Recipe))))

	n := s.Counts
	tokSum := fmt.Sprintf("%d issued · %d accepted · ", n.Issued, n.Accepted)
	refSum := fmt.Sprintf("%d refused", n.Refused)
	if n.Refused > 0 {
		refSum = st.Err.Render(refSum)
	}
	if s.Resource.Fenced {
		out = append(out, label("tokens")+tokSum+refSum)
	} else {
		out = append(out, label("tokens")+st.Warn.Render("none checked: the resource takes every write"))
	}
	res := s.Resource
	out = append(out, label("resource")+r.resourceLine(res))
	if n := len(res.Violations); n > 0 {
		for _, l := range wrapWords(fmt.Sprintf("%d VIOLATIONS, the last: %s", n, res.Violations[n-1]), max(w-labelW, 8)) {
			out = append(out, indent+st.Err.Render(l))
		}
	}

	rest := max(h-len(out), 0)
	// Rounded up: on a short pane the last token's verdict matters most,
	// then the last write; the steps get what is left.
	tk := min(len(s.Tokens), 4, (rest+2)/3)
	if !s.Resource.Fenced {
		tk = 0
	}
	rk := min(len(res.Log), 4, (rest-tk+1)/2)
	lg := min(len(s.Log), rest-tk-rk)
	// The token events go under the token line, the writes under the
	// resource line.
	var toks, writes, steps []string
	for _, t := range s.Tokens[len(s.Tokens)-tk:] {
		style := st.Text
		switch {
		case strings.HasPrefix(t.What, "refused"):
			style = st.Err
		case t.What == "accepted":
			style = st.OK
		}
		toks = append(toks, indent+style.Render(t.String()))
	}
	for _, u := range res.Log[len(res.Log)-rk:] {
		style := st.Text
		if !u.Accepted {
			style = st.Err
		}
		writes = append(writes, indent+style.Render(u.String()))
	}
	for i, l := range s.Log[len(s.Log)-lg:] {
		p := indent
		if i == 0 {
			p = label("steps")
		}
		steps = append(steps, p+st.Dim.Render(l))
	}
	at := len(out) - 1 // the resource line, or its violations
	for !strings.HasPrefix(ansi.Strip(out[at]), "resource") {
		at--
	}
	out = append(out[:at], append(toks, out[at:]...)...)
	out = append(out, writes...)
	return append(out, steps...)
}

// leadersLine says who holds or leads; more than the recipe allows at
// once stands out in red.
func (r *Recipes) leadersLine(label string) string {
	st := r.c.Styles
	s := r.snap
	switch n := len(s.Leaders); {
	case n == 0:
		return label + st.Dim.Render("nobody")
	case n > allowed(s.Recipe):
		return label + st.Err.Render(fmt.Sprintf("%s — %d AT ONCE", strings.Join(s.Leaders, ", "), n))
	}
	who := strings.Join(s.Leaders, ", ")
	if n := len(s.Leaders); n == 1 {
		for _, c := range s.Clients {
			if c.Name == s.Leaders[0] && c.Token != 0 {
				who += " with token " + c.Token.String()
			}
		}
	}
	return label + st.Leader.Render(who)
}

// shortWait names the znode waited on by its last element:
// "/lock/l-0000000000 (predecessor)" → "l-0000000000 (predecessor)".
func shortWait(w string) string {
	if !strings.HasPrefix(w, "/") {
		return w
	}
	path, rest, _ := strings.Cut(w, " ")
	if rest != "" {
		rest = " " + rest
	}
	return base(path) + rest
}

func (r *Recipes) resourceLine(res recipes.ResourceSnapshot) string {
	st := r.c.Styles
	kind := st.OK.Render("fenced")
	if !res.Fenced {
		kind = st.Warn.Render("UNFENCED")
	}
	s := kind
	if res.Highest != 0 {
		s += fmt.Sprintf(" · highest %s (%s)", res.Highest, res.HighestBy)
	}
	s += fmt.Sprintf(" · %d accepted · %d refused", res.Accepted, res.Refused)
	if len(res.Inside) > 0 {
		s += " · inside " + strings.Join(res.Inside, " ")
	}
	return s
}

// catalogLines is what the pane shows with no runner: how to start one
// and what there is to run.
func (r *Recipes) catalogLines() []string {
	st := r.c.Styles
	out := []string{
		"No recipe runs. On the command line:",
		"  " + st.Key.Render(":recipe NAME [N]") + " runs NAME with N workers as clients (default 3),",
		"  stepped one request at a time; " + st.Key.Render(":recipe stop") + " ends it.",
		"",
	}
	nw := 0
	for _, i := range r.catalog {
		nw = max(nw, len(i.Recipe))
	}
	for _, i := range r.catalog {
		sum := st.Text.Render(i.Summary)
		if i.Unsafe {
			sum = st.Err.Render("UNSAFE ") + sum
		}
		out = append(out, "  "+st.Bold.Render(Fit(string(i.Recipe), nw))+"  "+sum)
	}
	return out
}

func base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// wrapWords breaks plain text into lines of at most w cells at spaces
// only: znode names such as l-0000000001 stay whole (a word longer than
// a line is cut when drawn).
func wrapWords(text string, w int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= w:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	return append(out, line)
}
