package ui

import (
	"strings"
	"testing"
	"time"

	"coordtui/cluster/e2e/term"
)

// A newcomer runs `coordtui lesson` to see the course, starts the first
// lesson in the console, steps to its exercise, does it by typing on the
// console's command line, and is told it is done — the real binary in a
// real terminal.
func TestNewcomerLessonInTmux(t *testing.T) {
	bin := term.Build(t)
	list := startTmuxBin(t, bin, "course", 100, 30, "lesson", ";", "sleep", "30")
	list.WaitFor("Start one with: coordtui lesson NAME", "1. why-coordination")

	c := startTmuxBin(t, bin, "lesson", 120, 40, "lesson", "1")
	c.WaitFor("lesson: Why coordination is hard", ". runs next:")
	// Step on, one key whenever the player waits, up to the exercise.
	deadline := time.Now().Add(90 * time.Second)
	for {
		s := c.Screen()
		if strings.Contains(s, "Exercise cut-off-the-leader · to do") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the exercise never came:\n%s", s)
		}
		if strings.Contains(s, ". runs next:") {
			c.Keys(".")
			c.WaitScreen("the step to start", func(s2 string) bool { return s2 != s })
		}
		time.Sleep(100 * time.Millisecond) // polling a screen: there is no event to wait on
	}
	c.Keys(":")
	waitCommandLine(c, true)
	c.Type("isolate n1")
	c.Keys("Enter")
	c.WaitFor("done ✓ exercise cut-off-the-leader", "exercise cut-off-the-leader: done", "✓ a leader is elected, not n1")
	c.Keys("Escape")
	waitCommandLine(c, false)
	c.Keys("q")
}
