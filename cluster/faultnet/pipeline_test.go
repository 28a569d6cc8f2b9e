package faultnet

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func nextFuture(t *testing.T, pl raft.AppendPipeline) raft.AppendFuture {
	t.Helper()
	select {
	case f := <-pl.Consumer():
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("no answer on the pipeline")
		return nil
	}
}

// Pipelined appends meet the same faults as plain ones.
func TestPipelinePassesFaults(t *testing.T) {
	p := newPair(t, Config{})
	pl, err := p.a.AppendEntriesPipeline("n2", p.b.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	send := func(index uint64) (raft.AppendFuture, error) {
		return pl.AppendEntries(&raft.AppendEntriesRequest{Term: 2, PrevLogEntry: index - 1, PrevLogTerm: 2,
			LeaderCommitIndex: index - 1, Entries: []*raft.Log{{Index: index, Term: 2}}}, &raft.AppendEntriesResponse{})
	}

	// Healthy: delivered and answered.
	if _, err := send(1); err != nil {
		t.Fatal(err)
	}
	if f := nextFuture(t, pl); f.Error() != nil || !f.Response().Success {
		t.Errorf("healthy append: err %v, success %v", f.Error(), f.Response().Success)
	}

	// Held: the send waits until released.
	p.links.Set("n1", "n2", Fault{Hold: true})
	sent := make(chan error, 1)
	go func() { _, err := send(2); sent <- err }()
	waitFor(t, 5*time.Second, "the append to queue", func() bool { return p.links.Held("n1", "n2") == 1 })
	if len(p.received) != 1 {
		t.Fatalf("n2 received %d appends, want 1 before the release", len(p.received))
	}
	p.links.Release("n1", "n2")
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if f := nextFuture(t, pl); f.Error() != nil || f.Request().Entries[0].Index != 2 {
		t.Errorf("released append: err %v", f.Error())
	}

	// Cut: the send fails, as raft's pipeline does on a network error.
	p.links.Set("n1", "n2", Fault{Cut: true})
	if _, err := send(3); !errors.Is(err, ErrCut) {
		t.Errorf("cut pipelined append: error %v", err)
	}

	// Cut while in flight: the future fails and carries no success.
	p.links.Set("n1", "n2", Fault{})
	p.setOnRPC(func(any) { p.links.CutOneWay("n1", "n2") })
	if _, err := send(3); err != nil {
		t.Fatal(err)
	}
	if f := nextFuture(t, pl); !errors.Is(f.Error(), ErrCut) || f.Response().Success {
		t.Errorf("answer lost in flight: err %v, success %v", f.Error(), f.Response().Success)
	}

	want := `n1->n2 AppendEntries T2 idx 1 commit=0 => ok
n1->n2 AppendEntries T2 idx 2 commit=1 => held
n1->n2 AppendEntries T2 idx 2 commit=1 => ok
n1->n2 AppendEntries T2 idx 3 commit=2 => cut
n1->n2 AppendEntries T2 idx 3 commit=2 => cut`
	if got := strings.Join(p.rpcBodies(), "\n"); got != want {
		t.Errorf("events\n%s\nwant\n%s", got, want)
	}

	// A pipeline is not even opened over a cut link.
	if _, err := p.a.AppendEntriesPipeline("n2", p.b.LocalAddr()); !errors.Is(err, ErrCut) {
		t.Errorf("pipeline over a cut link: error %v", err)
	}
	if err := pl.Close(); err != nil {
		t.Error(err)
	}
	pl.Close() // idempotent
}

func TestPipelineDisabledByConfig(t *testing.T) {
	p := newPair(t, Config{MaxRPCsInFlight: 1})
	if _, err := p.a.AppendEntriesPipeline("n2", p.b.LocalAddr()); !errors.Is(err, raft.ErrPipelineReplicationNotSupported) {
		t.Errorf("error %v, want raft's ErrPipelineReplicationNotSupported", err)
	}
}

// Appends still unanswered when raft closes the pipeline are reported as
// failed rather than vanishing from the stream.
func TestPipelineCloseReportsUnanswered(t *testing.T) {
	p := newPair(t, Config{})
	arrived, gate := make(chan struct{}), make(chan struct{})
	p.setOnRPC(func(any) { close(arrived); <-gate })
	defer close(gate)
	pl, err := p.a.AppendEntriesPipeline("n2", p.b.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	req := &raft.AppendEntriesRequest{Term: 2, PrevLogEntry: 6, PrevLogTerm: 2, LeaderCommitIndex: 6,
		Entries: []*raft.Log{{Index: 7, Term: 2}}}
	if _, err := pl.AppendEntries(req, &raft.AppendEntriesResponse{}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the append did not arrive")
	}
	pl.Close()
	if _, err := pl.AppendEntries(req, &raft.AppendEntriesResponse{}); !errors.Is(err, raft.ErrPipelineShutdown) {
		t.Errorf("append after close: %v", err)
	}
	want := "n1->n2 AppendEntries T2 idx 7 commit=6 => error: append pipeline closed\n" +
		"n1->n2 AppendEntries T2 idx 7 commit=6 => error: append pipeline closed"
	if got := strings.Join(p.rpcBodies(), "\n"); got != want {
		t.Errorf("events\n%s\nwant\n%s", got, want)
	}
}
