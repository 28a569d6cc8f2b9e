package pane

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"coordtui/recipes/runner"
)

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
			lastElem(c.Node), token, r.doing(c)})
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
