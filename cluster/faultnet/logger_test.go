package faultnet

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"coordtui/cluster/event"
)

func TestLoggerPublishesLines(t *testing.T) {
	bus := event.NewBus(64)
	sub := bus.Subscribe(64)
	defer sub.Close()
	var file strings.Builder
	log := NewLogger(bus, "n1", LoggerOptions{File: &file})

	raftLog := log.Named("raft").With("node", "n1")
	raftLog.Info("entering follower state", "term", 3, "leader", "")
	raftLog.Debug("below the level")
	raftLog.Warn("failed to heartbeat", "peer", "n2", "error", errors.New("link cut"), "backoff", 50*time.Millisecond)
	log.Named("raft").Named("net").Error("odd", "lonely")
	log.ResetNamed("x").Info("servers", "list", hclog.Fmt("%d-%s", 1, "a b"))
	log.SetLevel(hclog.Debug)
	raftLog.Debug("now above it")
	std := log.StandardWriter(&hclog.StandardLoggerOptions{InferLevels: true})
	std.Write([]byte("[WARN] from the standard library\n"))
	log.StandardLogger(nil).Print("plain")

	want := []string{
		`n1 INFO raft: entering follower state node=n1 term=3 leader=""`,
		`n1 WARN raft: failed to heartbeat node=n1 peer=n2 error="link cut" backoff=50ms`,
		`n1 ERROR raft.net: odd EXTRA_VALUE_AT_END=lonely`,
		`n1 INFO x: servers list="1-a b"`,
		`n1 DEBUG raft: now above it node=n1`,
		`n1 WARN from the standard library`,
		`n1 INFO plain`,
	}
	var got []string
	for len(sub.C()) > 0 {
		got = append(got, (<-sub.C()).Body())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	lines := strings.Split(strings.TrimSpace(file.String()), "\n")
	if len(lines) != len(want) || !strings.HasSuffix(lines[1], want[1]) {
		t.Errorf("file got %d lines, second %q", len(lines), lines[1])
	}
	if !log.IsDebug() || log.IsTrace() || log.GetLevel() != hclog.Debug {
		t.Error("level guards disagree with SetLevel")
	}
	if args := raftLog.ImpliedArgs(); len(args) != 2 {
		t.Errorf("implied args %v", args)
	}
}

// Without a bus the logger still works (and writes nowhere).
func TestLoggerWithoutBus(t *testing.T) {
	log := NewLogger(nil, "n1", LoggerOptions{Level: hclog.Trace})
	log.Trace("nobody listens")
	if log.Name() != "" || !log.IsTrace() {
		t.Error("unexpected logger state")
	}
}
