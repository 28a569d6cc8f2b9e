package source

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/faultnet"
	"coordtui/tree"
)

func startEmbedded(t *testing.T, members int) *Embedded {
	t.Helper()
	e, err := StartEmbedded(EmbeddedConfig{Members: members, Timing: cluster.TestTiming, TickTime: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	if _, err := e.Ensemble().WaitLeader(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	return e
}

// eventually polls cond with a deadline: tests wait on observed state.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEmbeddedSnapshotAndTree(t *testing.T) {
	e := startEmbedded(t, 3)
	ctx := ctxT(t)
	var s Snapshot
	eventually(t, "a leader in the snapshot", func() bool {
		s = e.Snapshot(ctx)
		_, ok := s.LeaderMember()
		return ok
	})
	if len(s.Members) != 3 || !s.HasMatrix || len(s.Matrix.Members) != 3 || s.Mode != "embedded" || s.ConnString == "" {
		t.Fatalf("snapshot %+v", s)
	}
	leader, _ := s.LeaderMember()
	n := e.Ensemble().Node(leader.ID)
	if _, err := n.Write(ctx, 0, nil, tree.Op{Type: tree.OpCreateContainer, Path: "/c", ACL: tree.OpenACL, Flags: tree.Container}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Write(ctx, 0, nil, tree.Op{Type: tree.OpCreate, Path: "/c/x-0000000001", Data: []byte("hi"), ACL: tree.OpenACL}); err != nil {
		t.Fatal(err)
	}
	kids, err := e.Children(ctx, leader.ID, "/")
	if err != nil || len(kids) != 2 || kids[0].Path != "/c" || !kids[0].Container || kids[0].NumChildren != 1 {
		t.Fatalf("children of /: %+v %v", kids, err)
	}
	kids, _ = e.Children(ctx, leader.ID, "/c")
	if len(kids) != 1 || !kids[0].Sequential {
		t.Fatalf("children of /c: %+v", kids)
	}
	d, err := e.Detail(ctx, leader.ID, "/c/x-0000000001")
	if err != nil || string(d.Data) != "hi" || d.Mode != "PERSISTENT_SEQUENTIAL" || d.Member != leader.Name {
		t.Fatalf("detail %+v %v", d, err)
	}
	if _, err := e.Children(ctx, leader.ID, "/nope"); !errors.Is(err, tree.ErrNoNode) {
		t.Fatalf("children of a missing node: %v", err)
	}
	found, _ := e.Find(ctx, 0, "x-", 10)
	if len(found) != 1 || found[0] != "/c/x-0000000001" {
		t.Fatalf("find: %v", found)
	}
}

// The network controller keeps the user's cuts and delays apart from slow
// motion: a partition and a delay survive a speed change, and heal clears
// only what the user set.
func TestNetPartitionSpeedHeal(t *testing.T) {
	e := startEmbedded(t, 3)
	net := e.LocalNet()
	links := net.Links()
	net.Split([]string{"n1"}, []string{"n2", "n3"})
	net.SetDelay("n2", "n3", 100*time.Millisecond)
	if !links.Get("n1", "n2").Cut || !links.Get("n3", "n1").Cut || links.Get("n2", "n3").Cut {
		t.Fatalf("split: %v", links.Matrix())
	}
	if err := net.SetSpeed(4); err != nil {
		t.Fatal(err)
	}
	if got, want := links.Get("n2", "n3").Delay, 400*time.Millisecond; got != want {
		t.Fatalf("a 100ms delay at ×4 is %v, want %v", got, want)
	}
	if got := links.Get("n3", "n2"); !got.IsZero() {
		t.Fatalf("a healthy link at ×4 carries %v", got)
	}
	if note := net.Note(); !strings.Contains(note, "n2->n3 takes 400ms") {
		t.Fatalf("no warning about the lease: %q", note)
	}
	if e.Ensemble().Speed() != 4 {
		t.Fatalf("raft timeouts at ×%g", e.Ensemble().Speed())
	}
	if err := net.SetSpeed(0.5); err == nil {
		t.Fatal("speed below 1 accepted")
	}
	net.Heal()
	if f := links.Get("n1", "n2"); !f.IsZero() || net.Note() != "" {
		t.Fatalf("after heal n1->n2 is %v", f)
	}
	if err := net.SetSpeed(1); err != nil {
		t.Fatal(err)
	}
	for _, l := range links.Matrix().Links {
		if !l.Fault.IsZero() {
			t.Fatalf("at normal speed after heal: %v", links.Matrix())
		}
	}
}

// Step mode: a write waits until its messages are released one by one;
// heartbeats flow meanwhile, so the leader keeps its term.
func TestStepModeReleasesAWriteMessageByMessage(t *testing.T) {
	e := startEmbedded(t, 3)
	ctx := ctxT(t)
	leader, err := e.Ensemble().WaitLeader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	term := leader.Status().Term
	net := e.LocalNet()
	if _, err := net.ReleaseNext(); err == nil {
		t.Fatal("release with step mode off: no error")
	}
	if err := net.SetStep(true); err != nil {
		t.Fatal(err)
	}
	if !net.Step() || e.Ensemble().Speed() != StepStretch || net.StepNote() == "" {
		t.Fatalf("step on: step %v speed %g", net.Step(), e.Ensemble().Speed())
	}
	for _, l := range net.Links().Matrix().Links {
		if !l.Fault.Hold {
			t.Fatalf("step mode left %s->%s unheld", l.From, l.To)
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := leader.Write(context.Background(), 0, nil, tree.Op{Type: tree.OpCreate, Path: "/stepped", ACL: tree.OpenACL})
		done <- err
	}()
	released := 0
	deadline := time.After(20 * time.Second)
	for committed := false; !committed; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("write: %v", err)
			}
			committed = true
		case <-deadline:
			t.Fatalf("the write never committed; released %d, queue %v", released, net.Queue())
		default:
			if r, err := net.ReleaseNext(); err == nil {
				if r.Type == "" || r.Entries == 0 && r.Type == "AppendEntries" {
					t.Fatalf("released a keep-alive the user should never see: %v", r)
				}
				released++
			} else {
				time.Sleep(2 * time.Millisecond)
			}
		}
	}
	if released == 0 {
		t.Fatal("the write committed without a message being released: nothing was held")
	}
	if got := leader.Status(); got.Role != "leader" || got.Term != term {
		t.Fatalf("after stepping: %s (was leader in term %d)", got, term)
	}
	if err := net.SetStep(false); err != nil {
		t.Fatal(err)
	}
	if e.Ensemble().Speed() != 1 || len(net.Queue()) != 0 {
		t.Fatalf("step off: speed %g queue %v", e.Ensemble().Speed(), net.Queue())
	}
	for _, l := range net.Links().Matrix().Links {
		if l.Fault != (faultnet.Fault{}) || l.Held != 0 {
			t.Fatalf("step off left %v", l)
		}
	}
}
