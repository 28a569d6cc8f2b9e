package source

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"coordtui/cluster/event"
)

// heldRPC is one message waiting on a held link in step mode.
type heldRPC struct {
	seq uint64 // the bus sequence of its "held" event: the order it was held in
	rpc event.RPC
}

// keepAlive reports whether r is routine traffic that step mode lets
// through by itself. Heartbeats pass the hold in the fault layer
// (Fault.PassHeartbeats: they alone keep the leader's lease, which raft
// 1.7.3 cannot stretch live); an AppendEntries carrying no entries (raft
// sends one to each follower every commit timeout) is released here as
// soon as it reaches the head of its link, since it shares the pipeline
// with real appends and must keep its place.
func keepAlive(r event.RPC) bool {
	return r.Type == event.Heartbeat || (r.Type == event.AppendEntries && r.Entries == 0)
}

// StepNote says what step mode does, for the screen.
func (n *Net) StepNote() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.step {
		return ""
	}
	wait := time.Duration(float64(n.election) * n.speed * StepStretch).Round(100 * time.Millisecond)
	return fmt.Sprintf("raft messages wait for you: n releases the next, N all. Heartbeats flow and election timeouts are ×%d (%v), so holding alone starts no election and the leader keeps its lease", StepStretch, wait)
}

// SetStep turns step mode on or off. On, every link holds its messages
// and raft's timeouts are stretched by StepStretch; keep-alives
// (heartbeats, empty appends) are let through as soon as they reach the
// head of their link, so the leader keeps its lease and followers keep
// hearing it. The links' bus is watched to learn what is held, in order.
// Off, the holds are lifted and everything held proceeds.
func (n *Net) SetStep(on bool) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if on == n.step {
		return nil
	}
	stretch := n.speed
	if on {
		stretch *= StepStretch
	}
	if err := n.setSpeed(stretch); err != nil {
		return err
	}
	n.step = on
	if on {
		n.startQueue()
	} else if n.sub != nil {
		n.sub.Close()
		<-n.done
		n.sub, n.done = nil, nil
		n.setQueues(nil)
	}
	n.sync()
	return nil
}

// startQueue starts collecting held RPCs. n.mu is held.
func (n *Net) startQueue() {
	n.setQueues(map[[2]string][]heldRPC{})
	n.sub = n.links.Bus().Subscribe(16384)
	n.done = make(chan struct{})
	go n.collect(n.sub, n.done)
}

// carryStep turns step mode on for a Net whose ensemble runs stretched for
// it already (a script's next ensemble, built at the speed its Env was
// given): the holds and the queue, without stretching twice.
func (n *Net) carryStep() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.step {
		return
	}
	n.step = true
	n.startQueue()
	n.sync()
}

func (n *Net) setQueues(q map[[2]string][]heldRPC) {
	n.hmu.Lock()
	defer n.hmu.Unlock()
	n.queues = q
}

// collect records held RPCs per link until sub is closed, and lets
// keep-alives through.
func (n *Net) collect(sub *event.Subscription, done chan struct{}) {
	defer close(done)
	for ev := range sub.C() {
		if ev.Kind != event.KindRaftRPC || ev.RPC.Outcome != event.OutcomeHeld {
			continue
		}
		k := [2]string{ev.RPC.From, ev.RPC.To}
		n.hmu.Lock()
		if n.queues != nil {
			n.queues[k] = append(n.queues[k], heldRPC{seq: ev.Seq, rpc: ev.RPC})
			n.passKeepAlives(k)
		}
		n.hmu.Unlock()
	}
}

// passKeepAlives releases the keep-alives at the head of link k. A link
// releases only its oldest message, so a keep-alive behind a message the
// user has not released yet waits with it. n.hmu must be held.
func (n *Net) passKeepAlives(k [2]string) {
	q := n.queues[k]
	for len(q) > 0 && keepAlive(q[0].rpc) {
		if !n.links.Release(k[0], k[1]) {
			q = nil // the table has nothing: what we tracked went away
			break
		}
		q = q[1:]
	}
	if len(q) == 0 {
		delete(n.queues, k)
	} else {
		n.queues[k] = q
	}
}

// ErrNothingHeld is ReleaseNext's answer when no message waits.
var ErrNothingHeld = errors.New("no raft message is waiting")

// ReleaseNext lets the message that has waited longest proceed and
// returns it.
func (n *Net) ReleaseNext() (event.RPC, error) {
	n.mu.Lock()
	on, sub := n.step, n.sub
	n.mu.Unlock()
	if !on {
		return event.RPC{}, errors.New("step mode is off")
	}
	n.hmu.Lock()
	defer n.hmu.Unlock()
	for {
		var best [2]string
		found := false
		for k, q := range n.queues {
			if len(q) > 0 && (!found || q[0].seq < n.queues[best][0].seq) {
				best, found = k, true
			}
		}
		if !found {
			break
		}
		q := n.queues[best]
		r := q[0].rpc
		n.queues[best] = q[1:]
		if n.links.Release(best[0], best[1]) {
			n.passKeepAlives(best)
			return r, nil
		}
		delete(n.queues, best) // stale: the message is gone
	}
	// Events may have been dropped: release from any link that holds one.
	// Only then: otherwise a message held a moment ago whose event is
	// still on its way would go out unnamed (and it may be a keep-alive).
	if sub == nil || sub.Dropped() == 0 {
		return event.RPC{}, ErrNothingHeld
	}
	for _, l := range n.links.Matrix().Links {
		if l.Held > 0 && n.links.Release(l.From, l.To) {
			return event.RPC{From: l.From, To: l.To}, nil
		}
	}
	return event.RPC{}, ErrNothingHeld
}

// Queue lists the held messages in the order they were held.
func (n *Net) Queue() []event.RPC {
	n.hmu.Lock()
	var all []heldRPC
	for _, q := range n.queues {
		all = append(all, q...)
	}
	n.hmu.Unlock()
	slices.SortFunc(all, func(a, b heldRPC) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]event.RPC, len(all))
	for i, h := range all {
		out[i] = h.rpc
	}
	return out
}

// ReleaseAll lets every held message proceed; the holds stay.
func (n *Net) ReleaseAll() int {
	n.hmu.Lock()
	defer n.hmu.Unlock()
	clear(n.queues)
	return n.links.ReleaseAll()
}

// Close stops watching the bus.
func (n *Net) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.sub != nil {
		n.sub.Close()
		<-n.done
		n.sub = nil
	}
}
