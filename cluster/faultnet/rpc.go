package faultnet

import (
	"fmt"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
)

// call runs one RPC through the faults: admit it, send it, settle the
// answer. answer copies the reply into the event once it is known.
func (t *Transport) call(ev event.RPC, send func() error, answer func(*event.RPC)) error {
	if err := t.admit(&ev); err != nil {
		return err
	}
	return t.settle(&ev, send(), answer)
}

// admit applies the fault of the link to ev.To, waiting out a hold or a
// delay, and reports an RPC that will not be sent. It returns nil when the
// RPC may go. It never holds a lock while it waits.
func (t *Transport) admit(ev *event.RPC) error {
	released := false
	for {
		d := t.links.decide(t.id, ev.To, released, ev.Type == event.Heartbeat)
		switch d.verdict {
		case verdictCut:
			return t.refuse(ev, event.OutcomeCut, ErrCut)
		case verdictDrop:
			return t.refuse(ev, event.OutcomeDropped, ErrDropped)
		case verdictHold:
			ev.Outcome = event.OutcomeHeld
			t.publish(*ev)
			select {
			case why := <-d.w.ch:
				released = why == wakeReleased
				continue
			case <-t.closed:
				t.links.abandon(t.id, ev.To, d.w)
				return t.refuse(ev, event.OutcomeError, raft.ErrTransportShutdown)
			}
		}
		if d.delay > 0 {
			ev.Delay = d.delay
			timer := time.NewTimer(d.delay)
			select {
			case <-timer.C:
			case <-t.closed:
				timer.Stop()
				return t.refuse(ev, event.OutcomeError, raft.ErrTransportShutdown)
			}
			// The delay is the RPC's time on the wire; a cut meanwhile loses it.
			if t.links.Get(t.id, ev.To).Cut {
				return t.refuse(ev, event.OutcomeCut, ErrCut)
			}
		}
		return nil
	}
}

// settle reports the RPC once the inner transport is done with it. An answer
// that arrives after the link was cut is lost to the cut: the receiver acted
// on the request, but the sender sees a failure, as on a real network.
func (t *Transport) settle(ev *event.RPC, err error, answer func(*event.RPC)) error {
	if err != nil {
		ev.Outcome, ev.Err = event.OutcomeError, err.Error()
		t.publish(*ev)
		return err
	}
	if t.links.Get(t.id, ev.To).Cut {
		return t.refuse(ev, event.OutcomeCut, fmt.Errorf("answer lost: %w", ErrCut))
	}
	ev.Outcome = event.OutcomeDelivered
	answer(ev)
	t.publish(*ev)
	return nil
}

// refuse reports an RPC that failed in the fault layer and returns its error.
func (t *Transport) refuse(ev *event.RPC, o event.Outcome, cause error) error {
	err := fmt.Errorf("faultnet: %s->%s %s: %w", ev.From, ev.To, ev.Type, cause)
	ev.Outcome, ev.Err = o, cause.Error()
	t.publish(*ev)
	return err
}

func (t *Transport) publish(ev event.RPC) {
	t.bus.Publish(event.Event{Kind: event.KindRaftRPC, Member: t.id, RPC: ev})
}

// describeAppend fills in the event for an AppendEntries request, telling a
// heartbeat by the rule raft's receiving side uses for its fast path.
func describeAppend(from, to string, a *raft.AppendEntriesRequest) event.RPC {
	ev := event.RPC{Type: event.AppendEntries, From: from, To: to, Term: a.Term,
		LogIndex: a.PrevLogEntry, LogTerm: a.PrevLogTerm, Commit: a.LeaderCommitIndex, Entries: len(a.Entries)}
	if n := len(a.Entries); n > 0 {
		ev.First, ev.Last = a.Entries[0].Index, a.Entries[n-1].Index
	}
	if a.Term != 0 && len(a.Entries) == 0 && a.PrevLogEntry == 0 && a.PrevLogTerm == 0 && a.LeaderCommitIndex == 0 {
		ev.Type = event.Heartbeat
	}
	return ev
}
