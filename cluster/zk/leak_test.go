package zk

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"coordtui/cluster/zk/zktest"
)

// Every goroutine a Client starts (connection loop, reader, writer,
// delivery) has ended when Close returns, including after reconnects and
// after a Connect that gave up.
func TestNoGoroutinesOutliveClose(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	proxy, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy")
	before := runtime.NumGoroutine()

	states := newLog[StateEvent]()
	c, err := Connect(ctx, proxy.Addr, WithStateCallback(states.add))
	mustOK(t, err, "connect")
	mustOK(t, c.AddWatch(ctx, "/", AddWatchPersistentRecursive, func(WatchEvent) {}), "addWatch")
	_, _, _, err = c.GetW(ctx, "/")
	mustOK(t, err, "getW")
	proxy.Cut()
	states.waitFor(t, eventWait, "reconnect", reconnected)
	mustOK(t, c.Close(), "close")

	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	proxy.Block()
	if _, err := Connect(short, proxy.Addr); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("connect through a blocked proxy: %v", err)
	}
	proxy.Close()
	waitUntil(t, eventWait, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}
