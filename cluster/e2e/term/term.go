// Package term runs the coordtui binary in a real terminal for end-to-end
// tests: a tmux session of a given size, read with capture-pane, written
// with send-keys. The console's and the course's tmux tests share it; it is
// test support and nothing in the product imports it.
//
// A screen has no events to wait on, so the waits poll it, with a deadline.
package term

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Build skips the test under -short or without tmux, and otherwise builds
// the coordtui binary into a temporary directory and returns its path.
func Build(t testing.TB) string {
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

// Session is one tmux session running a command.
type Session struct {
	t    testing.TB
	name string
	// Within bounds every wait; 30 s unless set.
	Within time.Duration
}

// Start runs command (a shell line) in a new w×h tmux session; the test's
// cleanup sends it q and ends the session.
func Start(t testing.TB, name string, w, h int, command string) *Session {
	t.Helper()
	s := &Session{t: t, name: fmt.Sprintf("coordtui-%s-%d", name, os.Getpid()), Within: 30 * time.Second}
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		command).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		exec.Command("tmux", "send-keys", "-t", s.name, "q").Run()
		exec.Command("tmux", "kill-session", "-t", s.name).Run()
	})
	return s
}

// Screen is what the terminal shows now.
func (s *Session) Screen() string {
	out, err := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// History is the screen with its scroll-back, wrapped lines joined.
func (s *Session) History() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", s.name).Output()
	return string(out)
}

// Keys sends tmux key names ("Enter", "Escape", "K").
func (s *Session) Keys(keys ...string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", s.name}, keys...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// Type sends literal text.
func (s *Session) Type(text string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", "send-keys", "-t", s.name, "-l", text).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// WaitScreen polls the screen until cond holds, and fails the test after
// Within.
func (s *Session) WaitScreen(what string, cond func(string) bool) string {
	s.t.Helper()
	return s.poll(what, s.Screen, cond)
}

// WaitHistory is WaitScreen over the scroll-back too. cond may send keys
// (a prompt that waits for enter).
func (s *Session) WaitHistory(what string, cond func(string) bool) string {
	s.t.Helper()
	return s.poll(what, s.History, cond)
}

// WaitFor waits until the screen shows every one of texts.
func (s *Session) WaitFor(texts ...string) string {
	s.t.Helper()
	return s.WaitScreen(strings.Join(texts, " and "), func(screen string) bool {
		for _, x := range texts {
			if !strings.Contains(screen, x) {
				return false
			}
		}
		return true
	})
}

func (s *Session) poll(what string, read func() string, cond func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(s.Within)
	for {
		screen := read()
		if cond(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %s:\n%s", what, screen)
		}
		time.Sleep(50 * time.Millisecond) // polling a screen: there is no event to wait on
	}
}
