package ui

import (
	"regexp"
	"strings"
	"testing"

	"coordtui/ui/pane"
)

var clientRowRe = regexp.MustCompile(`│[› ](w\d+) +(holds|leads|waits|at gate|runs|done|failed|suspended|lost)\b.*`)

// clientRow returns the Recipes pane's row of client name as the screen
// shows it, "" when it is not there.
func clientRow(screen, name string) string {
	for _, m := range clientRowRe.FindAllStringSubmatch(screen, -1) {
		if m[1] == name {
			return m[0]
		}
	}
	return ""
}

// stepUntil presses s (step the selected client) until its row says
// state, waiting after each press for the row to change.
func stepUntil(t *testing.T, p *probe, press func(), name, state string) string {
	t.Helper()
	for range 12 {
		s := p.waitScreen(t, name+" held at the gate or "+state, wait, func(s string) bool {
			r := clientRow(s, name)
			return strings.Contains(r, " "+state+" ") || strings.Contains(r, "at gate")
		})
		row := clientRow(s, name)
		if strings.Contains(row, " "+state+" ") {
			return s
		}
		press()
		p.waitScreen(t, name+"'s row to change after a step", wait, func(s string) bool { return clientRow(s, name) != row })
	}
	t.Fatalf("%s is not %s after 12 steps:\n%s", name, state, p.screen())
	return ""
}

// :recipe lock 2 on a real ensemble: step w1 until it holds the lock,
// then w2 until it waits on w1, and read it all off the screen.
func TestRecipeLockStepped(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	command(tm, "recipe lock 2")
	p.waitFor(t, wait, "7 Recipes · lock · stepped", "clients w1, w2 added")
	tm.Send(key("esc")) // close the command line: keys go to the pane again
	p.waitScreen(t, "both clients at the gate", wait, func(s string) bool {
		return strings.Contains(clientRow(s, "w1"), "at gate") && strings.Contains(clientRow(s, "w2"), "at gate")
	})
	stepUntil(t, p, func() { press(tm, "s") }, "w1", "holds")
	press(tm, "j")
	p.waitFor(t, wait, "│›w2")
	stepUntil(t, p, func() { press(tm, "s") }, "w2", "waits")
	s := p.waitFor(t, wait, "w2 waits for w1 (l-0000000000)", "queue /lock: w1 l-0000000000 (holds) <- w2", "l-0000000001")
	if !regexp.MustCompile(`holds +w1 with token 0x[0-9a-f]+_[0-9a-f]{8}`).MatchString(s) {
		t.Fatalf("the holder and its token are not on screen:\n%s", s)
	}
	// The zxid log and Watches are covered; 3 brings the log back, 7 the
	// runner.
	press(tm, "3")
	p.waitFor(t, wait, "3 zxid log")
	press(tm, "7")
	p.waitFor(t, wait, "7 Recipes · lock")
	// A key that does not apply says why: w2 waits, it has nothing held.
	press(tm, "s")
	p.waitFor(t, wait, "w2 has no request held at the gate: it waits for /lock/l-0000000000")
	// Pause freezes the pane too: running together shows on resume.
	press(tm, "space")
	p.waitFor(t, wait, "PAUSED")
	press(tm, "t")
	if s := p.waitFor(t, wait, "clients run together, freely"); !strings.Contains(s, "7 Recipes · lock · stepped") {
		t.Fatalf("the pane moved while paused:\n%s", s)
	}
	press(tm, "space")
	p.waitFor(t, wait, "7 Recipes · lock · together")
	command(tm, "recipe stop")
	p.waitFor(t, wait, "lock stopped; its workers are free again", "No recipe runs.")
}

// Without a runner the pane lists the catalog and its keys are dimmed
// with the reason; bad :recipe input is answered, and nothing breaks.
func TestRecipeKeysWithoutRunner(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		a := sceneApp(size[0], size[1], false)
		a.Update(key("7"))
		if a.focus != pane.RecipesPane {
			t.Fatalf("7 focused %v", a.focus)
		}
		out := a.render()
		for _, want := range []string{"No recipe runs.", "unsafe-heartbeat", "7 Recipes"} {
			if !strings.Contains(out, want) {
				t.Fatalf("%v: %q not on screen:\n%s", size, want, out)
			}
		}
		a.Update(key("s"))
		if !strings.Contains(a.status.text, "no recipe runs: :recipe NAME starts one") {
			t.Fatalf("s without a runner: %q", a.status.text)
		}
		for _, line := range []string{"recipe nosuch", "recipe lock many", "recipe stop", "recipe lock 2 3"} {
			a.Update(key(":"))
			for _, r := range line {
				a.Update(key(string(r)))
			}
			a.Update(key("enter"))
			if a.status.kind != statusErr {
				t.Fatalf("%q: status %q is not an error", line, a.status.text)
			}
			a.Update(key("esc"))
		}
		if lines := strings.Split(a.render(), "\n"); len(lines) != size[1] {
			t.Fatalf("%d lines at %v", len(lines), size)
		}
	}
}
