package lessons_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/e2e/term"
)

// startPane runs the shell line argv in a 100×40 tmux session.
func startPane(t *testing.T, name string, argv ...string) *tmuxPane {
	t.Helper()
	s := term.Start(t, name, 100, 40, strings.Join(argv, " "))
	s.Within = 60 * time.Second
	return &tmuxPane{s}
}

// tmuxPane is a program at a plain terminal: what it printed scrolls, so
// it is read with its scroll-back.
type tmuxPane struct{ *term.Session }

func (p *tmuxPane) send(keys ...string) { p.Keys(keys...) }

// waitFor waits until the pane shows want, pressing enter whenever the
// lesson pauses for it (if enter is set).
// A pause is answered once: until the screen moves on, the same "[enter]"
// is the one already answered, and a second Enter would be read by the
// next prompt.
func (p *tmuxPane) waitFor(want string, enter bool) string {
	answered := ""
	return p.WaitHistory(fmt.Sprintf("%q", want), func(s string) bool {
		if strings.Contains(s, want) {
			return true
		}
		if enter && s != answered && strings.HasSuffix(strings.TrimRight(s, "\n "), "[enter]") {
			answered = s
			p.Keys("Enter")
		}
		return false
	})
}

// A newcomer lists the course, starts a lesson in the plain terminal
// player (--plain; on a terminal the lesson otherwise opens in the
// console, tested in ui's TestNewcomerLessonInTmux), does its exercise
// from a second terminal with zkCli's commands, and is told it is done.
func TestNewcomerInTmux(t *testing.T) {
	bin := term.Build(t)
	list := startPane(t, "course", bin, "lesson; sleep 60")
	list.waitFor("13. ecosystem", false)

	lesson := startPane(t, "lesson", bin, "lesson --plain data-model")
	screen := lesson.waitFor("(or: coordtui cli -server", true)
	m := regexp.MustCompile(`zkCli\.sh -server (\S+)`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no connection string:\n%s", screen)
	}
	shell := startPane(t, "shell", bin, "cli -server", m[1])
	shell.waitFor("(CONNECTED)", false)
	// One command at a time, each answered before the next is typed.
	for _, c := range []struct{ cmd, answer string }{
		{"create -e /app/leader newcomer", "Created /app/leader"},
		{"create /app/queue", "Created /app/queue\n"},
		{"create -s /app/queue/item- first", "Created /app/queue/item-0000000000"},
		{"create -s /app/queue/item- second", "Created /app/queue/item-0000000001"},
	} {
		shell.send(c.cmd, "Enter")
		shell.waitFor(strings.TrimSuffix(c.answer, "\n"), false)
	}

	lesson.send("Enter") // check
	lesson.waitFor("Done: the ensemble shows it.", false)
	lesson.waitFor("your answer", true)
	lesson.send("b", "Enter")
	lesson.waitFor("answered b: right", false)
	lesson.send("b", "Enter")
	final := lesson.waitFor("Lesson done:", true)
	t.Logf("%s", final)
	if !strings.Contains(final, "Lesson done: ") || strings.Contains(final, "FAILED") {
		t.Fatalf("the lesson did not end cleanly:\n%s", final)
	}
}
