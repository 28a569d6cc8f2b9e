package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/recipes/worker"
	"coordtui/ui/source"
)

// probe wraps the console so a test can read every frame it draws: tests
// wait on what the screen shows, with a deadline.
type probe struct {
	*App
	frame atomic.Pointer[string]
}

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.App.Update(msg)
	return p, cmd
}

func (p *probe) View() tea.View {
	v := p.App.View()
	s := ansi.Strip(v.Content)
	p.frame.Store(&s)
	return v
}

func (p *probe) screen() string {
	if s := p.frame.Load(); s != nil {
		return *s
	}
	return ""
}

// waitScreen waits until the screen satisfies cond.
func (p *probe) waitScreen(t *testing.T, what string, within time.Duration, cond func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := p.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the screen does not show %s:\n%s", within, what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitReady waits until the command line's session is up.
func (p *probe) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !p.ready.Load() {
		if time.Now().After(deadline) {
			t.Fatalf("the command line did not connect within %v:\n%s", wait, p.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFor waits until the screen contains every one of texts.
func (p *probe) waitFor(t *testing.T, within time.Duration, texts ...string) string {
	t.Helper()
	return p.waitScreen(t, strings.Join(texts, " and "), within, func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// embedded starts an ensemble with the patient test timing.
func embedded(t *testing.T, members int) *source.Embedded {
	t.Helper()
	src, err := source.StartEmbedded(source.EmbeddedConfig{Members: members, Timing: cluster.TestTiming,
		TickTime: 200 * time.Millisecond, WorkerTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// console runs the console over src in a test program of w×h cells.
func console(t *testing.T, src source.Source, w, h int) (*probe, *teatest.TestModel) {
	t.Helper()
	app := newApp(src, nil, "default", false)
	app.engine = newZkcliEngine(src.ConnString(), nil, app.hooks())
	p := &probe{App: app}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() {
		tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
		app.shutdown()
	})
	return p, tm
}

func key(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// press sends keys one by one.
func press(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(key(k))
	}
}

// command types a command line and runs it.
func command(tm *teatest.TestModel, line string) {
	tm.Send(key("esc")) // leave the command line if it is open
	tm.Send(key(":"))
	tm.Type(line)
	tm.Send(key("enter"))
}

// fakeSource is a Source with a fixed picture, for golden frames.
type fakeSource struct {
	snap     source.Snapshot
	kids     map[string][]source.Child
	detail   map[string]source.Detail
	events   chan event.Event
	readOnly bool
}

func (f *fakeSource) Mode() string               { return f.snap.Mode }
func (f *fakeSource) ConnString() string         { return f.snap.ConnString }
func (f *fakeSource) Events() <-chan event.Event { return f.events }
func (f *fakeSource) Dropped() uint64            { return 0 }
func (f *fakeSource) Snapshot(context.Context) source.Snapshot {
	return f.snap
}
func (f *fakeSource) Children(_ context.Context, _ uint64, p string) ([]source.Child, error) {
	return f.kids[p], nil
}
func (f *fakeSource) Detail(_ context.Context, _ uint64, p string) (source.Detail, error) {
	return f.detail[p], nil
}
func (f *fakeSource) Find(context.Context, uint64, string, int) ([]string, error) { return nil, nil }
func (f *fakeSource) Workers() *worker.Pool                                       { return nil }
func (f *fakeSource) Control() source.Control                                     { return nil }
func (f *fakeSource) ReadOnly() bool                                              { return f.readOnly }
func (f *fakeSource) Close() error                                                { return nil }
