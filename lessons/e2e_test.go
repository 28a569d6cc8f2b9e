package lessons_test

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

// tmuxPane is one program in a tmux session, read with capture-pane.
type tmuxPane struct {
	t    *testing.T
	name string
}

func startPane(t *testing.T, name string, argv ...string) *tmuxPane {
	t.Helper()
	p := &tmuxPane{t: t, name: fmt.Sprintf("%s-%d", name, os.Getpid())}
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", p.name, "-x", "100", "-y", "40",
		strings.Join(argv, " ")).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", p.name).Run() })
	return p
}

// text is the pane with its scroll-back.
func (p *tmuxPane) text() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", p.name).Output()
	return string(out)
}

func (p *tmuxPane) send(keys ...string) {
	p.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", p.name}, keys...)...).CombinedOutput(); err != nil {
		p.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// waitFor waits until the pane shows want, pressing enter whenever the
// lesson pauses for it (if enter is set).
func (p *tmuxPane) waitFor(want string, enter bool) string {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		s := p.text()
		if strings.Contains(s, want) {
			return s
		}
		if enter && strings.HasSuffix(strings.TrimRight(s, "\n "), "[enter]") {
			p.send("Enter")
		}
		time.Sleep(100 * time.Millisecond) // polling a screen: there is no event to wait on
	}
	p.t.Fatalf("%q never appeared; the pane shows:\n%s", want, p.text())
	return ""
}

// A newcomer lists the course, starts a lesson in the plain terminal
// player (--plain; on a terminal the lesson otherwise opens in the
// console, tested in ui's TestNewcomerLessonInTmux), does its exercise
// from a second terminal with zkCli's commands, and is told it is done.
func TestNewcomerInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the end-to-end run in tmux is skipped")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux)")
	}
	bin := filepath.Join(t.TempDir(), "coordtui")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goTool, "build", "-o", bin, "coordtui").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

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
