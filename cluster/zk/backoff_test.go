package zk

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// The client pauses once per pass over its hosts, not before each
// attempt: after a partition heals or a leader is elected, every member is
// tried within one pass while the session's clock runs. The pauses double
// up to a second.
func TestConnectPausesOncePerPassOverTheHosts(t *testing.T) {
	var mu sync.Mutex
	var trail []string
	refused := errors.New("refused")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pauses := 0
	dial := func(_ context.Context, _, addr string) (net.Conn, error) {
		mu.Lock()
		defer mu.Unlock()
		trail = append(trail, addr)
		return nil, refused
	}
	pause := func(_ context.Context, d time.Duration) bool {
		mu.Lock()
		defer mu.Unlock()
		trail = append(trail, "pause "+d.String())
		if pauses++; pauses == 7 {
			cancel()
			return false
		}
		return true
	}
	_, err := Connect(ctx, "a:1,b:1,c:1", WithDialer(dial), func(c *config) { c.pause = pause })
	if err == nil {
		t.Fatal("connected to nothing")
	}
	mu.Lock()
	defer mu.Unlock()
	got := strings.Join(trail, " ")
	want := "a:1 b:1 c:1 pause 50ms a:1 b:1 c:1 pause 100ms a:1 b:1 c:1 pause 200ms a:1 b:1 c:1 pause 400ms " +
		"a:1 b:1 c:1 pause 800ms a:1 b:1 c:1 pause 1s a:1 b:1 c:1 pause 1s"
	if got != want {
		t.Fatalf("attempts:\n got %s\nwant %s", got, want)
	}
}
