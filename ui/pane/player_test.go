package pane

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"coordtui/lessons/script"
)

// A lesson part way through: the narration, the command and its claims.
func playing() Play {
	return Play{Kind: "lesson", Title: "Why coordination is hard", Shown: 9, Ran: 9, Steps: 18,
		Cmd: "write n1 /hello from-n1 expect=refused",
		Body: []string{"Nobody crashed: n1 is running and still thinks it is a member. The others",
			"could not know that, so they timed out and elected a leader.", "", "    isolate n1   # what you did"},
		Lines: []string{"ok: write /hello=from-n1 through n1 is not committed", "n1 is alone",
			"FAILED: a leader is elected (saw: no leader)"},
		Next: "write leader /hello from-the-majority expect=committed", Held: 4, FailedClaims: 1}
}

func TestPlayerView(t *testing.T) {
	t.Run("step", func(t *testing.T) {
		p := NewPlayer(testCommon())
		p.SetPlay(playing())
		checkGolden(t, p, 90, 14)
	})
	t.Run("running_narrow", func(t *testing.T) {
		pl := playing()
		pl.Running, pl.Auto, pl.Note = "wait leader within=5s", true, "slow ×4"
		p := NewPlayer(testCommon())
		p.SetPlay(pl)
		checkGolden(t, p, 60, 9)
	})
	t.Run("exercise", func(t *testing.T) {
		pl := playing()
		pl.Cmd, pl.Lines, pl.Body = "", nil, []string{"Now you."}
		pl.Task = &Task{Name: "cut-off-the-leader", Text: "Cut n1 off from the other two members and wait until they elect a new leader.",
			Checks: []script.Claim{{Text: "a leader is elected, not n1", Held: true}, {Text: "n1: serving no clients", Seen: "n1 serves 2 clients"}}}
		p := NewPlayer(testCommon())
		p.SetPlay(pl)
		checkGolden(t, p, 90, 12)
	})
	t.Run("looking_back", func(t *testing.T) {
		pl := playing()
		pl.Shown, pl.Note = 5, "an earlier step; the ensemble is at step 9 (ctrl+r replays to here)"
		p := NewPlayer(testCommon())
		p.SetPlay(pl)
		checkGolden(t, p, 120, 8)
	})
	t.Run("over", func(t *testing.T) {
		pl := playing()
		pl.Shown, pl.Ran, pl.Next = 18, 18, ""
		pl.After = "next: coordtui lesson 2 (data-model) · q quits"
		p := NewPlayer(testCommon())
		p.SetPlay(pl)
		checkGolden(t, p, 90, 8)
	})
	t.Run("not_started", func(t *testing.T) {
		p := NewPlayer(testCommon())
		p.SetPlay(Play{Kind: "demo", Title: "Split brain", Steps: 30, Next: "ensemble members=3", Auto: true})
		checkGolden(t, p, 80, 6)
	})
}

func TestQuizBox(t *testing.T) {
	q := &script.Quiz{Question: "Why can the members not simply wait until they are sure n1 has crashed?",
		Choices: []script.Choice{{Key: "a", Text: "Members have no clocks"},
			{Key: "b", Text: "Silence proves nothing: a message may be delayed for any length of time, so a slow member looks exactly like a crashed one"},
			{Key: "c", Text: "TCP hides crashes"}}, Answer: "b"}
	box := QuizBox(testCommon().Styles, Question{Quiz: q, Attempt: 2, Wrong: "a"}, 80)
	w := ansi.StringWidth(box[0])
	checkSize(t, strings.Join(box, "\n"), w, len(box))
	golden.RequireEqual(t, ansi.Strip(strings.Join(box, "\n"))+"\n")
}
