package faultnet

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
)

// waitFor polls cond until it holds or the deadline passes. Polling an
// observed state with a deadline is how these tests wait; none sleeps to
// synchronise.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		<-tick.C
	}
}

// recorder keeps every event a bus publishes, for tests that look back.
type recorder struct {
	sub  *event.Subscription
	done chan struct{}

	mu  sync.Mutex
	evs []event.Event
}

func record(t *testing.T, bus *event.Bus) *recorder {
	r := &recorder{sub: bus.Subscribe(1 << 12), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for ev := range r.sub.C() {
			r.mu.Lock()
			r.evs = append(r.evs, ev)
			r.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		r.sub.Close()
		<-r.done
		if n := r.sub.Dropped(); n > 0 {
			t.Errorf("recorder dropped %d events", n)
		}
	})
	return r
}

func (r *recorder) count(match func(event.Event) bool) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ev := range r.evs {
		if match(ev) {
			n++
		}
	}
	return n
}

// waitEvent waits until an event matching match has been recorded.
func (r *recorder) waitEvent(t *testing.T, timeout time.Duration, what string, match func(event.Event) bool) {
	t.Helper()
	waitFor(t, timeout, what, func() bool { return r.count(match) > 0 })
}

// rpc matches RPC events by sender, receiver, type and outcome; "" matches any.
func rpc(from, to string, typ event.RPCType, o event.Outcome) func(event.Event) bool {
	return func(ev event.Event) bool {
		return ev.Kind == event.KindRaftRPC &&
			(from == "" || ev.RPC.From == from) && (to == "" || ev.RPC.To == to) &&
			(typ == "" || ev.RPC.Type == typ) && (o == "" || ev.RPC.Outcome == o)
	}
}

// pair is two transports on loopback, n1 and n2, with n2 answering every
// RPC itself the way a healthy raft would.
type pair struct {
	bus   *event.Bus
	links *Links
	a, b  *Transport
	sub   *event.Subscription

	received chan raft.RPC // every RPC n2 received, in order
	onRPC    func(cmd any) // if set, runs before n2 answers
	mu       sync.Mutex    // guards onRPC
	stop     chan struct{}
	done     chan struct{}
}

func newPair(t testing.TB, cfg Config) *pair {
	t.Helper()
	bus := event.NewBus(256)
	p := &pair{bus: bus, links: NewLinks(bus, 1), sub: bus.Subscribe(1 << 10),
		received: make(chan raft.RPC, 100), stop: make(chan struct{}), done: make(chan struct{})}
	var err error
	cfg.ID, cfg.Bind = "n1", "127.0.0.1:0"
	if p.a, err = Listen(p.links, cfg); err != nil {
		t.Fatal(err)
	}
	if p.b, err = Listen(p.links, Config{ID: "n2", Bind: "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	go p.serve()
	t.Cleanup(func() {
		close(p.stop)
		<-p.done
		p.a.Close()
		p.b.Close()
		p.sub.Close()
	})
	return p
}

func (p *pair) setOnRPC(f func(cmd any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onRPC = f
}

func (p *pair) serve() {
	defer close(p.done)
	for {
		select {
		case r := <-p.b.Consumer():
			p.mu.Lock()
			hook := p.onRPC
			p.mu.Unlock()
			if hook != nil {
				hook(r.Command)
			}
			p.received <- r
			r.Respond(answer(r))
		case <-p.stop:
			return
		}
	}
}

func answer(r raft.RPC) (any, error) {
	switch c := r.Command.(type) {
	case *raft.AppendEntriesRequest:
		return &raft.AppendEntriesResponse{Term: c.Term, Success: true}, nil
	case *raft.RequestVoteRequest:
		return &raft.RequestVoteResponse{Term: c.Term, Granted: true}, nil
	case *raft.RequestPreVoteRequest:
		return &raft.RequestPreVoteResponse{Term: c.Term - 1, Granted: true}, nil
	case *raft.InstallSnapshotRequest:
		_, err := io.Copy(io.Discard, r.Reader)
		return &raft.InstallSnapshotResponse{Term: c.Term, Success: err == nil}, err
	case *raft.TimeoutNowRequest:
		return &raft.TimeoutNowResponse{}, nil
	}
	return nil, nil
}

// rpcBodies drains the events already published and returns the RPC ones as
// lines. Transport publishes before an RPC call returns, so nothing is in
// flight when a test calls this.
func (p *pair) rpcBodies() []string {
	var out []string
	for {
		select {
		case ev := <-p.sub.C():
			if ev.Kind == event.KindRaftRPC {
				out = append(out, ev.Body())
			}
		default:
			return out
		}
	}
}
