package ui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/tree"
	"coordtui/ui/source"
)

// benchSource is a 5-member picture with /bench holding n znodes.
func benchSource(n int) *fakeSource {
	names := []string{"n1", "n2", "n3", "n4", "n5"}
	var members []source.Member
	for i, name := range names {
		role := "follower"
		if i == 0 {
			role = "leader"
		}
		members = append(members, source.Member{ID: uint64(i + 1), Name: name, Up: true, Role: role, HasRaft: true, Serving: true,
			Term: 3, CommitIndex: 9000, AppliedIndex: 9000, LastZxid: tree.MakeZxid(3, 9000), Connections: 20})
	}
	m := faultnet.Matrix{Members: names}
	for _, f := range names {
		for _, to := range names {
			if f != to {
				m.Links = append(m.Links, faultnet.LinkState{From: f, To: to})
			}
		}
	}
	var sessions []source.Session
	for i := range 100 {
		sessions = append(sessions, source.Session{ID: 0x100000000 + int64(i), Timeout: 4 * time.Second, Member: names[i%5]})
	}
	kids := make([]source.Child, n)
	for i := range kids {
		kids[i] = source.Child{Name: fmt.Sprintf("node-%06d", i), Path: fmt.Sprintf("/bench/node-%06d", i), DataLength: 32}
	}
	return &fakeSource{
		snap: source.Snapshot{Mode: "embedded", ConnString: "127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183,127.0.0.1:2184,127.0.0.1:2185",
			Members: members, Sessions: sessions, HasMatrix: true, Matrix: m, Speed: 1},
		kids: map[string][]source.Child{
			"/":      {{Name: "bench", Path: "/bench", NumChildren: int32(n)}, {Name: "zookeeper", Path: "/zookeeper", NumChildren: 2}},
			"/bench": kids,
		},
		detail: map[string]source.Detail{},
		events: make(chan event.Event),
	}
}

// loaded is a console at w×h over src with the tree's /bench open.
func loaded(src *fakeSource, w, h int) *App {
	a := newApp(src, nil, "default", false)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	a.Update(snapshotMsg(src.snap))
	a.tree.Wants()
	a.tree.SetChildren("/", src.kids["/"], nil)
	a.tree.SelectPath("/bench/node-005000")
	a.tree.SetChildren("/bench", src.kids["/bench"], nil)
	a.setFocus(3)
	return a
}

// synthetic returns the i-th of a stream of events as an ensemble under
// load sends them: mostly raft traffic, with applied writes, watches
// firing and sessions.
func synthetic(i int, at time.Time) event.Event {
	ev := event.Event{Seq: uint64(i), Time: at, Member: "n1"}
	switch i % 10 {
	case 0, 1, 2:
		ev.Kind = event.KindApplied
		ev.Applied = event.Applied{Zxid: uint64(tree.MakeZxid(3, uint32(i+1))), Index: uint64(i), Op: "setData",
			Path: fmt.Sprintf("/bench/node-%06d", i%10000)}
	case 3:
		ev.Kind = event.KindWatchFired
		ev.Watch = event.Watch{Type: "NodeDataChanged", Path: "/bench/hot", Sessions: []int64{1, 2, 3}}
	case 4:
		ev.Kind = event.KindSession
		ev.Session = event.Session{ID: int64(i), Change: event.SessionConnected}
	default:
		ev.Kind = event.KindRaftRPC
		ev.RPC = event.RPC{Type: event.AppendEntries, From: "n1", To: "n2", Term: 3, First: uint64(i), Last: uint64(i), Entries: 1, Outcome: event.OutcomeDelivered, OK: true}
	}
	return ev
}

// One frame at 120×40 over 10,000 znodes while 1,000 events a second
// arrive (17 per frame at 60 frames a second).
func BenchmarkFrame(b *testing.B) {
	a := loaded(benchSource(10000), 120, 40)
	now := time.Now()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		for range 17 {
			a.apply(synthetic(i, now.Add(time.Duration(i)*time.Millisecond)))
			i++
		}
		if len(a.render()) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// The frame budget holds: rendering at 120×40 with 10,000 znodes and the
// event rate above takes well under 10 ms (measured on a shared 2-core
// machine, so the bound here is loose; see BenchmarkFrame for the figure).
func TestFrameBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	a := loaded(benchSource(10000), 120, 40)
	now := time.Now()
	var worst time.Duration
	for f := range 60 {
		start := time.Now()
		for j := range 17 {
			a.apply(synthetic(f*17+j, now))
		}
		a.render()
		worst = max(worst, time.Since(start))
	}
	if worst > 50*time.Millisecond {
		t.Fatalf("slowest of 60 frames took %v", worst)
	}
	t.Logf("slowest of 60 frames: %v", worst)
}

// A million events replayed through the panes leave memory flat: every
// list is a ring.
func TestMemoryFlatOverAMillionEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	a := loaded(benchSource(1000), 120, 40)
	start := time.Now()
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var after300k uint64
	for i := range 1_000_000 {
		a.apply(synthetic(i, start.Add(time.Duration(i)*time.Millisecond)))
		if i == 300_000 {
			a.render()
			after300k = heap()
			runtime.KeepAlive(a)
		}
	}
	a.render()
	end := heap()
	runtime.KeepAlive(a)
	t.Logf("heap after 300k events %.1f MB, after 1M %.1f MB (%v)", float64(after300k)/1e6, float64(end)/1e6, time.Since(start).Round(time.Millisecond))
	if end > after300k+1<<20 {
		t.Fatalf("heap grew from %d to %d bytes between 300k and 1M events", after300k, end)
	}
}
