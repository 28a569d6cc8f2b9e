package pane

import (
	"fmt"
	"testing"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/recipes/worker"
	"coordtui/tree"
	"coordtui/ui/source"
)

func TestLogView(t *testing.T) {
	fill := func() *Log {
		l := NewLog(testCommon())
		for i := uint32(1); i <= 12; i++ {
			l.Add(LogEntry{Zxid: tree.MakeZxid(2, i), Index: uint64(10 + i), Op: "create", Path: fmt.Sprintf("/jobs/j%d", i)})
		}
		l.Add(LogEntry{Zxid: tree.MakeZxid(2, 13), Index: 23, Op: "createSession"})
		l.NoteSession("createSession", 0x100000003, "")
		// Every member reports the same transactions: only the first counts.
		if l.Add(LogEntry{Zxid: tree.MakeZxid(2, 5), Op: "create", Path: "/dup"}) {
			t.Fatal("a zxid already logged was added again")
		}
		l.Add(LogEntry{Op: "delete", Path: "/seen/by/attach"}) // zxid unknown
		return l
	}
	t.Run("following", func(t *testing.T) {
		l := fill()
		l.SetFocused(true)
		checkGolden(t, l, 70, 8)
	})
	t.Run("scrolled_back", func(t *testing.T) {
		l := fill()
		l.SetFocused(true)
		l.SetSize(70, 8)
		l.Move(-4)
		if l.Following() {
			t.Fatal("still following after moving up")
		}
		if e, _ := l.Selected(); e.Path != "/jobs/j10" {
			t.Fatalf("selected %v", e)
		}
		// New transactions do not move the selected row.
		l.Add(LogEntry{Zxid: tree.MakeZxid(3, 1), Index: 30, Op: "setData", Path: "/jobs/j1"})
		checkGolden(t, l, 46, 8)
		l.Move(100)
		if !l.Following() {
			t.Fatal("reaching the newest row must follow again")
		}
	})
}

// The log keeps its last LogSize rows however many arrive.
func TestLogIsBounded(t *testing.T) {
	l := NewLog(testCommon())
	for i := range uint32(3 * LogSize) {
		l.Add(LogEntry{Zxid: tree.MakeZxid(1, i+1), Op: "setData", Path: "/x"})
	}
	if l.Len() != LogSize || l.Total() != 3*LogSize {
		t.Fatalf("len %d total %d", l.Len(), l.Total())
	}
}

func TestWatchesView(t *testing.T) {
	w := NewWatches(testCommon())
	w.Sample(now.Add(-4*time.Second), 0, 100, 1000) // primes the totals
	for i, s := range []struct{ changes, notif, reads uint64 }{{1, 100, 1100}, {0, 100, 1100}, {2, 300, 1500}, {1, 400, 1600}} {
		w.Sample(now.Add(time.Duration(i-3)*time.Second), s.changes, s.notif, s.reads)
	}
	w.AddFired(FanOut{Type: "NodeDeleted", Path: "/lock/l-0000000003", Sessions: []int64{7}})
	w.AddFired(FanOut{Type: "NodeDataChanged", Path: "/hot", Sessions: []int64{1, 2, 3, 4, 5}})
	checkGolden(t, w, 72, 8)
}

func TestSessionsView(t *testing.T) {
	s := NewSessions(testCommon())
	s.SetFocused(true)
	s.SetLabels(map[int64]string{0x200000001: "admin", 0x100000001: "unused"}) // a lesson's names; a worker keeps its own
	s.SetSnapshot(source.Snapshot{
		Sessions: []source.Session{
			{ID: 0x100000001, Timeout: 4 * time.Second, Ephemerals: 1, Member: "n1", LastHeard: now.Add(-300 * time.Millisecond), Expires: now.Add(3700 * time.Millisecond)},
			{ID: 0x100000002, Timeout: 4 * time.Second, Ephemerals: 1, Member: "n2", LastHeard: now.Add(-3 * time.Second), Expires: now.Add(time.Second)},
			{ID: 0x200000001, Timeout: 30 * time.Second, Member: "n2", LastHeard: now.Add(-time.Second), Expires: now.Add(29 * time.Second)},
		},
		Workers: []worker.Info{
			{ID: 1, Name: "w1", Path: "/workers/w1", Session: 0x100000001, Timeout: 4 * time.Second, State: worker.Connected},
			{ID: 2, Name: "w2", Path: "/workers/w2", Session: 0x100000002, Timeout: 4 * time.Second, State: worker.Connected, Frozen: true, Expiring: true},
			{ID: 4, Name: "w4", Session: 0x100000004, Timeout: 4 * time.Second, State: worker.Connected},
			{ID: 3, Name: "w3", Session: 0x100000009, Timeout: 4 * time.Second, State: worker.Expired},
		},
	})
	s.Move(1)
	if w, ok := s.SelectedWorker(); !ok || w.Name != "w2" {
		t.Fatalf("selected %v %v", w, ok)
	}
	checkGolden(t, s, 96, 8)
}

func TestNetworkView(t *testing.T) {
	names := []string{"n1", "n2", "n3"}
	faults := map[[2]string]faultnet.Fault{
		{"n1", "n3"}: {Cut: true}, {"n3", "n1"}: {Cut: true},
		{"n2", "n3"}: {Delay: 200 * time.Millisecond},
	}
	n := NewNetwork(testCommon())
	n.SetFocused(true)
	n.SetSnapshot(source.Snapshot{HasMatrix: true, Matrix: matrixOf(names, faults, nil), Speed: 4})
	n.AddRPC(event.RPC{Type: event.Heartbeat, From: "n1", To: "n2", Term: 2, Outcome: event.OutcomeDelivered, OK: true}, now)
	n.AddRPC(event.RPC{Type: event.AppendEntries, From: "n1", To: "n2", Term: 2, LogIndex: 5, First: 6, Last: 8, Entries: 3, Commit: 5, Outcome: event.OutcomeDelivered, OK: true}, now)
	n.AddRPC(event.RPC{Type: event.AppendEntries, From: "n1", To: "n3", Term: 2, Outcome: event.OutcomeCut}, now)
	n.AddRPC(event.RPC{Type: event.PreVote, From: "n3", To: "n2", Term: 3, LogIndex: 7, LogTerm: 2, Outcome: event.OutcomeDelivered}, now)
	n.Tick(now.Add(-time.Second))
	n.Tick(now)
	n.MoveCell(0, 1) // n1->n3
	if from, to, ok := n.SelectedLink(); !ok || from != "n1" || to != "n3" {
		t.Fatalf("selected %s->%s %v", from, to, ok)
	}
	t.Run("matrix", func(t *testing.T) { checkGolden(t, n, 60, 10) })
	t.Run("step", func(t *testing.T) {
		held := map[[2]string]int{{"n1", "n2"}: 2}
		hold := map[[2]string]faultnet.Fault{}
		for _, a := range names {
			for _, b := range names {
				hold[[2]string{a, b}] = faultnet.Fault{Hold: true}
			}
		}
		n.SetSnapshot(source.Snapshot{HasMatrix: true, Matrix: matrixOf(names, hold, held), Step: true, Held: 2,
			Queue: []event.RPC{{Type: event.Heartbeat, From: "n1", To: "n2", Term: 2, Outcome: event.OutcomeHeld}}})
		checkGolden(t, n, 60, 10)
	})
}
