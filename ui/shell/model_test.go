package shell

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// fakeEngine records what the prompt asks of it.
type fakeEngine struct {
	mu    sync.Mutex
	lines []string
	done  bool
	exec  func(ctx context.Context, line string, out io.Writer) int
	comp  func(line string) (int, []string)
}

func (f *fakeEngine) Prompt() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprintf("[fake %d] ", len(f.lines))
}

func (f *fakeEngine) Exec(ctx context.Context, line string, out, _ io.Writer) int {
	f.mu.Lock()
	f.lines = append(f.lines, line)
	if line == "quit" {
		f.done = true
	}
	f.mu.Unlock()
	if f.exec != nil {
		return f.exec(ctx, line, out)
	}
	fmt.Fprintf(out, "ran %s\n", line)
	return 0
}

func (f *fakeEngine) Complete(_ context.Context, line string) (int, []string) {
	if f.comp == nil {
		return len(line), nil
	}
	return f.comp(line)
}

func (f *fakeEngine) Done() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done
}

func press(m *model, script ...string) {
	for _, k := range keys(script...) {
		m.Update(k)
	}
}

func TestHistory(t *testing.T) {
	m := newModel(context.Background(), &fakeEngine{}, newQueue())
	for _, line := range []string{"ls /", "ls /", "get /a"} {
		press(m, line, "<enter>")
		m.Update(doneMsg{})
	}
	if got := strings.Join(m.history, "|"); got != "ls /|get /a" {
		t.Fatalf("history = %q (repeats are kept once)", got)
	}
	press(m, "draft", "<up>")
	if v := m.input.Value(); v != "get /a" {
		t.Errorf("up: %q", v)
	}
	press(m, "<up>", "<up>")
	if v := m.input.Value(); v != "ls /" {
		t.Errorf("up past the oldest: %q", v)
	}
	press(m, "<down>", "<down>")
	if v := m.input.Value(); v != "draft" {
		t.Errorf("down to the end brings back the draft: %q", v)
	}
}

func TestCompletionApplies(t *testing.T) {
	m := newModel(context.Background(), &fakeEngine{}, newQueue())
	for _, c := range []struct {
		value, after string
		start        int
		cands        []string
		want         string
		listed       bool
	}{
		{"ge", "", 0, []string{"get"}, "get ", false},
		{"ge", "", 0, []string{"get", "getAcl", "getEphemerals"}, "get", true},
		{"ls /ap", "", 4, []string{"app", "apple"}, "ls /app", true},
		{"ls /app/b", "", 8, []string{"beta"}, "ls /app/beta", false},
		{"ls /b", " -s", 4, []string{"box"}, "ls /box -s", false},
		{"ls /zz", "", 6, nil, "ls /zz", false},
	} {
		m.input.SetValue(c.value + c.after)
		m.input.SetCursor(len(c.value))
		cmd := m.complete(completionMsg{before: c.value, after: c.after, start: c.start, candidates: c.cands})
		if got := m.input.Value(); got != c.want || (cmd != nil) != c.listed {
			t.Errorf("complete %q with %q = %q (listed %v), want %q", c.value, c.cands, got, cmd != nil, c.want)
		}
	}
	m.input.SetValue("typed on")
	m.complete(completionMsg{before: "ty", start: 0, candidates: []string{"tyre"}})
	if m.input.Value() != "typed on" {
		t.Errorf("a stale completion changed the line to %q", m.input.Value())
	}
}

func TestConfirmAndCancel(t *testing.T) {
	m := newModel(context.Background(), &fakeEngine{}, newQueue())
	reply := make(chan bool, 1)
	m.Update(confirmMsg{question: "Really delete /a? [y/N] ", reply: reply})
	if v := m.View().Content; v != "Really delete /a? [y/N] " {
		t.Errorf("view while asking = %q", v)
	}
	press(m, "y")
	if !<-reply || m.asking != nil {
		t.Error("y did not confirm")
	}
	m.Update(confirmMsg{question: "q? ", reply: reply})
	press(m, "<enter>")
	if <-reply {
		t.Error("enter confirmed; the default must be no")
	}
	// Ctrl+C clears a typed line, and on an empty line quits.
	press(m, "some text", "<ctrl+c>")
	if m.input.Value() != "" {
		t.Errorf("ctrl+c left %q", m.input.Value())
	}
	if _, cmd := m.Update(keys("<ctrl+c>")[0]); cmd == nil {
		t.Error("ctrl+c on an empty line does nothing")
	} else if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Error("ctrl+c on an empty line does not quit")
	}
}

// TestProgram drives the whole prompt in a Bubble Tea program: output is
// printed above the prompt, a running command is cancelled by Ctrl+C,
// watch events arrive between commands, and quit ends the program with the
// last status.
func TestProgram(t *testing.T) {
	f := &fakeEngine{exec: func(ctx context.Context, line string, out io.Writer) int {
		switch line {
		case "slow":
			<-ctx.Done()
			fmt.Fprintln(out, "cancelled slow")
			return 1
		case "quit":
			return 0
		}
		fmt.Fprintf(out, "ran %s\n", line)
		return 3
	}}
	q := newQueue()
	defer q.close()
	tm := teatest.NewTestModel(t, newModel(context.Background(), f, q), teatest.WithInitialTermSize(80, 24))
	waitFor := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) },
			teatest.WithDuration(10*time.Second))
	}
	tm.Type("ls /")
	tm.Send(keys("<enter>")[0])
	waitFor("ran ls /")
	tm.Type("slow")
	tm.Send(keys("<enter>")[0])
	waitFor("[fake 1] slow") // echoed: the command is running
	tm.Send(keys("<ctrl+c>")[0])
	waitFor("cancelled slow")
	q.push(eventMsg("WatchedEvent state:SyncConnected type:NodeCreated path:/x"))
	waitFor("type:NodeCreated path:/x")
	tm.Type("quit")
	tm.Send(keys("<enter>")[0])
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*model)
	if fm.status != 0 || strings.Join(f.lines, "|") != "ls /|slow|quit" {
		t.Errorf("final status %d, lines %q", fm.status, f.lines)
	}
}

// TestTypeAhead: lines typed while a command runs are kept and run in
// order once it finishes, as a terminal keeps type-ahead.
func TestTypeAhead(t *testing.T) {
	release := make(chan struct{})
	f := &fakeEngine{exec: func(ctx context.Context, line string, out io.Writer) int {
		if line == "slow" {
			<-release
		}
		fmt.Fprintf(out, "ran %s\n", line)
		return 0
	}}
	q := newQueue()
	defer q.close()
	tm := teatest.NewTestModel(t, newModel(context.Background(), f, q), teatest.WithInitialTermSize(80, 24))
	tm.Type("slow")
	tm.Send(keys("<enter>")[0])
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("[fake 0] slow")) },
		teatest.WithDuration(10*time.Second))
	tm.Type("ls /a")
	tm.Send(keys("<enter>")[0])
	tm.Type("ls /b")
	tm.Send(keys("<enter>")[0])
	close(release)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("ran ls /b")) },
		teatest.WithDuration(10*time.Second))
	tm.Type("quit")
	tm.Send(keys("<enter>")[0])
	tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := strings.Join(f.lines, "|"); got != "slow|ls /a|ls /b|quit" {
		t.Errorf("ran %q, want the type-ahead in order", got)
	}
}
