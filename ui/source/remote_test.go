package source

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/admin"
	"coordtui/cluster/event"
	"coordtui/cluster/zk"
)

// remoteRig is an in-process ensemble with its admin API behind an
// httptest server, as `coordtui up --admin --faults` serves it, and a
// switch that makes the event stream answer 503 (a proxy in the way).
type remoteRig struct {
	ens   *cluster.Ensemble
	bus   *event.Bus
	ts    *httptest.Server
	block atomic.Bool
}

func startRig(t *testing.T, recent int, faults bool) *remoteRig {
	t.Helper()
	bus := event.NewBus(recent)
	e, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: 3, Dir: t.TempDir(), Timing: cluster.TestTiming,
		Sessions: cluster.SessionConfig{TickTime: 200 * time.Millisecond}, Events: bus,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	if _, err := e.WaitLeader(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	cfg := admin.Config{Ensemble: e, Member: 1, Events: bus, Heartbeat: time.Hour}
	if faults {
		cfg.Faults, cfg.Token = true, "s3cret"
	}
	h, err := admin.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rig := &remoteRig{ens: e, bus: bus}
	rig.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rig.block.Load() && r.URL.Path == "/coordtui/events" {
			http.Error(w, `{"error":"blocked by the test"}`, http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { h.Close(); rig.ts.Close() })
	return rig
}

// seen collects a source's events until it closes.
type seen struct {
	mu  sync.Mutex
	evs []event.Event
}

func collect(src Source) *seen {
	s := &seen{}
	go func() {
		for ev := range src.Events() {
			s.mu.Lock()
			s.evs = append(s.evs, ev)
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *seen) has(match func(event.Event) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range s.evs {
		if match(ev) {
			return true
		}
	}
	return false
}

func newsHas(text string) func(event.Event) bool {
	return func(ev event.Event) bool { return ev.Kind == event.KindLog && strings.Contains(ev.Log.Msg, text) }
}

func startRemote(t *testing.T, rig *remoteRig, token string, extra ...string) *Remote {
	t.Helper()
	r, err := StartRemote(ctxT(t), RemoteConfig{Attach: AttachConfig{ConnString: rig.ens.ConnString()},
		Admin: append([]string{rig.ts.URL}, extra...), Token: token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestRemoteMembersAndAppliedEvents(t *testing.T) {
	rig := startRig(t, 4096, false)
	r := startRemote(t, rig, "")
	evs := collect(r)
	ctx := ctxT(t)
	var s Snapshot
	eventually(t, "three members with raft state and a leader", func() bool {
		s = r.Snapshot(ctx)
		_, ok := s.LeaderMember()
		return ok && len(s.Members) == 3 && s.Members[0].HasRaft
	})
	if !s.HasMatrix || len(s.Matrix.Members) != 3 || s.Members[0].Name != "n1" || s.Members[0].ClientAddr != rig.ens.ClientAddr(1) {
		t.Fatalf("snapshot %+v", s)
	}
	c, err := zk.Connect(ctx, rig.ens.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Create(ctx, "/over-the-wire", []byte("x"), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the create's applied event", func() bool {
		return evs.has(func(ev event.Event) bool {
			return ev.Kind == event.KindApplied && ev.Applied.Op == "create" && ev.Applied.Path == "/over-the-wire" && ev.Applied.Zxid != 0
		})
	})
	eventually(t, "raft RPCs", func() bool { return evs.has(func(ev event.Event) bool { return ev.Kind == event.KindRaftRPC }) })
	// The leader's API says when it last heard from each session.
	eventually(t, "the session's last heard and expiry", func() bool {
		for _, ss := range r.Snapshot(ctx).Sessions {
			if ss.ID == c.SessionID() {
				return !ss.LastHeard.IsZero() && ss.Expires.After(ss.LastHeard)
			}
		}
		return false
	})
	kids, err := r.Children(ctx, 0, "/")
	if err != nil || len(kids) == 0 {
		t.Fatalf("children over the wire: %v %v", kids, err)
	}
}

// The stream resumes after a cut; a resume after more than the member
// keeps reports the gap, on the status line and in the notes.
func TestRemoteStreamResumesAndReportsGap(t *testing.T) {
	rig := startRig(t, 64, false)
	r := startRemote(t, rig, "")
	evs := collect(r)
	eventually(t, "the stream open", func() bool { return evs.has(func(ev event.Event) bool { return ev.Seq > 0 }) })
	rig.ts.CloseClientConnections()
	eventually(t, "resumed", func() bool { return evs.has(newsHas("event stream resumed after #")) })

	rig.block.Store(true)
	rig.ts.CloseClientConnections()
	eventually(t, "lost", func() bool { return evs.has(newsHas("event stream lost")) })
	for range 200 {
		rig.bus.Publish(event.Event{Kind: event.KindLog, Log: event.Log{Level: "info", Msg: "filler"}})
	}
	rig.block.Store(false)
	eventually(t, "the gap reported", func() bool { return evs.has(newsHas("the event stream dropped ")) })
	s := r.Snapshot(ctxT(t))
	if !strings.Contains(strings.Join(s.Notes, "\n"), "dropped in 1 gaps") {
		t.Fatalf("notes %q", s.Notes)
	}
}

func TestRemoteControlNeedsToken(t *testing.T) {
	rig := startRig(t, 4096, true)
	if r := startRemote(t, rig, ""); r.Control() != nil || r.NoControlReason() != "attached: fault control needs --token and a member started with --faults" {
		t.Fatalf("without a token: %v %q", r.Control(), r.NoControlReason())
	}
	off := startRig(t, 4096, false)
	if r := startRemote(t, off, "s3cret"); r.Control() != nil || !strings.Contains(r.NoControlReason(), "fault control is off") {
		t.Fatalf("faults off: %q", r.NoControlReason())
	}
	if r := startRemote(t, rig, "wrong"); r.Control() != nil || !strings.Contains(r.NoControlReason(), "refused the token") {
		t.Fatalf("a wrong token: %q", r.NoControlReason())
	}
	right := startRemote(t, rig, "s3cret")
	if why := right.Control().(Limited).Cannot("speed"); !strings.Contains(why, "slow motion") {
		t.Fatalf("speed: %q", why)
	}
	// The token checked at the start is refused later (the API restarted
	// with another): the action says so.
	changed, _ := admin.NewClient(rig.ts.URL, "changed", nil)
	stale := &remoteControl{r: right, ep: &endpoint{c: changed}}
	if err := stale.Net().Isolate("n1"); !errors.Is(err, admin.ErrBadToken) || !strings.Contains(err.Error(), "check --token") {
		t.Fatalf("a refused token: %v", err)
	}
}

func TestRemoteFaultsAndMemberDown(t *testing.T) {
	rig := startRig(t, 4096, true)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	r := startRemote(t, rig, "s3cret", dead.URL)
	ctl := r.Control()
	if ctl == nil {
		t.Fatal(r.NoControlReason())
	}
	ctx := ctxT(t)
	eventually(t, "a leader", func() bool { _, ok := r.Snapshot(ctx).LeaderMember(); return ok })
	if err := ctl.Net().Isolate("n3"); err != nil {
		t.Fatal(err)
	}
	var s Snapshot
	eventually(t, "n3 cut off in the matrix", func() bool {
		s = r.Snapshot(ctx)
		return s.Matrix.Link("n3", "n1").Fault.Cut && r.Control().Net().Base("n1", "n3").Cut
	})
	if err := ctl.Net().Heal(); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Crash(2); err != nil {
		t.Fatal(err)
	}
	eventually(t, "n2 down", func() bool {
		s = r.Snapshot(ctx)
		return len(s.Members) == 3 && s.Members[1].Role == "down" && !s.Members[1].Up
	})
	if !strings.Contains(strings.Join(s.Notes, "\n"), "admin API "+dead.URL+" unreachable") {
		t.Fatalf("notes %q", s.Notes)
	}
	if err := ctl.Crash(2); err == nil || !strings.Contains(err.Error(), "(409)") {
		t.Fatalf("crashing a member that is down: %v", err)
	}
	if err := ctl.Restart(2); err != nil {
		t.Fatal(err)
	}
	eventually(t, "n2 back", func() bool { return r.Snapshot(ctx).Members[1].Up })
	// Expire the console's own session: the ensemble ends it.
	if err := ctl.(*remoteControl).ExpireSession(ctx, r.at.client.SessionID()); err != nil {
		t.Fatal(err)
	}
	if err := ctl.(*remoteControl).ExpireSession(ctx, 0x7777); !errors.Is(err, admin.ErrNotFound) {
		t.Fatalf("expiring no session: %v", err)
	}
}

func TestAdminAddrs(t *testing.T) {
	for _, c := range []struct {
		flags []string
		conn  string
		want  string
	}{
		{[]string{"http://10.0.0.1:8080"}, "x:1", "http://10.0.0.1:8080"},
		{[]string{"a:1,b:2", "a:1"}, "x:1", "http://a:1 http://b:2"},
		{[]string{":8080"}, "127.0.0.1:2181,127.0.0.1:2182/app", "http://127.0.0.1:8080"},
		{[]string{":9"}, "h1:2181,h2:2181,[::1]:2181", "http://h1:9 http://h2:9 http://[::1]:9"},
	} {
		got, err := AdminAddrs(c.flags, c.conn)
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("AdminAddrs(%q, %q) = %q, %v; want %q", c.flags, c.conn, got, err, c.want)
		}
	}
	if _, err := AdminAddrs([]string{" , "}, "x:1"); err == nil {
		t.Error("no address accepted")
	}
}

// An API that speaks for its member alone (coordtui server --admin):
// the members the configuration names but no API reports are listed as
// unknown, so the quorum arithmetic counts them.
func TestRemoteMembersFromTheConfiguration(t *testing.T) {
	rig := startRig(t, 4096, false)
	h, err := admin.NewHandler(admin.Config{Server: rig.ens.Server(1), Events: rig.bus, Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); ts.Close() })
	r, err := StartRemote(ctxT(t), RemoteConfig{Attach: AttachConfig{ConnString: rig.ens.ConnString()}, Admin: []string{ts.URL}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	s := r.Snapshot(ctxT(t))
	if len(s.Members) != 3 || !s.Members[0].HasRaft || s.Members[1].Role == "down" || s.Members[2].Note == "" ||
		s.Members[1].Name != "n2" || s.Members[1].ClientAddr != rig.ens.ClientAddr(2) {
		t.Fatalf("members %+v", s.Members)
	}
	if q := QuorumOf(s); !strings.Contains(q.Words, "of 3") {
		t.Fatalf("quorum %q", q.Words)
	}
}
