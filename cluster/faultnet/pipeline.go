package faultnet

import (
	"fmt"
	"sort"
	"sync"

	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
)

// AppendEntriesPipeline implements raft.Transport by wrapping raft's own
// pipeline, so that pipelined appends meet the same faults as every other
// RPC: each send is admitted like a plain AppendEntries (cut, loss and
// delay fail or slow it, a hold queues it), and each answer is reported, or
// lost if the link was cut while it was in flight.
//
// Wrapping, rather than refusing pipelining while faults are active, keeps
// the ensemble's healthy path the one a real deployment runs, and a fault
// set while a pipeline is open takes effect on its next send instead of
// waiting for raft to leave pipeline mode. raft abandons a pipeline on the
// first failed send or unsuccessful answer and falls back to plain
// AppendEntries, which is what it does on a real network error too. A
// delayed pipelined send still blocks the next one, so a delay does not
// overlap in-flight appends.
//
// With Config.MaxRPCsInFlight 1 this returns raft's
// ErrPipelineReplicationNotSupported, and raft replicates without a pipeline.
func (t *Transport) AppendEntriesPipeline(id raft.ServerID, target raft.ServerAddress) (raft.AppendPipeline, error) {
	if t.links.Get(t.id, string(id)).Cut {
		return nil, fmt.Errorf("faultnet: %s->%s pipeline: %w", t.id, id, ErrCut)
	}
	inner, err := t.inner.AppendEntriesPipeline(id, target)
	if err != nil {
		return nil, err
	}
	p := &pipeline{
		t:     t,
		to:    string(id),
		inner: inner,
		out:   make(chan raft.AppendFuture),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
		sent:  make(map[*raft.AppendEntriesRequest]event.RPC),
	}
	go p.forward()
	return p, nil
}

// pipeline is a raft.AppendPipeline through the faults. Its forward
// goroutine is owned by the pipeline: Close stops it and waits for it.
type pipeline struct {
	t     *Transport
	to    string
	inner raft.AppendPipeline
	out   chan raft.AppendFuture

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error

	mu   sync.Mutex
	sent map[*raft.AppendEntriesRequest]event.RPC // the events of requests in flight
}

// AppendEntries implements raft.AppendPipeline. It may block on a hold or a
// delay of the link, like a full send buffer would.
func (p *pipeline) AppendEntries(args *raft.AppendEntriesRequest, resp *raft.AppendEntriesResponse) (raft.AppendFuture, error) {
	ev := describeAppend(p.t.id, p.to, args)
	ev.Pipelined = true
	if err := p.t.admit(&ev); err != nil {
		return nil, err
	}
	// Recorded before sending: the answer may be forwarded before the inner
	// AppendEntries returns.
	p.mu.Lock()
	if p.sent == nil {
		p.mu.Unlock()
		return nil, p.t.settle(&ev, raft.ErrPipelineShutdown, nil)
	}
	p.sent[args] = ev
	p.mu.Unlock()
	f, err := p.inner.AppendEntries(args, resp)
	if err != nil {
		p.mu.Lock()
		delete(p.sent, args)
		p.mu.Unlock()
		return nil, p.t.settle(&ev, err, nil)
	}
	return f, nil
}

// Consumer implements raft.AppendPipeline.
func (p *pipeline) Consumer() <-chan raft.AppendFuture { return p.out }

// Close implements raft.AppendPipeline. It closes raft's pipeline, waits
// for the forwarding goroutine to stop and reports the appends that were
// still unanswered as failed, so that every RPC attempted is reported.
func (p *pipeline) Close() error {
	p.closeOnce.Do(func() {
		close(p.stop)
		p.closeErr = p.inner.Close()
		<-p.done
		p.mu.Lock()
		unanswered := make([]event.RPC, 0, len(p.sent))
		for _, ev := range p.sent {
			unanswered = append(unanswered, ev)
		}
		p.sent = nil
		p.mu.Unlock()
		sort.Slice(unanswered, func(i, j int) bool { return unanswered[i].LogIndex < unanswered[j].LogIndex })
		for _, ev := range unanswered {
			p.t.settle(&ev, raft.ErrPipelineShutdown, nil)
		}
	})
	return p.closeErr
}

// forward passes answered futures from raft's pipeline to raft, reporting
// each and failing those whose answer a cut link lost.
func (p *pipeline) forward() {
	defer close(p.done)
	for {
		select {
		case f := <-p.inner.Consumer():
			out := p.settle(f)
			select {
			case p.out <- out:
			case <-p.stop:
				return
			}
		case <-p.stop:
			return
		}
	}
}

func (p *pipeline) settle(f raft.AppendFuture) raft.AppendFuture {
	req, resp := f.Request(), f.Response()
	p.mu.Lock()
	ev, ok := p.sent[req]
	delete(p.sent, req)
	p.mu.Unlock()
	if !ok {
		ev = describeAppend(p.t.id, p.to, req)
		ev.Pipelined = true
	}
	sendErr := f.Error()
	err := p.t.settle(&ev, sendErr, func(ev *event.RPC) { ev.OK, ev.ReplyTerm = resp.Success, resp.Term })
	if err == nil || sendErr != nil {
		return f
	}
	// raft's pipeline reads the response, not the error: an empty, failed
	// one makes it abandon the pipeline as after a network error.
	*resp = raft.AppendEntriesResponse{}
	return lostFuture{f, err}
}

// lostFuture is an answered future whose answer a cut link lost.
type lostFuture struct {
	raft.AppendFuture
	err error
}

func (l lostFuture) Error() error { return l.err }
