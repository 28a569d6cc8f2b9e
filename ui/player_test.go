package ui

import (
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"coordtui/cluster"
	"coordtui/lessons/script"
)

// tinyLesson plays ui/testdata/player.txt on the quick test timing.
func tinyLesson(t *testing.T) Script {
	t.Helper()
	src, err := os.ReadFile("testdata/player.txt")
	if err != nil {
		t.Fatal(err)
	}
	s, err := script.Parse("player", string(src))
	if err != nil {
		t.Fatal(err)
	}
	return Script{Kind: "lesson", Title: s.Meta("title"), Timing: cluster.TestTiming,
		New: func(cfg script.Config) (*script.Runner, error) { return script.NewRunner(s, cfg) }}
}

// playing runs the console playing s in a test program of w×h cells.
func playing(t *testing.T, s Script, w, h int, setup ...func(*App)) (*probe, *teatest.TestModel) {
	t.Helper()
	app, err := newPlayerApp(s, "default", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(app)
	}
	p := &probe{App: app}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() {
		tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
		app.shutdown()
		app.player.close()
	})
	return p, tm
}

// A learner plays a tiny lesson in the console: steps on with ".", does
// the exercise on the command line (checked against the ensemble, not
// solved for them), answers the quiz wrong then right, and is told the
// lesson is done; then . opens the course's next lesson.
func TestPlayerPlaysALesson(t *testing.T) {
	s := tinyLesson(t)
	s.Next = &Playable{Kind: "lesson", Number: 2, Name: "second", Title: "The second"}
	opened := make(chan Playable, 1)
	p, tm := playing(t, s, 120, 40, func(a *App) { a.open = func(pl Playable) { opened <- pl } })
	p.waitFor(t, wait, "lesson: A tiny lesson", "Summary: Build an ensemble", ". runs next: title")
	press(tm, ".") // title, summary: straight on to the ensemble
	p.waitFor(t, wait, "ensemble of 3: n1 leads; n2 n3 follow", "leader n1")
	press(tm, ".")
	p.waitFor(t, wait, "A znode is a path with a little data")
	press(tm, ".")
	p.waitFor(t, wait, "Exercise make-a-znode · to do", "✗ /made exists")
	p.waitReady(t)
	command(tm, "create /made by-you")
	p.waitFor(t, wait, "done ✓ exercise make-a-znode", "exercise make-a-znode: done")
	press(tm, "esc", ".")
	p.waitFor(t, wait, "─ Quiz ─", "a b c: answer")
	press(tm, "a")
	p.waitFor(t, wait, "a is not it")
	press(tm, "b")
	p.waitFor(t, wait, "Why: A majority of three is two.", "the lesson is over", "lesson done: every claim held", "2 ✓ 0 ✗")
	press(tm, ".")
	select {
	case pl := <-opened:
		if pl != *s.Next {
			t.Fatalf(". at the end opened %v, want %v", pl, *s.Next)
		}
	case <-time.After(wait):
		t.Fatal(". at the end of the lesson did not open the next one")
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(wait)) // the console closes for it
}

// "Show me" does the exercise with the script's reference solution and
// the check sees it; esc skips the quiz, whose claim then fails; going
// back shows an earlier step and ctrl+r replays the world up to it.
func TestPlayerShowMeSkipAndBack(t *testing.T) {
	p, tm := playing(t, tinyLesson(t), 100, 30)
	press(tm, ".")
	p.waitFor(t, wait, "ensemble of 3: n1 leads")
	press(tm, ".")
	p.waitFor(t, wait, "A znode is a path")
	press(tm, ".")
	p.waitFor(t, wait, "Exercise make-a-znode · to do")
	press(tm, "M")
	p.waitFor(t, wait, "the reference solution:", "> zk helper create /made by-you", "done ✓ exercise make-a-znode")
	press(tm, "esc", ".")
	p.waitFor(t, wait, "─ Quiz ─")
	press(tm, "esc")
	p.waitFor(t, wait, "the lesson is over", "1 ✓ 1 ✗", "lesson done: 1 claims held, 1 failed")
	press(tm, ",", ",")
	p.waitFor(t, wait, "shows step 5 again", "A znode is a path")
	tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	p.waitFor(t, wait, "runs next: exercise make-a-znode · replayed: the ensemble")
	// The world is back at step 2: /made is gone from the new ensemble.
	press(tm, ".")
	p.waitFor(t, wait, "Exercise make-a-znode · to do", "✗ /made exists")
	press(tm, "X")
	p.waitFor(t, wait, "exercise skipped")
}

// A recipe the lesson runs is held inside the lesson's process, so its
// exercise is done by typing the script's own command on the console's
// command line (:recipe step c1), not the console's runner; a client the
// recipe does not run is told, and the console stays up. Outside the
// exercise, the pane shows the recipe but only the lesson steps it.
func TestPlayerRecipeExerciseIsSteppedFromTheCommandLine(t *testing.T) {
	src, err := os.ReadFile("testdata/player-recipe.txt")
	if err != nil {
		t.Fatal(err)
	}
	s, err := script.Parse("player-recipe", string(src))
	if err != nil {
		t.Fatal(err)
	}
	lesson := Script{Kind: "lesson", Title: s.Meta("title"), Timing: cluster.TestTiming,
		New: func(cfg script.Config) (*script.Runner, error) { return script.NewRunner(s, cfg) }}
	p, tm := playing(t, lesson, 120, 40)
	for _, shown := range []string{"ensemble of 3: n1 leads", "admin: session on n1", "Created /lock", "lock on /lock: Mutex"} {
		press(tm, ".")
		p.waitFor(t, wait, shown)
	}
	press(tm, ".")
	p.waitFor(t, wait, "Exercise first-holder · to do")
	p.waitReady(t)
	command(tm, "recipe lock 2")
	p.waitFor(t, wait, "want start, step, show, together or stop") // the lesson's recipe command, not the console's
	command(tm, "recipe step c9")
	p.waitFor(t, wait, "> recipe step c9", `runs no client "c9"`)
	command(tm, "recipe step c1")
	p.waitFor(t, wait, "c1: create /lock/l-0000000000")
	// The lesson's recipe shows in the Recipes pane, whose step key does
	// the same for the selected client while the exercise allows it.
	p.waitFor(t, wait, "7 Recipes · lock", "queue /lock: c1 l-0000000000")
	press(tm, "esc", "7", "s")
	p.waitFor(t, wait, "lesson done: every claim held (1)")
}
