package pane

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"coordtui/recipes"
	"coordtui/recipes/runner"
)

// labelW is the width of the labels ("wait-for", "tokens", ...) on the
// right-hand sections.
const labelW = 10

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
	if s.Recipe == runner.Counter {
		// No lock, token or resource: the counter's story is its
		// compare-and-set rounds, in the steps.
		return append(out, r.stepLines(label, h-len(out))...)
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
	var toks, writes []string
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
	at := len(out) - 1 // the resource line, or its violations
	for !strings.HasPrefix(ansi.Strip(out[at]), "resource") {
		at--
	}
	out = append(out[:at], append(toks, out[at:]...)...)
	out = append(out, writes...)
	return append(out, r.stepLines(label, lg)...)
}

// stepLines are the latest n finished steps, oldest first.
func (r *Recipes) stepLines(label func(string) string, n int) []string {
	st := r.c.Styles
	log := r.snap.Log
	n = min(max(n, 0), len(log))
	var out []string
	for i, l := range log[len(log)-n:] {
		p := strings.Repeat(" ", labelW)
		if i == 0 {
			p = label("steps")
		}
		out = append(out, p+st.Dim.Render(l))
	}
	return out
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
	return lastElem(path) + rest
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

func lastElem(p string) string {
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
