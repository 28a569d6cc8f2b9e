package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/recipes/worker"
	"coordtui/tree"
	"coordtui/ui/pane"
	"coordtui/ui/source"
)

var frameNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// scene is a hand-built picture: three members, n2 leading, n3 cut off
// one way, two workers, a few transactions and watches.
func scene() *fakeSource {
	names := []string{"n1", "n2", "n3"}
	m := faultnet.Matrix{Members: names}
	for _, f := range names {
		for _, to := range names {
			if f != to {
				ls := faultnet.LinkState{From: f, To: to}
				if f == "n2" && to == "n3" {
					ls.Fault.Cut = true
				}
				m.Links = append(m.Links, ls)
			}
		}
	}
	mem := func(id uint64, role string, applied uint64, contact time.Duration) source.Member {
		return source.Member{ID: id, Name: names[id-1], Up: true, Role: role, HasRaft: true, Serving: role != "candidate",
			Term: 4, CommitIndex: 31, AppliedIndex: applied, LastZxid: tree.MakeZxid(4, uint32(applied-20)), LastContact: contact,
			Connections: int64(id), Watches: int(id)}
	}
	return &fakeSource{
		snap: source.Snapshot{Taken: frameNow, Mode: "embedded", ConnString: "127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183",
			Members:   []source.Member{mem(1, "follower", 31, 12*time.Millisecond), mem(2, "leader", 31, 0), mem(3, "candidate", 28, 0)},
			HasMatrix: true, Matrix: m, Speed: 1,
			Sessions: []source.Session{
				{ID: 0x1000000000001, Timeout: 4 * time.Second, Ephemerals: 1, LastHeard: frameNow.Add(-time.Second), Expires: frameNow.Add(3 * time.Second)},
				{ID: 0x2000000000001, Timeout: 10 * time.Second, LastHeard: frameNow.Add(-2 * time.Second), Expires: frameNow.Add(8 * time.Second)},
			},
			Workers: []worker.Info{{ID: 1, Name: "w1", Path: "/workers/w1", Session: 0x1000000000001, Timeout: 4 * time.Second, State: worker.Connected}}},
		kids: map[string][]source.Child{
			"/":        {{Name: "app", Path: "/app", NumChildren: 1}, {Name: "workers", Path: "/workers", NumChildren: 1}, {Name: "zookeeper", Path: "/zookeeper", NumChildren: 2}},
			"/workers": {{Name: "w1", Path: "/workers/w1", Owner: 0x1000000000001, DataLength: 12}},
		},
		detail: map[string]source.Detail{"/workers/w1": {Path: "/workers/w1", Data: []byte("worker w1 up"), Mode: "EPHEMERAL", Member: "n2",
			Stat: tree.Stat{Czxid: tree.MakeZxid(4, 9), Mzxid: tree.MakeZxid(4, 9), Pzxid: tree.MakeZxid(4, 9), EphemeralOwner: 0x1000000000001, DataLength: 12}}},
		events: make(chan event.Event),
	}
}

// frame renders the scene at w×h after the console has taken it in.
func frame(t *testing.T, w, h int, focus int) string {
	src := scene()
	a := newApp(src, nil, "default", false)
	a.c.Now = func() time.Time { return frameNow }
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	a.Update(snapshotMsg(src.snap))
	a.tree.Wants()
	a.tree.SetChildren("/", src.kids["/"], nil)
	a.tree.SelectPath("/workers/w1")
	a.tree.SetChildren("/workers", src.kids["/workers"], nil)
	_, d := a.tree.Wants()
	a.tree.SetDetail(d, src.detail[d], nil)
	var evs eventsMsg
	for i, p := range []string{"/app", "/workers", "/workers/w1", "/app/config"} {
		evs = append(evs, event.Event{Kind: event.KindApplied, Time: frameNow.Add(-10 * time.Second), Member: "n2",
			Applied: event.Applied{Zxid: uint64(tree.MakeZxid(4, uint32(6+i))), Index: uint64(25 + i), Op: "create", Path: p}})
	}
	evs = append(evs,
		event.Event{Kind: event.KindWatchFired, Time: frameNow, Watch: event.Watch{Type: "NodeChildrenChanged", Path: "/workers", Sessions: []int64{0x2000000000001}}},
		event.Event{Kind: event.KindRaftRPC, Time: frameNow, RPC: event.RPC{Type: event.AppendEntries, From: "n2", To: "n1", Term: 4, LogIndex: 30, First: 31, Last: 31, Entries: 1, Commit: 30, Outcome: event.OutcomeDelivered, OK: true}},
		event.Event{Kind: event.KindRaftRPC, Time: frameNow, RPC: event.RPC{Type: event.AppendEntries, From: "n2", To: "n3", Term: 4, Outcome: event.OutcomeCut}},
		event.Event{Kind: event.KindRaftRPC, Time: frameNow, RPC: event.RPC{Type: event.PreVote, From: "n3", To: "n1", Term: 5, LogIndex: 28, LogTerm: 4, Outcome: event.OutcomeDelivered}},
	)
	for _, ev := range evs {
		a.apply(ev)
	}
	a.setFocus(pane.ID(focus))
	a.setStatus(statusNews, "n3 stands for election in term 5")
	out := a.render()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) != w {
			t.Fatalf("line %d is %d wide, want %d: %q", i, ansi.StringWidth(l), w, ansi.Strip(l))
		}
	}
	return ansi.Strip(out) + "\n"
}

func TestFrameWide(t *testing.T)   { golden.RequireEqual(t, frame(t, 120, 40, 1)) }
func TestFrameNarrow(t *testing.T) { golden.RequireEqual(t, frame(t, 80, 24, 2)) }
