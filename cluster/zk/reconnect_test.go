package zk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk/zktest"
)

// A cut connection is re-established with the same session: one-shot
// watches are re-armed with SetWatches2 and the server's catch-up events
// cover what changed while the client was away, so no event is lost;
// persistent watches are re-armed and hear about the gap.
func TestReconnectRearmsWatches(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	proxy, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy")
	t.Cleanup(proxy.Close)
	frames := newFrameSplitter()
	proxy.Record(frames.record)

	other := connect(t, addr)
	root := testRoot(t, other)
	acl := WorldACL(PermAll)
	for _, p := range []string{"/data", "/kids", "/quiet"} {
		mustOK(t, errOnly(other.Create(ctx, root+p, nil, acl, ModePersistent)), "create "+p)
	}

	states := newLog[StateEvent]()
	c := connect(t, proxy.Addr, WithStateCallback(states.add))
	sid := c.SessionID()
	_, _, dataCh, err := c.GetW(ctx, root+"/data")
	mustOK(t, err, "getW")
	_, existCh, err := c.ExistsW(ctx, root+"/new")
	mustOK(t, err, "existsW")
	_, _, kidsCh, err := c.ChildrenW(ctx, root+"/kids")
	mustOK(t, err, "childrenW")
	_, _, quietCh, err := c.GetW(ctx, root+"/quiet")
	mustOK(t, err, "getW quiet")
	pLog, rLog := newLog[WatchEvent](), newLog[WatchEvent]()
	mustOK(t, c.AddWatch(ctx, root+"/kids", AddWatchPersistent, pLog.add), "addWatch")
	mustOK(t, c.AddWatch(ctx, root, AddWatchPersistentRecursive, rLog.add), "addWatch recursive")

	proxy.Block()
	proxy.Cut()
	states.waitFor(t, eventWait, "Suspended", hasState(StateSuspended))
	mustOK(t, errOnly(other.Set(ctx, root+"/data", []byte("while away"), -1)), "set")
	mustOK(t, errOnly(other.Create(ctx, root+"/new", nil, acl, ModePersistent)), "create new")
	mustOK(t, errOnly(other.Create(ctx, root+"/kids/k1", nil, acl, ModePersistent)), "create k1")
	proxy.Unblock()
	states.waitFor(t, eventWait, "reconnect", reconnected)
	if c.SessionID() != sid {
		t.Fatal("reconnect opened a new session")
	}

	ev := func(et EventType, p string) WatchEvent {
		return WatchEvent{Type: et, State: KeeperSyncConnected, Path: p}
	}
	for _, tc := range []struct {
		name string
		ch   <-chan WatchEvent
		want WatchEvent
	}{
		{"data", dataCh, ev(EventNodeDataChanged, root+"/data")},
		{"exist", existCh, ev(EventNodeCreated, root+"/new")},
		{"child", kidsCh, ev(EventNodeChildrenChanged, root+"/kids")},
	} {
		if got := recvEvent(t, tc.ch, eventWait); got != tc.want {
			t.Errorf("%s catch-up event %v, want %v", tc.name, got, tc.want)
		}
	}
	// An unchanged watch was re-armed, not fired.
	if got, ok := pending(quietCh); ok {
		t.Fatalf("quiet watch fired on reconnect: %v", got)
	}
	mustOK(t, errOnly(other.Set(ctx, root+"/quiet", []byte("now"), -1)), "set quiet")
	if got := recvEvent(t, quietCh, eventWait); got != ev(EventNodeDataChanged, root+"/quiet") {
		t.Fatalf("re-armed watch event %v", got)
	}
	mustOK(t, errOnly(other.Create(ctx, root+"/kids/k2", nil, acl, ModePersistent)), "create k2")
	// The server sends no catch-up for persistent watches, but the one for
	// the one-shot child watch on the same path reaches the persistent watch
	// too, as in the Java client.
	wantP := []WatchEvent{
		{Type: EventNone, State: KeeperDisconnected}, {Type: EventNone, State: KeeperSyncConnected},
		ev(EventNodeChildrenChanged, root+"/kids"), ev(EventNodeChildrenChanged, root+"/kids"),
	}
	if got := pLog.waitFor(t, eventWait, "persistent events", func(e []WatchEvent) bool { return len(e) >= 4 }); !reflect.DeepEqual(got, wantP) {
		t.Fatalf("persistent events\n got %v\nwant %v", got, wantP)
	}
	rLog.waitFor(t, eventWait, "recursive event after reconnect", func(e []WatchEvent) bool {
		return len(e) > 0 && e[len(e)-1] == ev(EventNodeCreated, root+"/kids/k2")
	})
	// ZooKeeper 3.8 accepted setWatches2 (105), sent right after the handshake.
	var reconnectOps []OpCode
	for _, f := range frames.out.snapshot() {
		if f.conn == 1 && f.fromClient && f.index > 0 {
			reconnectOps = append(reconnectOps, f.op())
		}
	}
	if len(reconnectOps) == 0 || reconnectOps[0] != OpSetWatches2 {
		t.Fatalf("requests after reconnect %v, want setWatches2 first", reconnectOps)
	}
}

// Requests in flight when the connection drops fail with
// ErrConnectionLoss; requests made while suspended wait and go out after
// the reconnect, behind the re-auth and SetWatches (v1 without persistent
// watches).
func TestInFlightAndQueuedAcrossReconnect(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	proxy, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy")
	t.Cleanup(proxy.Close)
	frames := newFrameSplitter()
	proxy.Record(frames.record)
	states := newLog[StateEvent]()
	c := connect(t, proxy.Addr, WithStateCallback(states.add), WithAuth("digest", []byte("erin:pw")))
	root := testRoot(t, c)
	_, _, _, err = c.GetW(ctx, root)
	mustOK(t, err, "getW")

	proxy.Hold()
	inflight := make(chan error, 1)
	go func() { _, err := c.Exists(ctx, root); inflight <- err }()
	frames.out.waitFor(t, eventWait, "the exists request at the proxy", func(f []frameSeen) bool { return countOp(f, OpExists) == 1 })
	proxy.Block()
	proxy.Cut()
	proxy.Release()
	if err := <-inflight; !errors.Is(err, ErrConnectionLoss) {
		t.Fatalf("in-flight request: %v", err)
	}
	states.waitFor(t, eventWait, "Suspended", hasState(StateSuspended))
	queuedErr := make(chan error, 1)
	go func() {
		_, err := c.Create(ctx, root+"/after", nil, WorldACL(PermAll), ModePersistent)
		queuedErr <- err
	}()
	waitUntil(t, eventWait, "the create to be queued", func() bool { return queued(c) == 1 })
	proxy.Unblock()
	if err := <-queuedErr; err != nil {
		t.Fatalf("request queued while suspended: %v", err)
	}
	var ops []OpCode
	for _, f := range frames.out.snapshot() {
		if f.conn == 1 && f.fromClient && f.index > 0 {
			ops = append(ops, f.op())
		}
	}
	if len(ops) < 3 || !reflect.DeepEqual(ops[:3], []OpCode{OpAuth, OpSetWatches, OpCreate}) {
		t.Fatalf("requests after reconnect %v, want auth, setWatches, create", ops)
	}
}

// Silence longer than 2/3 of the session timeout drops the connection and
// the client moves on to the next host, keeping its session. Pings keep an
// idle session alive meanwhile.
func TestPingsAndFailover(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	a, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy a")
	t.Cleanup(a.Close)
	b, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy b")
	t.Cleanup(b.Close)
	frames := newFrameSplitter()
	a.Record(frames.record)

	states := newLog[StateEvent]()
	c := connect(t, a.Addr+","+b.Addr, WithSessionTimeout(time.Second), WithStateCallback(states.add))
	sid := c.SessionID()
	if c.Server() != a.Addr {
		t.Fatalf("connected to %s, want the first host %s", c.Server(), a.Addr)
	}
	// Idle for longer than the session timeout: pings every ~333 ms keep it.
	frames.out.waitFor(t, eventWait, "pings", func(f []frameSeen) bool { return countOp(f, OpPing) >= 5 })
	if got := stateChanges(states.snapshot()); !reflect.DeepEqual(got, []string{"Connecting->Connected"}) {
		t.Fatalf("state changes while idle: %v", got)
	}
	for _, f := range frames.out.snapshot() {
		if f.fromClient && f.op() == OpPing && f.xid() != XidPing {
			t.Fatalf("ping with xid %d", f.xid())
		}
	}

	a.Hold()
	states.waitFor(t, eventWait, "reconnect", reconnected)
	if c.Server() != b.Addr || c.SessionID() != sid {
		t.Fatalf("after failover: server %s session %#x, want %s %#x", c.Server(), c.SessionID(), b.Addr, sid)
	}
	mustOK(t, errOnly(c.Exists(ctx, "/")), "exists after failover")
	a.Release()
}

// Connect skips hosts that refuse connections, and gives up when its
// context ends.
func TestConnectHostList(t *testing.T) {
	addr := apacheAddr(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	mustOK(t, err, "listen")
	dead := ln.Addr().String()
	ln.Close()

	c := connect(t, dead+","+addr)
	if c.Server() != addr {
		t.Fatalf("connected to %q", c.Server())
	}
	short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := Connect(short, dead); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("connect to a dead host: %v", err)
	}
	if _, err := Connect(short, ""); err == nil {
		t.Fatal("connect with an empty connection string")
	}
}

// WithReadOnly sets the handshake's readOnly byte; a server with a quorum
// (here a standalone one) answers read-write and the state is Connected.
func TestReadOnlyHandshake(t *testing.T) {
	proxy, err := zktest.NewProxy(apacheAddr(t))
	mustOK(t, err, "proxy")
	t.Cleanup(proxy.Close)
	frames := newFrameSplitter()
	proxy.Record(frames.record)
	for _, allowed := range []bool{false, true} {
		c := connect(t, proxy.Addr, WithReadOnly(allowed))
		if c.State() != StateConnected {
			t.Fatalf("readOnly=%v: state %v", allowed, c.State())
		}
		mustOK(t, c.Close(), "close")
	}
	var got []bool
	for _, f := range frames.out.snapshot() {
		if f.fromClient && f.index == 0 {
			r, err := DecodeConnectRequest(f.payload, 0)
			mustOK(t, err, "decode handshake")
			if !r.HasReadOnly {
				t.Fatal("handshake without the readOnly byte")
			}
			got = append(got, r.ReadOnly)
		}
	}
	if !reflect.DeepEqual(got, []bool{false, true}) {
		t.Fatalf("readOnly bytes %v", got)
	}
}

// More watches than fit in one 128 KiB SetWatches are re-armed in several
// packets, all accepted, and every watch still fires.
func TestSetWatchesBatchesAgainstApache(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	proxy, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy")
	t.Cleanup(proxy.Close)
	frames := newFrameSplitter()
	proxy.Record(frames.record)
	states := newLog[StateEvent]()
	c := connect(t, proxy.Addr, WithStateCallback(states.add))
	root := testRoot(t, c)

	const n = 1500 // ~150 KiB of paths
	long := root + "/" + strings.Repeat("w", 90) + "-"
	chans := make([]<-chan WatchEvent, n)
	for i := range chans {
		_, ch, err := c.ExistsW(ctx, fmt.Sprintf("%s%04d", long, i))
		mustOK(t, err, "existsW")
		chans[i] = ch
	}
	proxy.Cut()
	states.waitFor(t, eventWait, "reconnect", reconnected)
	mustOK(t, errOnly(c.Sync(ctx, "/")), "sync after the SetWatches replies")
	var batches int
	for _, f := range frames.out.snapshot() {
		if f.conn == 1 && f.op() == OpSetWatches {
			batches++
		}
	}
	if batches < 2 {
		t.Fatalf("%d SetWatches packets for %d watches", batches, n)
	}
	ops := make([]Op, 0, n)
	for i := 0; i < n; i++ {
		ops = append(ops, CreateOp(fmt.Sprintf("%s%04d", long, i), nil, WorldACL(PermAll), ModePersistent))
	}
	mustOK(t, errOnly(c.Multi(ctx, ops...)), "create all")
	for i, ch := range chans {
		if ev, ok := pending(ch); !ok || ev.Type != EventNodeCreated {
			t.Fatalf("watch %d: %v %v", i, ev, ok)
		}
	}
}
