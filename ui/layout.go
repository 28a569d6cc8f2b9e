package ui

import (
	"coordtui/ui/pane"
)

// Wide layouts show every pane at once; below these sizes panes become
// tabs.
const (
	wideMinW = 100
	wideMinH = 30
)

func (a *App) wide() bool { return a.width >= wideMinW && a.height >= wideMinH }

func (a *App) resize(w, h int) {
	a.width, a.height = w, h
	a.layout()
}

// layout decides where every pane goes and tells each its size.
//
// Wide:   header                          Narrow: header
//
//	Members  | Network                      tabs
//	Tree     | zxid log                     the focused pane
//	Sessions | Watches                      status
//	status, command line                    command line
func (a *App) layout() {
	w, h := a.width, a.height
	a.areas, a.tabs = a.areas[:0], a.tabs[:0]
	if w <= 0 || h <= 0 {
		return
	}
	body := h - 3 // header, status, command line
	if !a.wide() {
		a.narrowLayout(w, body-1)
		return
	}
	lw := w * 11 / 20
	rw := w - lw
	r1 := min(max(a.members.Wants(), 8), body*2/5)
	rest := body - r1
	r2 := rest * 60 / 100
	r3 := rest - r2
	place := func(id pane.ID, x, y, pw, ph int) {
		a.paneOf(id).SetSize(pw, ph)
		a.areas = append(a.areas, area{id: id, x: x, y: y, w: pw, h: ph})
	}
	place(pane.MembersPane, 0, 1, lw, r1)
	place(pane.TreePane, 0, 1+r1, lw, r2)
	place(pane.SessionsPane, 0, 1+r1+r2, lw, r3)
	place(pane.NetworkPane, lw, 1, rw, r1)
	if a.recipesShown {
		// The runner covers the zxid log and Watches (3 or 4 brings them
		// back, 7 covers them again): Members and the tree stay in view.
		place(pane.RecipesPane, lw, 1+r1, rw, r2+r3)
		return
	}
	place(pane.LogPane, lw, 1+r1, rw, r2)
	place(pane.WatchesPane, lw, 1+r1+r2, rw, r3)
}

func (a *App) narrowLayout(w, body int) {
	for _, id := range pane.IDs {
		a.paneOf(id).SetSize(w, body)
	}
	a.areas = append(a.areas, area{id: a.focus, x: 0, y: 2, w: w, h: body})
	x := 0
	for _, id := range a.tabIDs() {
		label := tabLabel(id)
		a.tabs = append(a.tabs, area{id: id, x: x, y: 1, w: len([]rune(label)), h: 1})
		x += len([]rune(label)) + 1
	}
}

// tabIDs are the narrow layout's tabs: the Recipes tab only while a
// recipe runs or it is focused (7 reaches it always), so that the bar
// keeps room for the quorum.
func (a *App) tabIDs() []pane.ID {
	if a.recipe != nil || a.focus == pane.RecipesPane {
		return pane.IDs
	}
	return pane.IDs[:len(pane.IDs)-1]
}

func tabLabel(id pane.ID) string {
	return string(rune('0'+int(id))) + " " + id.Title()
}

// sizedView is what layout needs of a pane.
type sizedView interface {
	SetSize(w, h int)
	View() string
}

func (a *App) paneOf(id pane.ID) sizedView {
	switch id {
	case pane.MembersPane:
		return a.members
	case pane.TreePane:
		return a.tree
	case pane.LogPane:
		return a.log
	case pane.WatchesPane:
		return a.watches
	case pane.SessionsPane:
		return a.sessions
	case pane.RecipesPane:
		return a.recipes
	}
	return a.network
}
