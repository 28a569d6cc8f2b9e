package zkcli

import (
	"context"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCoordtuiNeverAsks: destructive commands against coordtui's own
// ensemble run without a question.
func TestCoordtuiNeverAsks(t *testing.T) {
	e := startEnsemble(t, 1)
	s := connect(t, Config{Server: e.ConnString(), Confirm: func(context.Context, string) bool {
		t.Error("asked for confirmation on a coordtui ensemble")
		return false
	}})
	if f := s.Flavor(context.Background()); !IsCoordtui(f) {
		t.Fatalf("coordtui's srvr version line = %q", f)
	}
	for _, line := range []string{"create /n x", "set /n y", "setAcl /n world:anyone:cdrwa", "delete /n"} {
		if _, errOut, st := run(t, s, line); st != StatusOK {
			t.Errorf("%s: %d %q", line, st, errOut)
		}
	}
}

func TestComplete(t *testing.T) {
	e := startEnsemble(t, 1)
	s := connect(t, Config{Server: e.ConnString()})
	for _, line := range []string{"create /app", "create /app/alpha", "create /app/beta", "create /apple"} {
		run(t, s, line)
	}
	ctx := context.Background()
	for _, c := range []struct {
		line  string
		start int
		want  []string
	}{
		{"", 0, Commands()},
		{"ge", 0, []string{"get", "getAcl", "getAllChildrenNumber", "getEphemerals"}},
		{"ls /ap", 4, []string{"app", "apple"}},
		{"ls /app/", 8, []string{"alpha", "beta"}},
		{"ls /app/b", 8, []string{"beta"}},
		{"ls /none/x", 10, nil},
		{"ls ", 3, Commands()},
		{"zz", 0, nil},
	} {
		start, got := s.Complete(ctx, c.line)
		if start != c.start || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Complete(%q) = %d %q, want %d %q", c.line, start, got, c.start, c.want)
		}
	}
}

// TestConnectionEvents: zkCli prints connection changes as WATCHER events
// of type None; a closed session says so.
func TestConnectionEvents(t *testing.T) {
	e := startEnsemble(t, 1)
	var mu sync.Mutex
	var got []string
	s := New(Config{Server: e.ConnString(), Notify: func(text string) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, text)
	}})
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Connect(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if p := s.Prompt(); p != "[zk: "+e.ConnString()+"(CONNECTED) 0] " {
		t.Errorf("prompt = %q", p)
	}
	run(t, s, "close")
	want := []string{
		"\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null",
		"\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null",
	}
	eventually(t, 5*time.Second, "connected and closed events", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) >= 2
	})
	mu.Lock()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
	mu.Unlock()
	if p := s.Prompt(); p != "[zk: "+e.ConnString()+"(CLOSED) 1] " {
		t.Errorf("prompt after close = %q", p)
	}
	if out, _, _ := run(t, s, "quit"); out != "" || !s.Done() {
		t.Errorf("quit: %q done=%v", out, s.Done())
	}
	short, cancelShort := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelShort()
	if err := s.Connect(short, "127.0.0.1:1"); err == nil || !strings.Contains(err.Error(), "unable to connect to 127.0.0.1:1") {
		t.Errorf("connect to a closed port: %v", err)
	}
}

// TestPanicIsAFailedCommand: a bug in one command does not end the shell.
func TestPanicIsAFailedCommand(t *testing.T) {
	register(&command{name: "zzpanic", offline: true, minArgs: 1,
		run: func(*Shell, context.Context, *cmdline, io.Writer) (result, error) { panic("boom") }})
	defer delete(commands, "zzpanic")
	s := New(Config{})
	out, errOut, st := run(t, s, "zzpanic")
	if st != StatusError || out != "" || errOut != "internal error in zzpanic: boom\n" {
		t.Errorf("panicking command: %d %q %q", st, out, errOut)
	}
	if _, _, st := run(t, s, "history"); st != StatusOK {
		t.Errorf("the shell did not survive: %d", st)
	}
}
