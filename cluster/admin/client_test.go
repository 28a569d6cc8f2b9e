package admin

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster/event"
)

// collector keeps what Follow reports, for a test to wait on.
type collector struct {
	mu    sync.Mutex
	items []StreamItem
}

func (c *collector) add(it StreamItem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = append(c.items, it)
}

func (c *collector) snapshot() []StreamItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]StreamItem(nil), c.items...)
}

// follow runs Follow on c until the test ends.
func follow(t *testing.T, c *Client, opts FollowOptions) *collector {
	t.Helper()
	col := &collector{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.Follow(ctx, opts, col.add)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return col
}

func newClient(t *testing.T, u, token string) *Client {
	t.Helper()
	c, err := NewClient(u, token, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientStatusAndEvents(t *testing.T) {
	e, bus := testEnsemble(t, 3)
	_, u := serve(t, Config{Ensemble: e, Member: 1, Events: bus, Heartbeat: time.Hour})
	c := newClient(t, u, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	leaders := 0
	for _, m := range st.Members {
		if m.Role == "leader" {
			leaders++
		}
	}
	if len(st.Members) != 3 || leaders != 1 {
		t.Fatalf("status %+v", st)
	}
	var dump struct {
		Ephemerals map[string][]string `json:"session_id_to_ephemeral_paths"`
	}
	if err := c.Command(ctx, "dump", &dump); err != nil || dump.Ephemerals == nil {
		t.Fatalf("dump: %+v %v", dump, err)
	}
	if err := c.Command(ctx, "nosuch", &dump); err == nil || err.Error() != "nosuch: Unknown command: nosuch" {
		t.Fatalf("an unknown command: %v", err)
	}
	col := follow(t, c, FollowOptions{Kinds: []event.Kind{event.KindApplied}})
	eventually(t, 5*time.Second, "connected", func() bool { return len(col.snapshot()) > 0 })
	zc := connect(t, e.ClientAddr(1))
	if _, err := zc.Create("/through-the-wire", nil, 0, gozk.WorldACL(gozk.PermAll)); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the create's applied event", func() bool {
		for _, it := range col.snapshot() {
			if it.Event.Kind == event.KindApplied && it.Event.Applied.Path == "/through-the-wire" && it.Event.Applied.Op == "create" {
				return true
			}
		}
		return false
	})
}

// A stream cut in the middle resumes after the last event delivered:
// every event arrives once, in order.
func TestClientFollowResumesAfterCut(t *testing.T) {
	bus := event.NewBus(4096)
	e, _ := testEnsemble(t, 1)
	h, err := NewHandler(Config{Server: e.Server(1), Events: bus, Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); ts.Close() })
	c := newClient(t, ts.URL, "")
	col := follow(t, c, FollowOptions{Retry: 10 * time.Millisecond})
	eventually(t, 5*time.Second, "connected", func() bool { return len(col.snapshot()) > 0 })
	upTo := func(seq uint64) func() bool {
		return func() bool {
			for _, it := range col.snapshot() {
				if it.Event.Seq >= seq {
					return true
				}
			}
			return false
		}
	}
	// A stream resumes after the last event it delivered: let the first
	// arrive, then cut while the rest are in flight.
	bus.Publish(logEvent(1))
	eventually(t, 10*time.Second, "the first event", upTo(1))
	const n = 300
	for i := 2; i <= n; i++ {
		bus.Publish(logEvent(i))
		if i%100 == 50 {
			ts.CloseClientConnections()
		}
	}
	eventually(t, 10*time.Second, "every event", upTo(n))
	var seqs []uint64
	reconnects := 0
	for _, it := range col.snapshot() {
		switch {
		case it.Event.Kind != 0:
			seqs = append(seqs, it.Event.Seq)
		case it.Gap != nil:
			t.Fatalf("a gap %v although the bus kept everything", *it.Gap)
		case it.Connected && it.Resumed > 0:
			reconnects++
		}
	}
	for i, s := range seqs {
		if s != uint64(i+1) {
			t.Fatalf("event %d is #%d: lost or repeated across a cut (%v)", i+1, s, seqs)
		}
	}
	if reconnects == 0 {
		t.Fatal("the stream was never cut: the test did not exercise resuming")
	}
}

// Resuming after events the member no longer keeps reports the gap.
func TestClientFollowReportsGap(t *testing.T) {
	bus := event.NewBus(16)
	_, u := eventAPI(t, bus, 1024)
	for i := 1; i <= 40; i++ {
		bus.Publish(logEvent(i))
	}
	col := follow(t, newClient(t, u, ""), FollowOptions{After: 3})
	eventually(t, 5*time.Second, "the gap and the kept events", func() bool {
		its := col.snapshot()
		return len(its) > 0 && its[len(its)-1].Event.Seq == 40
	})
	its := col.snapshot()
	if !its[0].Connected || its[1].Gap == nil || its[1].Gap.String() != "dropped 21 events (#4..#24)" || its[2].Event.Seq != 25 {
		t.Fatalf("got %+v", its[:3])
	}
}

func TestClientFaults(t *testing.T) {
	e, bus := testEnsemble(t, 3)
	_, on := serve(t, Config{Ensemble: e, Member: 1, Events: bus, Faults: true, Token: "s3cret", Heartbeat: time.Hour})
	_, off := serve(t, Config{Server: e.Server(2), Heartbeat: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cut := url.Values{"from": {"n1"}, "to": {"n2"}}

	if _, err := newClient(t, on, "").Fault(ctx, "links/cut", cut); !errors.Is(err, ErrBadToken) {
		t.Fatalf("no token: %v", err)
	}
	if _, err := newClient(t, on, "wrong").Fault(ctx, "links/cut", cut); !errors.Is(err, ErrBadToken) {
		t.Fatalf("wrong token: %v", err)
	}
	if _, err := newClient(t, off, "s3cret").Fault(ctx, "links/cut", cut); !errors.Is(err, ErrFaultsOff) ||
		err.Error() != "links/cut: fault injection is off on this member (it needs enabling, with a token) (403)" {
		t.Fatalf("faults off: %v", err)
	}
	c := newClient(t, on, "s3cret")
	detail, err := c.Fault(ctx, "links/cut", cut)
	if err != nil || detail != "n1<->n2 cut" {
		t.Fatalf("cut: %q %v", detail, err)
	}
	fs, err := c.Faults(ctx)
	if err != nil || !fs.Enabled || fs.Links == nil || !fs.Links.Matrix().Link("n2", "n1").Fault.Cut {
		t.Fatalf("fault state %+v %v", fs, err)
	}
	if _, err := c.Fault(ctx, "members/crash", url.Values{"member": {"n9"}}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("crash n9: %v", err)
	}
}
