package worker

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// Start brings N workers up at once, each a session of its own with an
// ephemeral under the root, and reports each one connecting.
func TestStartRegistersEphemerals(t *testing.T) {
	p, obs, rec := newPool(t, 2*time.Second)
	infos, err := p.Start(testCtx(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	sessions := map[int64]bool{}
	for i, info := range infos {
		if info.ID != i+1 || info.State != Connected || info.Path != p.Root()+"/"+info.Name || info.Server == "" {
			t.Fatalf("worker %d: %v", i, info)
		}
		sessions[info.Session] = true
		if !exists(t, obs, info.Path) {
			t.Fatalf("%s not registered", info.Path)
		}
		rec.waitStates(t, info.Name, Connecting, Connected)
	}
	if len(sessions) != 3 {
		t.Fatalf("sessions %v: each worker needs its own", sessions)
	}
	if got := p.List(); len(got) != 3 || got[0].Name != "w1" || got[2].Name != "w3" {
		t.Fatalf("list %v", got)
	}
	if _, err := p.Start(testCtx(t), 0); err == nil {
		t.Fatal("start 0 workers: no error")
	}
	// A later start may ask for another session timeout than the pool's.
	more, err := p.StartWith(testCtx(t), 1, 4*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if more[0].Timeout != 4*time.Second || infos[0].Timeout != 2*time.Second {
		t.Fatalf("timeouts: pool's %v, asked for 4s: %v", infos[0].Timeout, more[0].Timeout)
	}
}

// Stop is a clean close: the ephemeral goes at once.
func TestStopDeletesEphemeralAtOnce(t *testing.T) {
	p, obs, rec := newPool(t, 2*time.Second)
	infos, err := p.Start(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	w := infos[0]
	if err := p.Stop(w.ID); err != nil {
		t.Fatal(err)
	}
	if exists(t, obs, w.Path) {
		t.Fatalf("%s outlived a clean close", w.Path)
	}
	rec.waitStates(t, w.Name, Connecting, Connected, Closed)
	if err := p.Stop(99); !errors.Is(err, ErrNoWorker) {
		t.Fatalf("stop unknown worker: %v", err)
	}
}

// Crash leaves the session to expire: the ephemeral outlives the client by
// about the session timeout.
func TestCrashLeavesEphemeralUntilExpiry(t *testing.T) {
	p, obs, rec := newPool(t, time.Second)
	infos, err := p.Start(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	w := infos[0]
	if err := p.Crash(w.ID); err != nil {
		t.Fatal(err)
	}
	if !exists(t, obs, w.Path) {
		t.Fatalf("%s vanished at once: the crash closed the session", w.Path)
	}
	waitGone(t, obs, w.Path)
	rec.waitStates(t, w.Name, Connecting, Connected, Closed)
	if got, _ := p.Get(w.ID); !got.Crashed {
		t.Fatalf("after crash: %v", got)
	}
	if err := p.Crash(w.ID); err == nil {
		t.Fatal("second crash: no error")
	}
}

// A short freeze costs nothing; Expire freezes until the session is gone,
// and the worker learns it when it thaws.
func TestFreezeThawAndExpire(t *testing.T) {
	p, obs, rec := newPool(t, time.Second)
	infos, err := p.Start(testCtx(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	a, b := infos[0], infos[1]
	if err := p.Freeze(a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Get(a.ID); !got.Frozen || got.State != Connected {
		t.Fatalf("frozen worker: %v", got)
	}
	if err := p.Thaw(a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Get(a.ID); got.Frozen {
		t.Fatalf("thawed worker: %v", got)
	}

	if err := p.Expire(testCtx(t), b.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := p.Get(b.ID)
	if got.State != Expired || got.Frozen || got.Expiring {
		t.Fatalf("expired worker: %v", got)
	}
	if exists(t, obs, b.Path) {
		t.Fatalf("%s outlived its session", b.Path)
	}
	// After the thaw it may reconnect once to a member that has not yet
	// applied the expiry; it always ends Expired.
	rec.waitLast(t, b.Name, Expired)
	if got := rec.states(b.Name); !slices.Equal(got[:3], []State{Connecting, Connected, Suspended}) {
		t.Fatalf("%s went through %v", b.Name, got)
	}
	// The other worker was never disturbed.
	if got, _ := p.Get(a.ID); got.State != Connected || !exists(t, obs, a.Path) {
		t.Fatalf("bystander: %v", got)
	}
	if err := p.Freeze(b.ID); err == nil {
		t.Fatal("freeze an expired worker: no error")
	}
	if n := p.Forget(); n != 1 || len(p.List()) != 1 {
		t.Fatalf("forget: %d, left %v", n, p.List())
	}
}

// A subscriber that never reads does not hold a worker up; it sees its
// losses in Dropped.
func TestSlowSubscriberNeverBlocks(t *testing.T) {
	p, _, _ := newPool(t, 2*time.Second)
	slow := p.Subscribe(1)
	defer slow.Close()
	if _, err := p.Start(testCtx(t), 3); err != nil {
		t.Fatal(err)
	}
	if slow.Dropped() == 0 {
		t.Fatal("nothing dropped: the subscriber must have been offered more than one change")
	}
	slow.Close()
	slow.Close() // idempotent
}

func TestChangeStrings(t *testing.T) {
	c := Change{Info: Info{Name: "w1", Session: 0x100000001, State: Suspended, Path: "/workers/w1", Frozen: true}, Previous: Connected}
	if got, want := c.String(), "w1 connected -> suspended (frozen)"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if got, want := c.Info.String(), "w1 s100000001 suspended /workers/w1 frozen"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}
