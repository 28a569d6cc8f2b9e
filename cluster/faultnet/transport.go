package faultnet

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
)

// Transport is one member's raft.Transport: raft's TCP NetworkTransport with
// every outgoing RPC passed through the shared Links table first and
// reported on the bus.
//
// It implements raft.Transport, raft.WithPreVote (raft 1.7.3 turns pre-vote
// off for a transport without it) and raft.WithClose. It does not implement
// raft.WithPeers: raft never asks for it, and NetworkTransport has no
// peer wiring to forward to. Pipelined appends pass the faults too; see
// AppendEntriesPipeline.
//
// Incoming RPCs are not filtered here: the sender's Transport already
// applied the fault of the link they came over. A member whose peers run
// in other processes (WrapStandalone) refuses those that came over a cut
// link too, since nothing else will.
type Transport struct {
	id    string
	links *Links
	bus   *event.Bus
	inner *raft.NetworkTransport
	in    chan raft.RPC // standalone: the RPCs that passed the inbound cut check

	closed    chan struct{}
	closeOnce sync.Once
}

var (
	_ raft.Transport   = (*Transport)(nil)
	_ raft.WithPreVote = (*Transport)(nil)
	_ raft.WithClose   = (*Transport)(nil)
)

// Config describes the TCP transport Listen builds.
type Config struct {
	ID   string // the member's raft ServerID, also its name in Links and events
	Bind string // address to listen on, e.g. "127.0.0.1:0"; must not be unspecified (0.0.0.0)

	MaxPool         int           // pooled connections per peer; 0 means 3
	Timeout         time.Duration // raft's I/O deadline per RPC; 0 means 10s
	MaxRPCsInFlight int           // raft's pipelining depth; 0 means raft's default, 1 disables pipelining

	// Logger receives the transport's log lines. Nil means a Logger that
	// publishes them on the Links' bus.
	Logger hclog.Logger
}

// Listen starts a TCP NetworkTransport on cfg.Bind and wraps it.
func Listen(links *Links, cfg Config) (*Transport, error) {
	if cfg.ID == "" {
		return nil, errors.New("faultnet: listen: empty member id")
	}
	if cfg.MaxPool == 0 {
		cfg.MaxPool = 3
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = NewLogger(links.Bus(), cfg.ID, LoggerOptions{})
	}
	inner, err := raft.NewTCPTransportWithConfig(cfg.Bind, nil, &raft.NetworkTransportConfig{
		Logger:          cfg.Logger.Named("raft-net"),
		MaxPool:         cfg.MaxPool,
		MaxRPCsInFlight: cfg.MaxRPCsInFlight,
		Timeout:         cfg.Timeout,
	})
	if err != nil {
		return nil, fmt.Errorf("faultnet: listen %s for %s: %w", cfg.Bind, cfg.ID, err)
	}
	return Wrap(links, cfg.ID, inner), nil
}

// Wrap puts an existing NetworkTransport of member id behind links. The
// Transport owns inner from then on: closing one closes the other.
func Wrap(links *Links, id string, inner *raft.NetworkTransport) *Transport {
	links.AddMember(id)
	return &Transport{id: id, links: links, bus: links.Bus(), inner: inner, closed: make(chan struct{})}
}

// WrapStandalone is Wrap for a member whose peers run in other processes
// (`coordtui server`), each with a fault table of its own: a cut on a link
// into this member is enforced here, by answering the RPCs that come over
// it with ErrCut, because the sender's table does not know of it. Delays,
// loss and holds apply to what this member sends only.
func WrapStandalone(links *Links, id string, inner *raft.NetworkTransport) *Transport {
	t := Wrap(links, id, inner)
	t.in = make(chan raft.RPC)
	go t.filterInbound()
	return t
}

// ID is the member this transport sends for.
func (t *Transport) ID() string { return t.id }

// Consumer implements raft.Transport.
func (t *Transport) Consumer() <-chan raft.RPC {
	if t.in != nil {
		return t.in
	}
	return t.inner.Consumer()
}

func (t *Transport) filterInbound() {
	for {
		select {
		case rpc := <-t.inner.Consumer():
			if t.refuseInbound(rpc) {
				continue
			}
			select {
			case t.in <- rpc:
			case <-t.closed:
				rpc.Respond(nil, raft.ErrTransportShutdown)
				return
			}
		case <-t.closed:
			return
		}
	}
}

// refuseInbound answers an RPC that came over a cut link with ErrCut and
// reports it, as the sender would have.
func (t *Transport) refuseInbound(rpc raft.RPC) bool {
	h, ok := rpc.Command.(raft.WithRPCHeader)
	if !ok {
		return false
	}
	from := string(h.GetRPCHeader().ID)
	if from == "" || !t.links.Get(from, t.id).Cut {
		return false
	}
	ev := describeInbound(from, t.id, rpc.Command)
	ev.Outcome = event.OutcomeCut
	t.publish(ev)
	rpc.Respond(nil, fmt.Errorf("faultnet: %s->%s: %w", from, t.id, ErrCut))
	return true
}

func describeInbound(from, to string, cmd any) event.RPC {
	switch c := cmd.(type) {
	case *raft.AppendEntriesRequest:
		return describeAppend(from, to, c)
	case *raft.RequestVoteRequest:
		return event.RPC{Type: event.RequestVote, From: from, To: to, Term: c.Term}
	case *raft.RequestPreVoteRequest:
		return event.RPC{Type: event.PreVote, From: from, To: to, Term: c.Term}
	case *raft.InstallSnapshotRequest:
		return event.RPC{Type: event.InstallSnapshot, From: from, To: to, Term: c.Term}
	}
	return event.RPC{Type: event.TimeoutNow, From: from, To: to}
}

// LocalAddr implements raft.Transport.
func (t *Transport) LocalAddr() raft.ServerAddress { return t.inner.LocalAddr() }

// EncodePeer implements raft.Transport.
func (t *Transport) EncodePeer(id raft.ServerID, addr raft.ServerAddress) []byte {
	return t.inner.EncodePeer(id, addr)
}

// DecodePeer implements raft.Transport.
func (t *Transport) DecodePeer(b []byte) raft.ServerAddress { return t.inner.DecodePeer(b) }

// SetHeartbeatHandler implements raft.Transport. It hands raft's fast path
// to the inner transport, which recognises incoming heartbeats; outgoing
// heartbeats are ordinary AppendEntries calls and meet the faults there.
func (t *Transport) SetHeartbeatHandler(cb func(rpc raft.RPC)) {
	if t.in == nil || cb == nil {
		t.inner.SetHeartbeatHandler(cb)
		return
	}
	t.inner.SetHeartbeatHandler(func(rpc raft.RPC) {
		if !t.refuseInbound(rpc) {
			cb(rpc)
		}
	})
}

// AppendEntries implements raft.Transport. Raft's heartbeats come this way
// too and are reported as event.Heartbeat.
func (t *Transport) AppendEntries(id raft.ServerID, target raft.ServerAddress, args *raft.AppendEntriesRequest, resp *raft.AppendEntriesResponse) error {
	return t.call(describeAppend(t.id, string(id), args),
		func() error { return t.inner.AppendEntries(id, target, args, resp) },
		func(ev *event.RPC) { ev.OK, ev.ReplyTerm = resp.Success, resp.Term })
}

// RequestVote implements raft.Transport.
func (t *Transport) RequestVote(id raft.ServerID, target raft.ServerAddress, args *raft.RequestVoteRequest, resp *raft.RequestVoteResponse) error {
	ev := event.RPC{Type: event.RequestVote, From: t.id, To: string(id), Term: args.Term,
		LogIndex: args.LastLogIndex, LogTerm: args.LastLogTerm}
	return t.call(ev,
		func() error { return t.inner.RequestVote(id, target, args, resp) },
		func(ev *event.RPC) { ev.OK, ev.ReplyTerm = resp.Granted, resp.Term })
}

// RequestPreVote implements raft.WithPreVote.
func (t *Transport) RequestPreVote(id raft.ServerID, target raft.ServerAddress, args *raft.RequestPreVoteRequest, resp *raft.RequestPreVoteResponse) error {
	ev := event.RPC{Type: event.PreVote, From: t.id, To: string(id), Term: args.Term,
		LogIndex: args.LastLogIndex, LogTerm: args.LastLogTerm}
	return t.call(ev,
		func() error { return t.inner.RequestPreVote(id, target, args, resp) },
		func(ev *event.RPC) { ev.OK, ev.ReplyTerm = resp.Granted, resp.Term })
}

// InstallSnapshot implements raft.Transport. A refused snapshot is not read
// from data; raft closes it.
func (t *Transport) InstallSnapshot(id raft.ServerID, target raft.ServerAddress, args *raft.InstallSnapshotRequest, resp *raft.InstallSnapshotResponse, data io.Reader) error {
	ev := event.RPC{Type: event.InstallSnapshot, From: t.id, To: string(id), Term: args.Term,
		LogIndex: args.LastLogIndex, LogTerm: args.LastLogTerm, Size: args.Size}
	return t.call(ev,
		func() error { return t.inner.InstallSnapshot(id, target, args, resp, data) },
		func(ev *event.RPC) { ev.OK, ev.ReplyTerm = resp.Success, resp.Term })
}

// TimeoutNow implements raft.Transport.
func (t *Transport) TimeoutNow(id raft.ServerID, target raft.ServerAddress, args *raft.TimeoutNowRequest, resp *raft.TimeoutNowResponse) error {
	ev := event.RPC{Type: event.TimeoutNow, From: t.id, To: string(id)}
	return t.call(ev,
		func() error { return t.inner.TimeoutNow(id, target, args, resp) },
		func(ev *event.RPC) { ev.OK = true })
}

// Close implements raft.WithClose. It fails every RPC of this member that is
// waiting on a hold or a delay, drops the pooled connections and closes the
// listener. It is idempotent.
//
// raft.Shutdown waits for raft's replication goroutines before it closes the
// transport, and an RPC waits on a hold until released. So to stop a member
// while a link from it may be held (a crash, in the console), call Close
// first or concurrently with Shutdown.
func (t *Transport) Close() error {
	t.closeOnce.Do(func() {
		close(t.closed)
		t.inner.CloseStreams()
	})
	return t.inner.Close()
}
