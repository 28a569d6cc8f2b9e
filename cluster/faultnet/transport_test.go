package faultnet

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// Each kind of RPC under each fault, as the events describe it and as raft
// sees it (the error).
func TestRPCOutcomes(t *testing.T) {
	p := newPair(t, Config{})
	to, addr := raft.ServerID("n2"), p.b.LocalAddr()
	appendReq := &raft.AppendEntriesRequest{Term: 3, PrevLogEntry: 4, PrevLogTerm: 3, LeaderCommitIndex: 4,
		Entries: []*raft.Log{{Index: 5, Term: 3}, {Index: 6, Term: 3}}}
	sendAppend := func() error { return p.a.AppendEntries(to, addr, appendReq, &raft.AppendEntriesResponse{}) }
	sendHeartbeat := func() error {
		return p.a.AppendEntries(to, addr, &raft.AppendEntriesRequest{Term: 3, RPCHeader: raft.RPCHeader{Addr: []byte("x")}},
			&raft.AppendEntriesResponse{})
	}
	sendVote := func() error {
		return p.a.RequestVote(to, addr, &raft.RequestVoteRequest{Term: 3, LastLogIndex: 6, LastLogTerm: 3}, &raft.RequestVoteResponse{})
	}
	sendPreVote := func() error {
		return p.a.RequestPreVote(to, addr, &raft.RequestPreVoteRequest{Term: 3, LastLogIndex: 6, LastLogTerm: 3},
			&raft.RequestPreVoteResponse{})
	}
	sendSnapshot := func() error {
		return p.a.InstallSnapshot(to, addr, &raft.InstallSnapshotRequest{Term: 3, LastLogIndex: 9, LastLogTerm: 3, Size: 5},
			&raft.InstallSnapshotResponse{}, bytes.NewReader([]byte("state")))
	}
	sendTimeoutNow := func() error { return p.a.TimeoutNow(to, addr, &raft.TimeoutNowRequest{}, &raft.TimeoutNowResponse{}) }

	tests := []struct {
		name    string
		fault   Fault
		reverse Fault // on n2->n1
		send    func() error
		wantErr error
		want    string
	}{
		{"append", Fault{}, Fault{}, sendAppend, nil, "n1->n2 AppendEntries T3 idx 5..6 commit=4 => ok"},
		{"heartbeat", Fault{}, Fault{}, sendHeartbeat, nil, "n1->n2 Heartbeat T3 => ok"},
		{"vote", Fault{}, Fault{}, sendVote, nil, "n1->n2 RequestVote T3 log=6/3 => granted"},
		{"snapshot", Fault{}, Fault{}, sendSnapshot, nil, "n1->n2 InstallSnapshot T3 snap=9/3 size=5 => ok"},
		{"timeout now", Fault{}, Fault{}, sendTimeoutNow, nil, "n1->n2 TimeoutNow => ok"},
		{"cut append", Fault{Cut: true}, Fault{}, sendAppend, ErrCut, "n1->n2 AppendEntries T3 idx 5..6 commit=4 => cut"},
		{"cut heartbeat", Fault{Cut: true}, Fault{}, sendHeartbeat, ErrCut, "n1->n2 Heartbeat T3 => cut"},
		{"cut snapshot", Fault{Cut: true}, Fault{}, sendSnapshot, ErrCut, "n1->n2 InstallSnapshot T3 snap=9/3 size=5 => cut"},
		{"cut timeout now", Fault{Cut: true}, Fault{}, sendTimeoutNow, ErrCut, "n1->n2 TimeoutNow => cut"},
		{"lost vote", Fault{Loss: 1}, Fault{}, sendVote, ErrDropped, "n1->n2 RequestVote T3 log=6/3 => dropped"},
		{"delayed pre-vote", Fault{Delay: 30 * time.Millisecond}, Fault{}, sendPreVote, nil,
			"n1->n2 PreVote T3 log=6/3 +30ms => granted"},
		// A one-way cut the other way does not touch n1's RPCs or the answers.
		{"reverse cut", Fault{}, Fault{Cut: true}, sendAppend, nil, "n1->n2 AppendEntries T3 idx 5..6 commit=4 => ok"},
	}
	for _, tt := range tests {
		p.links.HealAll()
		p.links.Set("n1", "n2", tt.fault)
		p.links.Set("n2", "n1", tt.reverse)
		p.rpcBodies()
		start := time.Now()
		err := tt.send()
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.wantErr)
		}
		if took := time.Since(start); took < tt.fault.Delay {
			t.Errorf("%s: took %v, less than the %v delay", tt.name, took, tt.fault.Delay)
		}
		if got := strings.Join(p.rpcBodies(), "\n"); got != tt.want {
			t.Errorf("%s: events\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// Held RPCs wait in order; Release lets them through one by one; lifting the
// hold lets the rest through.
func TestHeldRPCsReleaseInOrder(t *testing.T) {
	p := newPair(t, Config{})
	p.links.Set("n1", "n2", Fault{Hold: true})
	errs := make(chan error, 3)
	for term := uint64(1); term <= 3; term++ {
		go func() {
			errs <- p.a.RequestVote("n2", p.b.LocalAddr(), &raft.RequestVoteRequest{Term: term}, &raft.RequestVoteResponse{})
		}()
		waitFor(t, 5*time.Second, "the RPC to queue", func() bool { return p.links.Held("n1", "n2") == int(term) })
	}
	select {
	case r := <-p.received:
		t.Fatalf("n2 received %+v through a hold", r.Command)
	default:
	}
	for want := uint64(1); want <= 2; want++ {
		if !p.links.Release("n1", "n2") {
			t.Fatal("nothing to release")
		}
		if got := receivedTerm(t, p); got != want {
			t.Errorf("released term %d, want %d", got, want)
		}
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	p.links.Set("n1", "n2", Fault{})
	if got := receivedTerm(t, p); got != 3 {
		t.Errorf("after lifting the hold received term %d, want 3", got)
	}
	if err := <-errs; err != nil {
		t.Error(err)
	}
	want := "n1->n2 RequestVote T1 log=0/0 => held\nn1->n2 RequestVote T2 log=0/0 => held\n" +
		"n1->n2 RequestVote T3 log=0/0 => held\nn1->n2 RequestVote T1 log=0/0 => granted\n" +
		"n1->n2 RequestVote T2 log=0/0 => granted\nn1->n2 RequestVote T3 log=0/0 => granted"
	if got := strings.Join(p.rpcBodies(), "\n"); got != want {
		t.Errorf("events\n%s\nwant\n%s", got, want)
	}
}

func receivedTerm(t *testing.T, p *pair) uint64 {
	t.Helper()
	select {
	case r := <-p.received:
		return r.Command.(*raft.RequestVoteRequest).Term
	case <-time.After(5 * time.Second):
		t.Fatal("n2 received nothing")
		return 0
	}
}

// Closing a transport fails its RPCs waiting on a hold or a delay, so that
// raft.Shutdown, which waits for raft's goroutines, cannot hang on them.
func TestCloseFailsWaitingRPCs(t *testing.T) {
	for _, f := range []Fault{{Hold: true}, {Delay: time.Hour}} {
		p := newPair(t, Config{})
		p.links.Set("n1", "n2", f)
		errc := make(chan error, 1)
		go func() {
			errc <- p.a.AppendEntries("n2", p.b.LocalAddr(), &raft.AppendEntriesRequest{Term: 1}, &raft.AppendEntriesResponse{})
		}()
		// A delayed RPC cannot be seen waiting; whether Close comes before or
		// during its delay, it must fail at once rather than wait an hour.
		if f.Hold {
			waitFor(t, 5*time.Second, "the RPC to queue", func() bool { return p.links.Held("n1", "n2") == 1 })
		}
		p.a.Close()
		select {
		case err := <-errc:
			if !errors.Is(err, raft.ErrTransportShutdown) {
				t.Errorf("%v: error %v, want transport shutdown", f, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%v: RPC still waiting after Close", f)
		}
		if n := p.links.Held("n1", "n2"); n != 0 {
			t.Errorf("%v: %d RPCs still queued after Close", f, n)
		}
	}
}

// A link cut while the RPC is at the receiver loses the answer: the receiver
// acted on it, the sender sees a failure.
func TestCutInFlightLosesAnswer(t *testing.T) {
	p := newPair(t, Config{})
	p.setOnRPC(func(any) { p.links.CutOneWay("n1", "n2") })
	err := p.a.AppendEntries("n2", p.b.LocalAddr(), &raft.AppendEntriesRequest{Term: 2, LeaderCommitIndex: 1},
		&raft.AppendEntriesResponse{})
	if !errors.Is(err, ErrCut) {
		t.Errorf("error %v, want a cut", err)
	}
	if len(p.received) != 1 {
		t.Errorf("n2 received %d RPCs, want 1", len(p.received))
	}
	if got, want := strings.Join(p.rpcBodies(), "\n"), "n1->n2 AppendEntries T2 commit=1 => cut"; got != want {
		t.Errorf("events %q, want %q", got, want)
	}
}

// The cost of the fault layer on a healthy link, against raft's transport
// alone, over loopback.
func BenchmarkAppendEntries(b *testing.B) {
	p := newPair(b, Config{})
	go func() { // n2's record of what it received is not needed here
		for {
			select {
			case <-p.received:
			case <-p.done:
				return
			}
		}
	}()
	req := &raft.AppendEntriesRequest{Term: 2, PrevLogEntry: 1, PrevLogTerm: 2, LeaderCommitIndex: 1,
		Entries: []*raft.Log{{Index: 2, Term: 2, Data: make([]byte, 100)}}}
	for _, bc := range []struct {
		name string
		tr   raft.Transport
	}{{"raw", p.a.inner}, {"faultnet", p.a}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := bc.tr.AppendEntries("n2", p.b.LocalAddr(), req, &raft.AppendEntriesResponse{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
