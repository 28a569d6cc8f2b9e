package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"coordtui/ui/pane"
	"coordtui/ui/source"
)

// View draws the whole screen.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "coordtui"
	return v
}

// render draws the screen as text, exactly width×height.
func (a *App) render() string {
	w, h := a.width, a.height
	if w <= 0 || h <= 0 {
		return "coordtui: starting…"
	}
	if w < 40 || h < 12 {
		return pane.Block([]string{"coordtui needs at least 40×12;", fmt.Sprintf("this terminal is %d×%d", w, h)}, w, h)
	}
	lines := make([]string, 0, h)
	lines = append(lines, a.header(w))
	if a.wide() {
		lines = append(lines, a.grid()...)
	} else {
		lines = append(lines, a.tabBar(w))
		lines = append(lines, strings.Split(a.paneOf(a.focus).View(), "\n")...)
	}
	lines = append(lines, a.playerView()...)
	lines = append(lines, a.statusLine(w), a.bottomLine(w))
	switch {
	case a.confirm != nil:
		lines = overlay(lines, a.confirmBox(w), w, h)
	case a.player != nil && a.player.quiz != nil:
		lines = overlay(lines, pane.QuizBox(a.c.Styles, *a.player.quiz, w), w, h)
	case a.help:
		lines = overlay(lines, a.helpBox(w, h), w, h)
	case len(a.output) > 0 && (a.mode == modeCommand || a.mode == modeKeys):
		lines = a.outputBox(lines, w, h)
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// grid joins the wide layout's two columns line by line.
func (a *App) grid() []string {
	var left, right []string
	for _, ar := range a.areas {
		v := strings.Split(a.paneOf(ar.id).View(), "\n")
		if ar.x == 0 {
			left = append(left, v...)
		} else {
			right = append(right, v...)
		}
	}
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = l + r
	}
	return out
}

// header says what this is, who leads, the quorum in words and how to
// connect.
func (a *App) header(w int) string {
	st := a.c.Styles
	s := a.snap
	var parts []string
	title := "coordtui"
	if s.Mode == "attached" {
		title += " attached"
		if s.ReadOnly {
			title += " (read-only)"
		}
	}
	parts = append(parts, title)
	if l, ok := s.LeaderMember(); ok {
		parts = append(parts, fmt.Sprintf("leader %s T%d", l.Name, l.Term))
	} else if len(s.Members) > 0 {
		parts = append(parts, "no leader")
	}
	if len(s.Members) > 0 && !a.wide() && s.ConnString == "" {
		parts = append(parts, source.QuorumOf(s).Words)
	}
	var tags []string
	if a.paused {
		tags = append(tags, fmt.Sprintf("PAUSED (%d events waiting)", a.pending.Len()))
	}
	if s.Step {
		tags = append(tags, "STEP")
	}
	if s.Speed > 1 {
		tags = append(tags, fmt.Sprintf("slow ×%g", s.Speed))
	}
	left := " " + strings.Join(append(parts, tags...), " · ")
	right := ""
	if s.ConnString != "" {
		right = "zkCli.sh -server " + s.ConnString + " "
		if ansi.StringWidth(left)+ansi.StringWidth(right)+2 > w {
			right = s.ConnString + " "
		}
	}
	if ansi.StringWidth(left)+ansi.StringWidth(right) > w {
		left = pane.Fit(left, max(w-ansi.StringWidth(right)-1, 10))
	}
	pad := max(w-ansi.StringWidth(left)-ansi.StringWidth(right), 0)
	return st.Header.Render(pane.Fit(left+strings.Repeat(" ", pad)+right, w))
}

func (a *App) tabBar(w int) string {
	st := a.c.Styles
	var b strings.Builder
	for i, id := range a.tabIDs() {
		if i > 0 {
			b.WriteByte(' ')
		}
		label := tabLabel(id)
		if id == a.focus {
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.Tab.Render(label))
		}
	}
	if len(a.snap.Members) > 0 {
		q := source.QuorumOf(a.snap)
		mark, style := fmt.Sprintf("quorum %d/%d ok", q.Reachable, q.Voters), st.OK
		if !q.Commits {
			mark, style = fmt.Sprintf("NO QUORUM %d/%d", q.Reachable, q.Voters), st.Warn
		}
		if ansi.StringWidth(b.String())+ansi.StringWidth(mark)+2 > w { // seven tabs at 80 columns
			mark = fmt.Sprintf("%d/%d ok", q.Reachable, q.Voters)
			if !q.Commits {
				mark = "NO QUORUM"
			}
		}
		if pad := w - ansi.StringWidth(b.String()) - ansi.StringWidth(mark) - 1; pad >= 1 {
			b.WriteString(strings.Repeat(" ", pad) + style.Render(mark))
		}
	}
	return pane.Fit(b.String(), w)
}

// statusLine shows the last result, error or piece of news; in step mode
// it always says what step mode does.
func (a *App) statusLine(w int) string {
	st := a.c.Styles
	text := a.status.text
	style := st.Text
	switch a.status.kind {
	case statusOK:
		style = st.OK
	case statusErr:
		style = st.Err
	case statusNews:
		style = st.Bold
	}
	if a.snap.Step && a.snap.StepNote != "" && a.status.kind != statusErr {
		text, style = "STEP MODE: "+a.snap.StepNote, st.Warn
	}
	return pane.Fit(style.Render(" "+text), w)
}

// bottomLine is the command line while it is open, else the filter being
// typed, else the keys of the focused pane.
func (a *App) bottomLine(w int) string {
	st := a.c.Styles
	switch a.mode {
	case modeCommand:
		prompt := ": "
		if a.running {
			prompt = "… "
		}
		b, at, af := a.line.view(w - 3)
		return pane.Fit(st.Key.Render(prompt)+b+st.Selected.Render(at)+af, w)
	case modeFilter:
		b, at, af := a.filter.view(w - 9)
		return pane.Fit(st.Key.Render("filter / ")+b+st.Selected.Render(at)+af, w)
	}
	return a.hints(w)
}

// hints lists the focused pane's keys, then the global ones, dimmed where
// they do not apply now.
func (a *App) hints(w int) string {
	st := a.c.Styles
	var parts []string
	seen := map[Action]bool{}
	add := func(bs []Binding) {
		for _, b := range bs {
			if b.Key == "" || strings.HasPrefix(b.Key, "↑") || strings.HasPrefix(b.Key, "↓") || b.Action == ActFocusN || seen[b.Action] {
				continue
			}
			seen[b.Action] = true
			if ok, _ := a.enabled(b.Action); ok {
				parts = append(parts, st.Key.Render(b.Key)+" "+st.Text.Render(b.Help))
			} else {
				parts = append(parts, st.KeyDisabled.Render(b.Key+" "+b.Help))
			}
		}
	}
	if a.player != nil {
		var on []Binding // the player's keys that do nothing now would crowd the line
		for _, b := range a.keys.player() {
			if ok, _ := a.enabled(b.Action); ok {
				on = append(on, b)
			}
		}
		add(on)
	}
	add(a.keys.For(a.focus))
	add(a.keys.For(0))
	line := " "
	for _, p := range parts {
		if ansi.StringWidth(line)+ansi.StringWidth(p)+2 > w {
			break
		}
		line += p + "  "
	}
	return pane.Fit(line, w)
}

// overlay draws box centred over lines.
func overlay(lines, box []string, w, h int) []string {
	if len(box) == 0 {
		return lines
	}
	bw := ansi.StringWidth(box[0])
	x := max((w-bw)/2, 0)
	y := max((h-len(box))/2, 0)
	for i, b := range box {
		if y+i >= len(lines) {
			break
		}
		l := lines[y+i]
		lines[y+i] = ansi.Cut(l, 0, x) + b + ansi.Cut(l, x+bw, w)
	}
	return lines
}

func (a *App) confirmBox(w int) []string {
	body := strings.Split(a.confirm.question, "\n")
	widest := 0
	for _, l := range body {
		widest = max(widest, ansi.StringWidth(l))
	}
	bw := min(max(widest+4, 40), w-2)
	body = append(body, "", "y: yes, run it    n: no")
	return strings.Split(pane.Frame(a.c.Styles, "confirm", body, bw, len(body)+2, true), "\n")
}

// outputBox shows command output above the status line.
func (a *App) outputBox(lines []string, w, h int) []string {
	n := min(len(a.output), max(h/3, 4))
	body := a.output[len(a.output)-n:]
	box := strings.Split(pane.Frame(a.c.Styles, "output (esc closes)", body, w, n+2, true), "\n")
	start := h - 2 - len(box)
	for i, b := range box {
		if start+i >= 1 && start+i < len(lines) {
			lines[start+i] = b
		}
	}
	return lines
}
