package ui

import (
	"strings"
	"testing"
	"time"
)

// A newcomer runs `coordtui lesson` to see the course, starts the first
// lesson in the console, steps to its exercise, does it by typing on the
// console's command line, and is told it is done — the real binary in a
// real terminal.
func TestNewcomerLessonInTmux(t *testing.T) {
	bin := buildForTmux(t)
	list := startTmuxBin(t, bin, "course", 100, 30, "lesson", ";", "sleep", "30")
	list.waitFor("Start one with: coordtui lesson NAME", "1. why-coordination")

	c := startTmuxBin(t, bin, "lesson", 120, 40, "lesson", "1")
	c.waitFor("lesson: Why coordination is hard", ". runs next:")
	// Step on, one key whenever the player waits, up to the exercise.
	deadline := time.Now().Add(90 * time.Second)
	for {
		s := c.screen()
		if strings.Contains(s, "Exercise cut-off-the-leader · to do") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the exercise never came:\n%s", s)
		}
		if strings.Contains(s, ". runs next:") {
			c.keys(".")
			c.waitScreen("the step to start", func(s2 string) bool { return s2 != s })
		}
		time.Sleep(100 * time.Millisecond) // polling a screen: there is no event to wait on
	}
	c.keys(":")
	c.waitCommandLine(true)
	c.typeText("isolate n1")
	c.keys("Enter")
	c.waitFor("done ✓ exercise cut-off-the-leader", "exercise cut-off-the-leader: done", "✓ a leader is elected, not n1")
	c.keys("Escape")
	c.waitCommandLine(false)
	c.keys("q")
}
