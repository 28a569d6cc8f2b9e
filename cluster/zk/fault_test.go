package zk

import (
	"errors"
	"testing"
	"time"
)

// Crash drops the connection without closeSession: the session and its
// ephemeral outlive the client until the server expires them, and the
// client is finished (Closed with ErrCrashed) and never reconnects.
func TestCrashLeavesSessionToExpire(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	states := newLog[StateEvent]()
	c, err := Connect(ctx, addr, WithSessionTimeout(time.Second), WithStateCallback(states.add))
	mustOK(t, err, "connect")
	observer := connect(t, addr)
	root := testRoot(t, observer)
	eph, err := c.Create(ctx, root+"/eph", nil, WorldACL(PermAll), ModeEphemeral)
	mustOK(t, err, "create ephemeral")

	c.Crash()
	c.Crash() // idempotent
	// The session outlives the client: its ephemeral is still there.
	st, gone, err := observer.ExistsW(ctx, eph)
	mustOK(t, err, "observer existsW")
	if st == nil {
		t.Fatal("the ephemeral vanished at once: Crash sent closeSession")
	}
	if ev := recvEvent(t, gone, 15*time.Second); ev.Type != EventNodeDeleted {
		t.Fatalf("observer event %v", ev)
	}
	if _, err := c.Exists(ctx, root); !errors.Is(err, ErrClosing) {
		t.Fatalf("call after crash: %v", err)
	}
	evs := states.waitFor(t, eventWait, "Closed", hasState(StateClosed))
	last := evs[len(evs)-1]
	if !errors.Is(last.Err, ErrCrashed) || c.State() != StateClosed {
		t.Fatalf("last state event %v, state %v", last, c.State())
	}
	mustOK(t, c.Close(), "close after crash")
}

// A freeze shorter than the session timeout costs nothing: after Thaw the
// session, its ephemeral and the client's calls carry on.
func TestFreezeThawWithinTimeout(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	c := connect(t, addr, WithSessionTimeout(4*time.Second))
	root := testRoot(t, c)
	eph, err := c.Create(ctx, root+"/eph", nil, WorldACL(PermAll), ModeEphemeral)
	mustOK(t, err, "create")
	c.Freeze()
	c.Freeze()
	if !c.Frozen() {
		t.Fatal("not frozen")
	}
	// Let a few ping intervals pass unanswered, observed through the
	// client's own clock-free state: nothing may change while frozen.
	observer := connect(t, addr)
	st, err := observer.Exists(ctx, eph)
	if err != nil || st == nil {
		t.Fatalf("ephemeral while frozen: %v %v", st, err)
	}
	c.Thaw()
	c.Thaw()
	if c.Frozen() {
		t.Fatal("still frozen")
	}
	if st, err := c.Exists(ctx, eph); err != nil || st == nil {
		t.Fatalf("after thaw: %v %v", st, err)
	}
	if c.State() != StateConnected {
		t.Fatalf("state %v", c.State())
	}
}
