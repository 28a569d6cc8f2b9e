package zk

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// A client that freezes (no pings, no reading) for longer than its session
// timeout finds its session expired when it thaws: state Expired, every
// watch ended with EventNotWatching, calls fail with ErrSessionExpired, and
// no new session is opened behind the caller's back.
func TestSessionExpiryWhileFrozen(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	states := newLog[StateEvent]()
	c := connect(t, addr, WithSessionTimeout(time.Second), WithStateCallback(states.add))
	if got := c.SessionTimeout(); got != time.Second {
		t.Fatalf("negotiated timeout %v (tickTime 500 ms allows 1 s)", got)
	}
	sid := c.SessionID()
	root := testRoot(t, c)
	eph, err := c.Create(ctx, root+"/eph", nil, WorldACL(PermAll), ModeEphemeral)
	mustOK(t, err, "create ephemeral")
	// Watch a node the expiry leaves alone: ZooKeeper does deliver the
	// NodeDeleted of the session's own ephemerals to its dying connection.
	_, _, oneShot, err := c.GetW(ctx, root)
	mustOK(t, err, "getW")
	persistent := newLog[WatchEvent]()
	mustOK(t, c.AddWatch(ctx, root, AddWatchPersistentRecursive, persistent.add), "addWatch")

	observer := connect(t, addr)
	_, gone, err := observer.ExistsW(ctx, eph)
	mustOK(t, err, "observer existsW")

	c.freeze()
	// A call on a frozen client is never sent; its context decides.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = c.Create(short, root+"/never", nil, WorldACL(PermAll), ModePersistent)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) || queued(c) != 0 {
		t.Fatalf("call while frozen: %v, %d queued", err, queued(c))
	}
	// The server expires the session and deletes its ephemeral.
	if ev := recvEvent(t, gone, 15*time.Second); ev.Type != EventNodeDeleted {
		t.Fatalf("observer event %v", ev)
	}
	// A call that waits across the thaw fails with the session.
	callErr := make(chan error, 1)
	go func() { _, err := c.Exists(ctx, root); callErr <- err }()
	waitUntil(t, eventWait, "the call to be queued", func() bool { return queued(c) == 1 })
	c.unfreeze()

	states.waitFor(t, eventWait, "Expired", hasState(StateExpired))
	if err := <-callErr; !errors.Is(err, ErrSessionExpired) && !errors.Is(err, ErrConnectionLoss) {
		t.Fatalf("call across the thaw: %v", err)
	}
	ev := recvEvent(t, oneShot, eventWait)
	if ev.Type != EventNotWatching || ev.State != KeeperExpired || !errors.Is(ev.Err, ErrSessionExpired) {
		t.Fatalf("one-shot watch ended with %v", ev)
	}
	last := persistent.waitFor(t, eventWait, "persistent watch end", func(evs []WatchEvent) bool {
		return len(evs) > 0 && evs[len(evs)-1].Type == EventNotWatching
	})
	if !errors.Is(last[len(last)-1].Err, ErrSessionExpired) {
		t.Fatalf("persistent watch ended with %v", last)
	}
	if _, err := c.Exists(ctx, root); !errors.Is(err, ErrSessionExpired) {
		t.Fatalf("call after expiry: %v", err)
	}
	if c.State() != StateExpired || c.SessionID() != sid {
		t.Fatalf("state %v session %#x: the client must not open a new session", c.State(), c.SessionID())
	}
	if st, err := observer.Exists(ctx, root+"/never"); st != nil || err != nil {
		t.Fatalf("the abandoned create was sent: %v %v", st, err)
	}
	// Carrying on takes an explicit new session.
	renewed, err := c.Reconnect(ctx)
	mustOK(t, err, "reconnect")
	t.Cleanup(func() { renewed.Close() })
	if renewed.SessionID() == sid || renewed.SessionTimeout() != time.Second {
		t.Fatalf("new session %#x (old %#x), timeout %v", renewed.SessionID(), sid, renewed.SessionTimeout())
	}
	mustOK(t, errOnly(renewed.Exists(ctx, root)), "exists on the new session")
	mustOK(t, c.Close(), "close")
	// The renewed client has the same options, so it reports to the same
	// callback; keep the old session's events.
	var old []StateEvent
	for _, ev := range states.waitFor(t, eventWait, "Closed", hasState(StateClosed)) {
		if ev.SessionID == sid {
			old = append(old, ev)
		}
	}
	want := []string{"Connecting->Connected", "Connected->Suspended", "Suspended->Expired", "Expired->Closed"}
	if got := stateChanges(old); !reflect.DeepEqual(got, want) {
		t.Fatalf("state changes %v, want %v", got, want)
	}
}

// Close ends the session at once (the server deletes its ephemerals before
// replying), ends every watch, fails later calls and stops every goroutine.
func TestClose(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	observer := connect(t, addr)
	root := testRoot(t, observer)
	states := newLog[StateEvent]()
	c, err := Connect(ctx, addr, WithStateCallback(states.add))
	mustOK(t, err, "connect")
	eph, err := c.Create(ctx, root+"/eph", nil, WorldACL(PermAll), ModeEphemeral)
	mustOK(t, err, "create")
	_, ch, err := c.ExistsW(ctx, root+"/none")
	mustOK(t, err, "existsW")
	mustOK(t, c.Close(), "close")
	mustOK(t, c.Close(), "second close")
	if st, err := observer.Exists(ctx, eph); st != nil || err != nil {
		t.Fatalf("ephemeral after close: %v %v", st, err)
	}
	ev := recvEvent(t, ch, eventWait)
	if ev.Type != EventNotWatching || !errors.Is(ev.Err, ErrClosing) {
		t.Fatalf("watch ended with %v", ev)
	}
	if _, err := c.Exists(ctx, "/"); !errors.Is(err, ErrClosing) {
		t.Fatalf("call after close: %v", err)
	}
	if got := stateChanges(states.snapshot()); !reflect.DeepEqual(got, []string{"Connecting->Connected", "Connected->Closed"}) {
		t.Fatalf("state changes %v", got)
	}
}
