package source

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/zk"
	"coordtui/cluster/zk/zktest"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Attached to Apache ZooKeeper with only srvr and ruok whitelisted: the
// member status comes from srvr, the refused words are named, the tree is
// read through the client, and changes arrive through the recursive watch
// with their zxids.
func TestAttachApache(t *testing.T) {
	addr := zktest.StartApache(t, zktest.Config{Extra: []string{"4lw.commands.whitelist=srvr,ruok"}})
	ctx := ctxT(t)
	a, err := StartAttach(ctx, AttachConfig{ConnString: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.ReadOnly() || a.Control() != nil || a.Workers() != nil {
		t.Fatalf("attached without --write: read-only %v, control %v, workers %v", a.ReadOnly(), a.Control(), a.Workers())
	}
	if IsCoordtui(ctx, addr) {
		t.Error("Apache ZooKeeper taken for coordtui: attach would write to it by default")
	}

	s := a.Snapshot(ctx)
	if len(s.Members) != 1 || s.Members[0].Role != "standalone" || !s.Members[0].Up {
		t.Fatalf("members: %+v", s.Members)
	}
	notes := strings.Join(s.Notes, "\n")
	for _, w := range []string{"mntr not whitelisted", "cons not whitelisted"} {
		if !strings.Contains(notes, w) {
			t.Fatalf("notes %q do not say %q", notes, w)
		}
	}
	if q := QuorumOf(s); !q.Commits || !strings.Contains(q.Words, "standalone") {
		t.Fatalf("quorum: %+v", q)
	}

	writer, err := zk.Connect(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	if _, err := writer.Create(ctx, "/attach", []byte(`{"a":1}`), zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	eph, err := writer.Create(ctx, "/attach/e-", nil, zk.WorldACL(zk.PermAll), zk.ModeEphemeralSequential)
	if err != nil {
		t.Fatal(err)
	}
	var applied []string
	deadline := time.After(20 * time.Second)
	for len(applied) < 2 {
		select {
		case ev := <-a.Events():
			if ev.Kind == event.KindApplied {
				if ev.Applied.Zxid == 0 {
					t.Fatalf("a create without its zxid: %v", ev)
				}
				applied = append(applied, ev.Applied.Op+" "+ev.Applied.Path)
			}
		case <-deadline:
			t.Fatalf("changes seen: %v", applied)
		}
	}
	if want := []string{"create /attach", "create " + eph}; !slices.Equal(applied, want) {
		t.Fatalf("changes %v, want %v", applied, want)
	}

	kids, err := a.Children(ctx, 0, "/attach")
	if err != nil || len(kids) != 1 || kids[0].Owner != writer.SessionID() || !kids[0].Sequential {
		t.Fatalf("children %+v %v", kids, err)
	}
	d, err := a.Detail(ctx, 0, "/attach")
	if err != nil || string(d.Data) != `{"a":1}` || d.Stat.NumChildren != 1 || len(d.ACL) != 1 {
		t.Fatalf("detail %+v %v", d, err)
	}
	found, err := a.Find(ctx, 0, "attach/e", 10)
	if err != nil || !slices.Equal(found, []string{eph}) {
		t.Fatalf("find %v %v", found, err)
	}
}

// coordtui says so in its srvr version line, so attach lets the console
// write to it by default; an address nobody answers is not coordtui.
func TestIsCoordtui(t *testing.T) {
	e := startEmbedded(t, 3)
	ctx := ctxT(t)
	if !IsCoordtui(ctx, e.ConnString()) {
		t.Errorf("%s not recognised as coordtui", e.ConnString())
	}
	if IsCoordtui(ctx, "127.0.0.1:9") {
		t.Error("a closed port taken for coordtui")
	}
}

func TestParseCons(t *testing.T) {
	text := " /127.0.0.1:51234[1](queued=0,recved=7,sent=7,sid=0x100008c1a9c0001,lop=PING,est=1700000000000,to=4000,lcxid=0x3,lzxid=0x15,lresp=1700000001234,llat=0,minlat=0,avglat=0.5,maxlat=2)\n" +
		" /127.0.0.1:51240[0](queued=0,recved=1,sent=0)\n\n"
	got := parseCons(text, "127.0.0.1:2181")
	if len(got) != 1 || got[0].ID != 0x100008c1a9c0001 || got[0].Timeout != 4*time.Second ||
		!got[0].LastHeard.IsZero() || got[0].Member != "127.0.0.1:2181" {
		t.Fatalf("%+v", got)
	}
}
