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

// :lesson lists the course, refuses a name it does not know, and opens one
// only once the user says yes; the console then closes for it.
func TestLessonVerbOpensOnlyAfterYes(t *testing.T) {
	a := sceneApp(120, 40, false)
	var opened []Playable
	a.catalog = []Playable{{Kind: "lesson", Number: 1, Name: "why", Title: "Why coordination is hard"},
		{Kind: "lesson", Number: 2, Name: "znodes", Title: "Znodes"}, {Kind: "demo", Name: "split-brain", Title: "Split brain"}}
	a.open = func(p Playable) { opened = append(opened, p) }
	run := func(line string) tea.Cmd {
		a.Update(key(":"))
		a.line.set(line)
		_, cmd := a.Update(key("enter"))
		return cmd
	}
	run("lesson")
	if out := strings.Join(a.output, "\n"); !strings.Contains(out, " 2 znodes") || strings.Contains(out, "split-brain") {
		t.Fatalf(":lesson listed\n%s", out)
	}
	run("lesson 9")
	if !strings.Contains(a.status.text, `no lesson "9"`) {
		t.Fatalf("status %q", a.status.text)
	}
	answer := func(line, key string) tea.Msg {
		cmd := run(line)
		if a.confirm == nil || cmd == nil {
			t.Fatalf("%s asked nothing", line)
		}
		a.answer(key)
		return cmd()
	}
	if msg := answer("lesson 2", "n"); msg != nil || len(opened) > 0 {
		t.Fatalf("no still opened: %v %v", msg, opened)
	}
	msg := answer("demo split-brain", "y")
	if _, cmd := a.Update(msg); cmd == nil || len(opened) != 1 || opened[0].Name != "split-brain" {
		t.Fatalf("yes opened %v", opened)
	}
	if a.ctx.Err() == nil {
		t.Fatal("the console did not close for the demo")
	}
}

// The course fits the output box: with titles when there is room, names
// in columns when not.
func TestPlayableListFits(t *testing.T) {
	var all []Playable
	for i, n := range []string{"why", "data-model", "sessions", "watches", "primitives"} {
		all = append(all, Playable{Kind: "lesson", Number: i + 1, Name: n, Title: "T" + n})
	}
	if got := playableList(all, 6, 76); strings.Count(got, "\n") != 4 || !strings.Contains(got, " 3 sessions") || !strings.Contains(got, "Tsessions") {
		t.Fatalf("roomy:\n%s", got)
	}
	got := playableList(all, 2, 45)
	want := " 1 why          3 sessions     5 primitives\n 2 data-model   4 watches"
	if got != want {
		t.Fatalf("narrow:\n%q\nwant\n%q", got, want)
	}
}

// Tab completes the console's own verbs and what :lesson, :demo and
// :recipe take.
func TestTabCompletesConsoleVerbs(t *testing.T) {
	a := sceneApp(120, 40, false)
	a.catalog = []Playable{{Kind: "lesson", Number: 2, Name: "data-model"}, {Kind: "demo", Name: "split-brain"}}
	for _, tc := range []struct{ typed, want string }{
		{"les", "lesson"},
		{"lesson da", "lesson data-model"},
		{"demo s", "demo split-brain"},
		{"recipe sem", "recipe semaphore"},
		{"recipe unsafe-h", "recipe unsafe-he"},
		{"lesson zz", "lesson zz"},
	} {
		a.Update(key(":"))
		a.line.set(tc.typed)
		cmd := a.completeCmd(tc.typed)
		if cmd == nil {
			t.Fatalf("%q: nothing to complete", tc.typed)
		}
		a.Update(cmd())
		if got := a.line.String(); got != tc.want {
			t.Errorf("%q completed to %q, want %q", tc.typed, got, tc.want)
		}
		a.Update(key("esc"))
	}
}

// The key help lists the command line's console verbs too: nothing else
// says :lesson or :recipe exist.
func TestHelpListsConsoleVerbs(t *testing.T) {
	a := sceneApp(120, 40, false)
	box := strings.Join(a.helpBox(120, 200), "\n")
	for _, v := range []string{": command line", "lesson [N|NAME]", "recipe NAME [N]", "workers N"} {
		if !strings.Contains(box, v) {
			t.Errorf("help box lacks %q", v)
		}
	}
}
