package shell

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"coordtui/cluster"
	"coordtui/cluster/zk"
	"coordtui/cluster/zkcli"
)

func startEnsemble(t *testing.T) string {
	t.Helper()
	e, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: 1, Dir: t.TempDir(), Timing: cluster.TestTiming,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := e.WaitLeader(ctx); err != nil {
		t.Fatal(err)
	}
	return e.ConnString()
}

// TestWithZkcli runs the prompt over the real engine against a coordtui
// ensemble: commands, tab completion of a znode path, and a watch event
// fired by another client.
func TestWithZkcli(t *testing.T) {
	server := startEnsemble(t)
	q := newQueue()
	defer q.close()
	sh := zkcli.New(zkcli.Config{Server: server, Notify: func(s string) { q.push(eventMsg(s)) }, Confirm: q.confirm})
	defer sh.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sh.Connect(ctx, ""); err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, newModel(ctx, sh, q), teatest.WithInitialTermSize(100, 24))
	waitFor := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) },
			teatest.WithDuration(10*time.Second))
	}
	enter := keys("<enter>")[0]
	tm.Type(`create /tabby "hi there"`)
	tm.Send(enter)
	waitFor("Created /tabby")
	tm.Type("get -w /tab")
	tm.Send(keys("<tab>")[0])
	waitFor("w /tabby") // completed in the prompt (the renderer redraws only what changed)
	tm.Send(enter)
	waitFor("hi there")

	other, err := zk.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Set(ctx, "/tabby", []byte("changed"), -1); err != nil {
		t.Fatal(err)
	}
	waitFor("WatchedEvent state:SyncConnected type:NodeDataChanged path:/tabby")
	tm.Type("get /nope")
	tm.Send(enter)
	waitFor("Node does not exist: /nope")
	tm.Type("quit")
	tm.Send(enter)
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*model)
	if fm.status != 0 {
		t.Errorf("status after quit = %d", fm.status)
	}
}

// TestLines: without a terminal the shell reads commands line by line and
// prints as zkCli does without JLine.
func TestLines(t *testing.T) {
	server := startEnsemble(t)
	var out, errb bytes.Buffer
	in := strings.NewReader("create /l one\nget /l\nget /missing\n")
	st := Run(context.Background(), zkcli.Config{Server: server}, in, &out, &errb)
	if st != 1 {
		t.Errorf("status %d, want the last command's (1)", st)
	}
	// The connection event comes from the client's goroutine: its place
	// among the output is not fixed, and no Closed event follows at EOF.
	event := "\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n"
	if o := out.String(); strings.Replace(o, event, "", 1) != "one\n" || errb.String() != "Created /l\nNode does not exist: /missing\n" {
		t.Errorf("stdout %q\nstderr %q", out.String(), errb.String())
	}
}

func TestAskLine(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, "n\n": false, "\n": false, "": false, "yy\n": false} {
		var out bytes.Buffer
		if got := AskLine(strings.NewReader(in), &out)(context.Background(), "ok? "); got != want || out.String() != "ok? " {
			t.Errorf("answer %q: %v (asked %q)", in, got, out.String())
		}
	}
}
