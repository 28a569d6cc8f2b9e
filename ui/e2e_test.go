package ui

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"coordtui/cluster/e2e/term"
)

// startTmux builds the binary and runs it with args in tmux at w×h.
func startTmux(t *testing.T, w, h int, args ...string) *term.Session {
	t.Helper()
	return startTmuxBin(t, term.Build(t), "e2e", w, h, args...)
}

// startTmuxBin runs bin with args in a tmux session called name, its
// stderr kept off the screen.
func startTmuxBin(t *testing.T, bin, name string, w, h int, args ...string) *term.Session {
	t.Helper()
	line := strings.Join(append([]string{"TERM=xterm-256color", bin}, args...), " ")
	return term.Start(t, name, w, h, line+" 2>"+filepath.Join(t.TempDir(), "stderr"))
}

// waitCommandLine waits until the bottom line is the command line (open)
// or the key hints (closed). Escape and the next key must not arrive
// together, or the terminal reads them as alt+key.
func waitCommandLine(c *term.Session, open bool) {
	c.WaitScreen(fmt.Sprintf("the command line open=%v", open), func(s string) bool {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		last := lines[len(lines)-1]
		return (strings.HasPrefix(last, ":") || strings.HasPrefix(last, "…")) == open
	})
}

// The real binary in a real terminal: start and see a leader; crash the
// leader and see another elected; create a znode on the command line and
// see it in the tree and the zxid log; partition a 5-member ensemble 2|3
// and see the minority lose its quorum; heal.
func TestEndToEndInTmux(t *testing.T) {
	c := startTmux(t, 120, 40, "-members", "5")
	s := c.WaitScreen("a leader", func(s string) bool { l, _ := leaderOf(s); return l != "" })
	if !regexp.MustCompile(`127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){4}`).MatchString(s) {
		t.Fatalf("no connection string on screen:\n%s", s)
	}
	old, term := leaderOf(s)

	c.Keys("K")
	c.WaitScreen("a new leader", func(s string) bool {
		l, tt := leaderOf(s)
		return l != "" && l != old && tt > term
	})

	c.Keys(":")
	waitCommandLine(c, true)
	c.Type("create /e2e hello")
	c.Keys("Enter")
	c.WaitFor("Created /e2e")
	c.WaitScreen("the create in the log and the tree", func(s string) bool {
		return regexp.MustCompile(`_[0-9a-f]{8} .*create +/e2e`).MatchString(s) && regexp.MustCompile(`│[ ›][●∙ ] +e2e`).MatchString(s)
	})
	c.Keys("Escape")
	waitCommandLine(c, false)

	// Restart the crashed leader so all five vote again.
	c.Keys(":")
	waitCommandLine(c, true)
	c.Type("restart " + old)
	c.Keys("Enter")
	c.WaitScreen("five members up", func(s string) bool { return !strings.Contains(s, " down ") })
	c.Keys("Escape")
	waitCommandLine(c, false)
	c.Keys("P")
	c.WaitScreen("the minority without quorum", func(s string) bool {
		return regexp.MustCompile(`partition \{n\d n\d\} 2/5: no quorum`).MatchString(s) &&
			regexp.MustCompile(`partition \{n\d n\d n\d\} 3/5: quorum, leader n\d`).MatchString(s)
	})
	c.Keys("H")
	c.WaitFor("5 of 5 reachable: writes commit")
	c.Keys("q")
}
