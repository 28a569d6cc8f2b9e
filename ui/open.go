package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Playable is a lesson or a demo the console can open from its command
// line (`:lesson NAME`, `:demo NAME`). The console imports neither
// package: main lists them in Options.Catalog and plays the one picked.
type Playable struct {
	Kind   string // "lesson" or "demo"
	Number int    // place in the course (lessons), 0 for demos
	Name   string // "sessions"
	Title  string
}

func (p Playable) String() string {
	if p.Number > 0 {
		return fmt.Sprintf("%s %d (%s)", p.Kind, p.Number, p.Name)
	}
	return p.Kind + " " + p.Name
}

// openMsg says the user chose to leave for p.
type openMsg Playable

// openVerb lists the lessons or demos, or, with a name or number, offers
// to leave this ensemble for one: a lesson or demo builds ensembles of its
// own, so the console closes and opens again playing it.
func (a *App) openVerb(kind string, args []string) tea.Cmd {
	var all []Playable
	for _, p := range a.catalog {
		if p.Kind == kind {
			all = append(all, p)
		}
	}
	if a.open == nil || len(all) == 0 {
		a.setStatus(statusErr, fmt.Sprintf("%s: this console cannot open one; run coordtui %s NAME", kind, kind))
		return nil
	}
	if len(args) == 0 {
		a.showOutput(playableList(all, max(a.height/3, 4)-1, a.width-4)) // a line goes to the command echoed
		a.setStatus(statusInfo, fmt.Sprintf(":%s NAME opens one (this console closes, and opens again playing it)", kind))
		return nil
	}
	if len(args) > 1 {
		a.setStatus(statusErr, fmt.Sprintf("%s: usage: %s [NAME]", kind, kind))
		return nil
	}
	for _, p := range all {
		if p.Name == args[0] || (p.Number > 0 && strconv.Itoa(p.Number) == args[0]) {
			return a.offerOpen(p)
		}
	}
	a.setStatus(statusErr, fmt.Sprintf("%s: no %s %q (:%s lists them)", kind, kind, args[0], kind))
	return nil
}

// offerOpen asks before leaving, since the ensemble on screen (and any
// workers or lesson under way) goes with the console.
func (a *App) offerOpen(p Playable) tea.Cmd {
	what := "this ensemble"
	if a.player != nil {
		what = "this " + a.player.script.Kind
	}
	r := confirmReq{question: fmt.Sprintf("Leave %s for %s?\n%s", what, p, p.Title), reply: make(chan bool, 1)}
	a.confirm = &r
	return func() tea.Msg {
		if <-r.reply {
			return openMsg(p)
		}
		return nil
	}
}

// onOpen hands the choice to main and closes the console.
func (a *App) onOpen(p Playable) tea.Cmd {
	a.open(p)
	return a.quit()
}

// playableList lists all in rows lines of width cells: one per line with
// its title when they fit (the output box shows its last rows lines),
// names alone in columns otherwise (13 lessons at 80×24).
func playableList(all []Playable, rows, width int) string {
	label := func(p Playable) string {
		if p.Number > 0 {
			return fmt.Sprintf("%2d %s", p.Number, p.Name)
		}
		return p.Name
	}
	if len(all) <= rows {
		lines := make([]string, len(all))
		for i, p := range all {
			lines[i] = fmt.Sprintf("%-22s %s", label(p), p.Title)
		}
		return strings.Join(lines, "\n")
	}
	colW := 0
	for _, p := range all {
		colW = max(colW, len(label(p))+2)
	}
	cols := max(width/colW, 1)
	rows = (len(all) + cols - 1) / cols
	lines := make([]string, rows)
	for i, p := range all {
		lines[i%rows] += fmt.Sprintf("%-*s", colW, label(p))
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}
