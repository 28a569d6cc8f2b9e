package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/ui/pane"
)

// A console over the hand-built scene, at w×h, driven by Update alone.
func sceneApp(w, h int, noColor bool) *App {
	src := scene()
	a := newApp(src, nil, "default", noColor)
	a.c.Now = func() time.Time { return frameNow }
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	a.Update(snapshotMsg(src.snap))
	a.tree.Wants()
	a.tree.SetChildren("/", src.kids["/"], nil)
	return a
}

// Clicking a pane focuses it and selects what is under the mouse; the
// wheel scrolls the pane under it.
func TestMouseSelects(t *testing.T) {
	a := sceneApp(120, 40, false)
	click := func(x, y int) {
		a.Update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	}
	click(5, 4) // Members, the row of n2
	if a.focus != pane.MembersPane {
		t.Fatalf("focus %v after clicking Members", a.focus)
	}
	if m, _ := a.members.Selected(); m.Name != "n2" {
		t.Fatalf("selected %s, want n2", m.Name)
	}
	for _, ar := range a.areas {
		if ar.id == pane.TreePane {
			click(ar.x+3, ar.y+2) // the second row: app
		}
	}
	if a.focus != pane.TreePane || a.tree.SelectedPath() != "/app" {
		t.Fatalf("focus %v, tree at %q", a.focus, a.tree.SelectedPath())
	}
	for _, ar := range a.areas {
		if ar.id == pane.NetworkPane {
			click(ar.x+1+8+1+5, ar.y+2) // row n1, column n2
		}
	}
	if from, to, _ := a.network.SelectedLink(); from != "n1" || to != "n2" {
		t.Fatalf("clicked link %s->%s, want n1->n2", from, to)
	}
	a.Update(tea.MouseWheelMsg{X: 5, Y: 4, Button: tea.MouseWheelDown})
	if a.focus != pane.MembersPane {
		t.Fatalf("wheel over Members focused %v", a.focus)
	}
	// At 80×24 the tabs are clickable.
	small := sceneApp(80, 24, false)
	for _, tab := range small.tabs {
		if tab.id == pane.NetworkPane {
			small.Update(tea.MouseClickMsg{X: tab.x + 1, Y: tab.y, Button: tea.MouseLeft})
		}
	}
	if small.focus != pane.NetworkPane {
		t.Fatalf("clicking the Network tab focused %v", small.focus)
	}
}

var colorRe = regexp.MustCompile(`\x1b\[[0-9;]*(38|48);[25];`)

// NO_COLOR: the console draws without a single colour, and T does not
// bring one back.
func TestNoColor(t *testing.T) {
	a := sceneApp(120, 40, true)
	a.Update(key("T"))
	out := a.View().Content
	if colorRe.MatchString(out) {
		t.Fatalf("colour escapes with NO_COLOR: %q", colorRe.FindString(out))
	}
	if !strings.Contains(a.status.text, "NO_COLOR") {
		t.Fatalf("status after T: %q", a.status.text)
	}
	if colored := sceneApp(120, 40, false).View().Content; !colorRe.MatchString(colored) {
		t.Fatal("the default theme draws no colour at all: the check above proves nothing")
	}
}

// Keys never take the console down: every key in every pane, with nothing
// loaded and with the help open, leaves a screen of the right size.
func TestEveryKeyInEveryPane(t *testing.T) {
	keys := []string{"?", "x", "r", "t", "a", "o", "R", "enter", "up", "down", "/", "v", "f", "s", "c", "e", "F", "b", "d", "n", "N", "S", "-", "+", "space", "tab", "esc", "z", "H", "P", "O", "I"}
	for _, size := range [][2]int{{120, 40}, {80, 24}, {40, 12}, {20, 5}} {
		a := sceneApp(size[0], size[1], false)
		a.ctrl = nil // nothing may run: every key must be refused or harmless
		for _, id := range pane.IDs {
			a.setFocus(id)
			for _, k := range keys {
				a.Update(key(k))
				if a.help {
					a.Update(key("esc"))
				}
				if a.mode != modeKeys {
					a.Update(key("esc"))
				}
				lines := strings.Split(a.render(), "\n")
				if len(lines) != size[1] {
					t.Fatalf("%dx%d, pane %v, key %q: %d lines", size[0], size[1], id, k, len(lines))
				}
			}
		}
	}
}
