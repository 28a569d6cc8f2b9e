package faultnet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
)

func logMsg(substr string) func(event.Event) bool {
	return func(ev event.Event) bool { return ev.Kind == event.KindLog && strings.Contains(ev.Log.Msg, substr) }
}

// Three members elect a leader and replicate over the wrapped transports;
// every kind of traffic shows up as events, pre-vote stays on, and raft's
// log goes to the bus.
func TestElectReplicateObserve(t *testing.T) {
	c := newCluster(t, 3, nil)
	l := c.waitLeader()
	c.apply(l, 3)
	c.waitCount(3, c.nodes...)

	for _, f := range c.others(l) {
		c.rec.waitEvent(t, patience, "heartbeats to "+f.id, rpc(l.id, f.id, event.Heartbeat, event.OutcomeDelivered))
		c.rec.waitEvent(t, patience, "appends with entries to "+f.id, func(ev event.Event) bool {
			return rpc(l.id, f.id, event.AppendEntries, event.OutcomeDelivered)(ev) && ev.RPC.Entries > 0 && ev.RPC.OK
		})
	}
	c.rec.waitEvent(t, patience, "a pipelined append", func(ev event.Event) bool {
		return rpc(l.id, "", event.AppendEntries, event.OutcomeDelivered)(ev) && ev.RPC.Pipelined
	})
	// The first election went through pre-vote, so the transport offers it.
	if c.rec.count(rpc("", "", event.PreVote, event.OutcomeDelivered)) == 0 {
		t.Error("no PreVote RPC in the first election")
	}
	if n := c.rec.count(logMsg("pre-vote is disabled")); n > 0 {
		t.Errorf("raft disabled pre-vote %d times", n)
	}
	if c.rec.count(logMsg("entering leader state")) == 0 {
		t.Error("raft's log lines do not reach the bus")
	}
}

// Isolating the leader: the other two elect a new one, the old one cannot
// commit, and healing brings it back as a follower that dropped the write it
// could not commit.
func TestIsolatedLeaderIsReplaced(t *testing.T) {
	c := newCluster(t, 3, nil)
	old := c.waitLeader()
	c.apply(old, 1)
	c.waitCount(1, c.nodes...)

	c.links.Isolate(old.id)
	doomed := old.raft.Apply([]byte("+1"), patience)
	rest := c.others(old)
	nl := c.waitLeader(rest...)
	if err := doomed.Error(); err == nil {
		t.Error("the isolated leader committed a write")
	}
	c.apply(nl, 2)
	c.waitCount(3, rest...)
	if n := old.fsm.count(); n != 1 {
		t.Errorf("isolated old leader applied %d commands, want 1", n)
	}
	c.rec.waitEvent(t, patience, "RPCs refused by the cut", rpc(old.id, "", "", event.OutcomeCut))

	c.links.HealAll()
	if got := c.waitLeader(); got != nl {
		t.Errorf("after healing %s leads, want %s", got.id, nl.id)
	}
	c.waitCount(3, c.nodes...)
	if old.raft.CurrentTerm() != nl.raft.CurrentTerm() {
		t.Errorf("terms differ after healing: %d vs %d", old.raft.CurrentTerm(), nl.raft.CurrentTerm())
	}
}

// A held link queues AppendEntries: the follower behind it gets nothing
// until the queue is released one RPC at a time.
func TestHeldLinkQueuesAppendEntries(t *testing.T) {
	c := newCluster(t, 3, nil)
	l := c.waitLeader()
	term := l.raft.CurrentTerm()
	f, g := c.others(l)[0], c.others(l)[1]

	c.links.Set(l.id, f.id, Fault{Hold: true})
	c.apply(l, 2) // commits with g alone
	c.waitCount(2, l, g)
	// Both of raft's senders to f, replication and heartbeat, are stuck.
	waitFor(t, patience, "two RPCs queued", func() bool { return c.links.Held(l.id, f.id) >= 2 })
	if n := f.fsm.count(); n != 0 {
		t.Fatalf("%s applied %d commands through a hold", f.id, n)
	}
	c.rec.waitEvent(t, patience, "a held append", rpc(l.id, f.id, event.AppendEntries, event.OutcomeHeld))
	c.rec.waitEvent(t, patience, "a held heartbeat", rpc(l.id, f.id, event.Heartbeat, event.OutcomeHeld))

	released := 0
	waitFor(t, patience, f.id+" to catch up by releases", func() bool {
		if c.links.Release(l.id, f.id) {
			released++
		}
		return f.fsm.count() == 2
	})
	if released == 0 {
		t.Error("caught up without a release")
	}
	if c.links.Get(l.id, f.id) != (Fault{Hold: true}) {
		t.Error("releasing lifted the hold")
	}
	c.links.Set(l.id, f.id, Fault{})
	waitFor(t, patience, "the queue to empty", func() bool { return c.links.Held(l.id, f.id) == 0 })
	c.apply(l, 1)
	c.waitCount(3, c.nodes...)
	if got := c.waitLeader(); got != l || l.raft.CurrentTerm() != term {
		t.Errorf("leadership changed: %s leads in term %d, was %s in %d", got.id, got.raft.CurrentTerm(), l.id, term)
	}
}

// A one-way cut leader->follower: the follower hears nothing, times out and
// campaigns, but pre-vote (which must survive the wrapper) keeps it from
// raising its term, so healing does not depose the leader.
func TestOneWayCutAndPreVote(t *testing.T) {
	c := newCluster(t, 3, nil)
	l := c.waitLeader()
	term := l.raft.CurrentTerm()
	f := c.others(l)[0]

	c.links.CutOneWay(l.id, f.id)
	mark := c.bus.Published() // the first election's votes came before this
	after := func(match func(event.Event) bool) func(event.Event) bool {
		return func(ev event.Event) bool { return ev.Seq > mark && match(ev) }
	}
	// What f sees: silence from l; its own RPCs reach l, and l's answers
	// reach f, because only l->f is cut.
	c.rec.waitEvent(t, patience, f.id+"'s pre-vote answered by "+l.id, after(rpc(f.id, l.id, event.PreVote, event.OutcomeDelivered)))
	c.apply(l, 1)
	c.waitCount(1, c.others(f)...)
	if n := c.rec.count(after(rpc(f.id, "", event.RequestVote, ""))); n > 0 {
		t.Errorf("%s sent %d RequestVotes: pre-vote is off", f.id, n)
	}
	if f.raft.CurrentTerm() != term {
		t.Errorf("%s raised its term to %d during the cut", f.id, f.raft.CurrentTerm())
	}
	if c.rec.count(after(func(ev event.Event) bool {
		return rpc(f.id, l.id, event.PreVote, event.OutcomeDelivered)(ev) && ev.RPC.OK
	})) > 0 {
		t.Errorf("%s granted a pre-vote while leading", l.id)
	}

	c.links.Set(l.id, f.id, Fault{})
	c.waitCount(1, f)
	if got := c.waitLeader(); got != l || l.raft.CurrentTerm() != term {
		t.Errorf("healing deposed the leader: %s leads in term %d, was %s in %d", got.id, got.raft.CurrentTerm(), l.id, term)
	}
}

// A lossy link drops some RPCs (with the table's seeded source) and raft
// gets through by retrying; a delayed link delivers late.
func TestLossyAndDelayedLinks(t *testing.T) {
	c := newCluster(t, 3, nil)
	l := c.waitLeader()
	f, g := c.others(l)[0], c.others(l)[1]

	// hashicorp/raft backs a failing follower off exponentially (10 ms
	// doubling, up to ~10 s after a dozen failures in a row), so at 50% loss
	// a rare streak stalls the follower for seconds; 30% keeps such streaks
	// out of reach while still dropping plenty.
	c.links.Set(l.id, f.id, Fault{Loss: 0.3})
	c.links.Set(l.id, g.id, Fault{Delay: 30 * time.Millisecond})
	// RPCs admitted before the faults may still be reporting. Each of raft's
	// two senders (heartbeats; appends, whose answers come back in order)
	// reports in order, so once both have reported a delayed RPC, everything
	// reported later was sent under the faults.
	for _, typ := range []event.RPCType{event.Heartbeat, event.AppendEntries} {
		c.rec.waitEvent(t, patience, "a delayed "+string(typ), func(ev event.Event) bool {
			return rpc(l.id, g.id, typ, event.OutcomeDelivered)(ev) && ev.RPC.Delay > 0
		})
	}
	mark := c.bus.Published()
	c.apply(l, 10)
	for _, nd := range c.nodes {
		// A lossy link's follower may still sit out a long backoff.
		waitFor(t, 3*patience, fmt.Sprintf("%s to apply 10 commands", nd.id), func() bool { return nd.fsm.count() == 10 })
	}
	after := func(match func(event.Event) bool) func(event.Event) bool {
		return func(ev event.Event) bool { return ev.Seq > mark && match(ev) }
	}
	dropped := c.rec.count(after(rpc(l.id, f.id, "", event.OutcomeDropped)))
	delivered := c.rec.count(after(rpc(l.id, f.id, "", event.OutcomeDelivered)))
	if dropped == 0 || delivered == 0 {
		t.Errorf("lossy link: %d dropped, %d delivered; want some of each", dropped, delivered)
	}
	delayed := c.rec.count(after(func(ev event.Event) bool {
		return rpc(l.id, g.id, "", event.OutcomeDelivered)(ev) && ev.RPC.Delay == 30*time.Millisecond
	}))
	undelayed := c.rec.count(after(func(ev event.Event) bool { return rpc(l.id, g.id, "", "")(ev) && ev.RPC.Delay == 0 }))
	if delayed == 0 || undelayed > 0 {
		t.Errorf("delayed link: %d RPCs delayed, %d not", delayed, undelayed)
	}
}

// InstallSnapshot and TimeoutNow go through the transport too: a follower
// cut off while the leader compacts its log is caught up by a snapshot, and
// a leadership transfer to it starts with TimeoutNow.
func TestSnapshotAndTransfer(t *testing.T) {
	c := newCluster(t, 3, func(conf *raft.Config) {
		conf.TrailingLogs = 1
		conf.SnapshotThreshold = 1 << 20 // only the snapshot the test asks for
		conf.SnapshotInterval = time.Hour
	})
	l := c.waitLeader()
	f := c.others(l)[0]
	c.links.Split([]string{f.id}, []string{c.others(f)[0].id, c.others(f)[1].id})
	c.apply(l, 5)
	if err := l.raft.Snapshot().Error(); err != nil {
		t.Fatal(err)
	}
	c.links.HealAll()
	c.rec.waitEvent(t, patience, "a snapshot installed on "+f.id, func(ev event.Event) bool {
		return rpc(l.id, f.id, event.InstallSnapshot, event.OutcomeDelivered)(ev) && ev.RPC.OK
	})
	c.waitCount(5, c.nodes...)

	if err := l.raft.LeadershipTransferToServer(raft.ServerID(f.id), f.tr.LocalAddr()).Error(); err != nil {
		t.Fatal(err)
	}
	c.rec.waitEvent(t, patience, "TimeoutNow to "+f.id, rpc(l.id, f.id, event.TimeoutNow, event.OutcomeDelivered))
	if got := c.waitLeader(); got != f {
		t.Errorf("after the transfer %s leads, want %s", got.id, f.id)
	}
}
