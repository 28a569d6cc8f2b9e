package pane

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"coordtui/lessons/script"
)

// Play is what the player panel shows of a lesson or demo being played.
// The console fills it from the script's runner; it is plain values so
// that golden tests can build one by hand.
type Play struct {
	Kind  string // "lesson" or "demo"
	Title string
	After string // what to do once it is over
	Shown int    // the step on screen, from 1; 0 before the first has run
	Ran   int    // steps run so far
	Steps int

	Cmd    string   // the shown step's command line; "" for narration
	Body   []string // its text (script.Step.Body): narration, a task, a question
	Lines  []string // what it printed
	Failed bool     // the step could not run or a claim did not hold

	Next    string // the command line of the step that runs next ("" at the end)
	Running string // what runs now, "" when idle
	Auto    bool   // steps follow each other after a reading pause
	Note    string // the player's last word: "replaying to step 4…"
	Task    *Task  // an exercise under way, minimised to a banner
	Scroll  int    // lines of the step's text scrolled past

	Held, FailedClaims int // the tally so far
}

// Task is an exercise the learner is doing on the live console.
type Task struct {
	Name    string
	Text    string
	Checks  []script.Claim // the last look at the ensemble
	Done    bool
	Working string // "checking…", "showing you…"
}

// Player is the panel that plays a script: its title, the step, the
// narration and what the step printed, with claims marked held or failed.
type Player struct {
	c *Common
	size
	play Play
}

// NewPlayer returns an empty player panel.
func NewPlayer(c *Common) *Player { return &Player{c: c} }

// SetPlay shows p.
func (p *Player) SetPlay(play Play) { p.play = play }

// View renders the panel at its size.
func (p *Player) View() string {
	st := p.c.Styles
	iw, ih := p.inner()
	pl := p.play
	title := strings.TrimSpace(pl.Kind + ": " + pl.Title)
	if pl.Steps > 0 {
		title += fmt.Sprintf(" · step %d/%d", max(pl.Shown, 1), pl.Steps)
	}
	head := []string{p.stateLine(iw)}
	if pl.Task != nil {
		head = append(head, p.taskLines(iw)...)
	}
	body := p.stepLines(iw)
	room := max(ih-len(head), 0)
	scroll := min(max(pl.Scroll, 0), max(len(body)-room, 0))
	body = body[scroll:]
	if len(body) > room && room > 0 {
		more := len(body) - room + 1
		body = append(body[:room-1], st.Dim.Render(fmt.Sprintf("… %s: ] scrolls, [ back", plural(uint64(more), "more line"))))
	}
	return Frame(st, title, append(head, body...), p.w, p.h, true)
}

// stateLine says whether the player runs, waits or plays by itself, and
// the tally of claims.
func (p *Player) stateLine(w int) string {
	st := p.c.Styles
	pl := p.play
	var left string
	switch {
	case pl.Running != "":
		left = st.Warn.Render("running: " + pl.Running + "…")
	case pl.Shown > 0 && pl.Shown < pl.Ran:
		left = st.Key.Render(".") + st.Text.Render(fmt.Sprintf(" shows step %d again", pl.Shown+1))
	case pl.Ran >= pl.Steps && pl.Steps > 0:
		left = st.OK.Render(fmt.Sprintf("the %s is over", orWord(pl.Kind, "script")))
		if pl.After != "" {
			left += st.Text.Render(" · " + pl.After)
		}
	case pl.Next != "":
		left = st.Key.Render(".") + st.Text.Render(" runs next: "+pl.Next)
	}
	if pl.Note != "" {
		left += st.Dim.Render(" · " + pl.Note)
	}
	mode := "‖ paused"
	if pl.Auto {
		mode = "▶ auto"
	}
	right := fmt.Sprintf("%s · %d ✓ %d ✗", mode, pl.Held, pl.FailedClaims)
	return spread(left, st.Dim.Render(right), w)
}

// taskLines are the exercise's banner: its task, its checks, its keys.
func (p *Player) taskLines(w int) []string {
	st := p.c.Styles
	t := p.play.Task
	state := st.Warn.Render("to do")
	if t.Done {
		state = st.OK.Render("done ✓")
	} else if t.Working != "" {
		state = st.Dim.Render(t.Working)
	}
	head := st.Bold.Render("Exercise "+t.Name) + " · " + state
	if !t.Done {
		head += "   " + st.Key.Render(".") + " check now  " + st.Key.Render("M") + " show me  " + st.Key.Render("X") + " skip"
	}
	out := []string{head}
	for _, l := range script.Paragraphs(strings.Split(t.Text, "\n"), max(w-2, 10)) {
		if l != "" {
			out = append(out, "  "+l)
		}
	}
	for _, c := range t.Checks {
		out = append(out, claimLine(st, c.String(), w))
	}
	return out
}

// stepLines are the shown step: its text, its command and what it
// printed, claims marked.
func (p *Player) stepLines(w int) []string {
	st := p.c.Styles
	pl := p.play
	var out []string
	if pl.Shown == 0 && pl.Running == "" {
		out = append(out, st.Dim.Render("Nothing has run yet: . runs the first step, p plays by itself, ? lists the keys."))
	}
	for _, l := range script.Paragraphs(pl.Body, max(w, 10)) {
		out = append(out, st.Text.Render(l))
	}
	if pl.Cmd != "" {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, st.Key.Render("$ ")+st.Bold.Render(pl.Cmd))
	}
	for _, l := range pl.Lines {
		out = append(out, claimLine(st, l, w))
	}
	return out
}

// claimLine marks a transcript line that is a claim: ✓ held, ✗ failed
// with what was seen instead.
func claimLine(st *Styles, l string, w int) string {
	switch {
	case strings.HasPrefix(l, "ok: "):
		return st.OK.Render("  ✓ " + strings.TrimPrefix(l, "ok: "))
	case strings.HasPrefix(l, "FAILED: "):
		return st.Err.Render("  ✗ " + strings.TrimPrefix(l, "FAILED: "))
	case strings.HasPrefix(l, "error: "):
		return st.Err.Render("  ✗ " + l)
	}
	return st.Dim.Render("  " + l)
}

// spread puts left and right on one line of w cells, right flush; left
// is cut to make room, unless right alone would not fit.
func spread(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	switch {
	case rw+10 > w:
		return Fit(left, w)
	case lw+rw+1 > w:
		return Fit(left, w-rw-1) + " " + right
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
