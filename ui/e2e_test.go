package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// tmuxConsole runs the real console binary in a tmux session of w×h cells
// and reads its screen with capture-pane.
type tmuxConsole struct {
	t    *testing.T
	name string
}

func startTmux(t *testing.T, w, h int, args ...string) *tmuxConsole {
	t.Helper()
	return startTmuxBin(t, buildForTmux(t), "e2e", w, h, args...)
}

// buildForTmux skips unless tmux can run, and builds the binary.
func buildForTmux(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the end-to-end run in tmux is skipped")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed; the end-to-end test needs it (apt-get install tmux)")
	}
	bin := filepath.Join(t.TempDir(), "coordtui")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goTool, "build", "-o", bin, "coordtui").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startTmuxBin runs bin with args in a tmux session called name.
func startTmuxBin(t *testing.T, bin, name string, w, h int, args ...string) *tmuxConsole {
	t.Helper()
	dir := t.TempDir()
	c := &tmuxConsole{t: t, name: fmt.Sprintf("coordtui-%s-%d", name, os.Getpid())}
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", c.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		strings.Join(append([]string{"TERM=xterm-256color", bin}, args...), " ")+" 2>"+filepath.Join(dir, "stderr")).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		exec.Command("tmux", "send-keys", "-t", c.name, "q").Run()
		exec.Command("tmux", "kill-session", "-t", c.name).Run()
	})
	return c
}

func (c *tmuxConsole) screen() string {
	out, err := exec.Command("tmux", "capture-pane", "-p", "-t", c.name).Output()
	if err != nil {
		c.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// keys sends tmux key names ("Enter", "Escape", "K").
func (c *tmuxConsole) keys(keys ...string) {
	c.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", c.name}, keys...)...).CombinedOutput(); err != nil {
		c.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// typeText sends literal text.
func (c *tmuxConsole) typeText(s string) {
	c.t.Helper()
	if out, err := exec.Command("tmux", "send-keys", "-t", c.name, "-l", s).CombinedOutput(); err != nil {
		c.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// waitScreen polls the screen until cond holds or the deadline passes.
func (c *tmuxConsole) waitScreen(what string, cond func(string) bool) string {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := c.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("the screen never showed %s:\n%s", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *tmuxConsole) waitFor(texts ...string) string {
	c.t.Helper()
	return c.waitScreen(strings.Join(texts, " and "), func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// waitCommandLine waits until the bottom line is the command line (open)
// or the key hints (closed). Escape and the next key must not arrive
// together, or the terminal reads them as alt+key.
func (c *tmuxConsole) waitCommandLine(open bool) {
	c.t.Helper()
	c.waitScreen(fmt.Sprintf("the command line open=%v", open), func(s string) bool {
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
	s := c.waitScreen("a leader", func(s string) bool { l, _ := leaderOf(s); return l != "" })
	if !regexp.MustCompile(`127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){4}`).MatchString(s) {
		t.Fatalf("no connection string on screen:\n%s", s)
	}
	old, term := leaderOf(s)

	c.keys("K")
	c.waitScreen("a new leader", func(s string) bool {
		l, tt := leaderOf(s)
		return l != "" && l != old && tt > term
	})

	c.keys(":")
	c.waitCommandLine(true)
	c.typeText("create /e2e hello")
	c.keys("Enter")
	c.waitFor("Created /e2e")
	c.waitScreen("the create in the log and the tree", func(s string) bool {
		return regexp.MustCompile(`_[0-9a-f]{8} .*create +/e2e`).MatchString(s) && regexp.MustCompile(`│[ ›][●∙ ] +e2e`).MatchString(s)
	})
	c.keys("Escape")
	c.waitCommandLine(false)

	// Restart the crashed leader so all five vote again.
	c.keys(":")
	c.waitCommandLine(true)
	c.typeText("restart " + old)
	c.keys("Enter")
	c.waitScreen("five members up", func(s string) bool { return !strings.Contains(s, " down ") })
	c.keys("Escape")
	c.waitCommandLine(false)
	c.keys("P")
	c.waitScreen("the minority without quorum", func(s string) bool {
		return regexp.MustCompile(`partition \{n\d n\d\} 2/5: no quorum`).MatchString(s) &&
			regexp.MustCompile(`partition \{n\d n\d n\d\} 3/5: quorum, leader n\d`).MatchString(s)
	})
	c.keys("H")
	c.waitFor("5 of 5 reachable: writes commit")
	c.keys("q")
}
