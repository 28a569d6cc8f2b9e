package faultnet

import (
	"fmt"
	"time"
)

// verdict is what the fault table decides for one RPC about to be sent.
type verdict int

const (
	verdictSend verdict = iota // send it, after delay
	verdictCut                 // fail it: the link is cut
	verdictDrop                // fail it: a lossy link lost it
	verdictHold                // wait on the waiter, then ask again
)

// wake says why a held RPC may go on.
type wake int

const (
	wakeReleased wake = iota + 1 // Release or ReleaseAll: go on without asking the hold again
	wakeLifted                   // the hold was lifted: ask the table again
)

// waiter is one RPC queued on a held link.
type waiter struct {
	ch chan wake // buffered, so waking never blocks the table
}

// decision is the outcome of decide.
type decision struct {
	verdict verdict
	delay   time.Duration
	w       *waiter // set for verdictHold
}

// decide applies the fault on from->to to one RPC. released says the RPC
// was already let through a hold by Release, so the hold is not applied a
// second time; heartbeat says it is one of raft's heartbeats. Checking the fault and joining the hold queue happen under
// one lock, so an RPC can never join the queue of a hold that was just
// lifted and wait forever.
func (l *Links) decide(from, to string, released, heartbeat bool) decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := link{from, to}
	f := l.faults[k]
	switch {
	case f.Cut:
		return decision{verdict: verdictCut}
	case f.Hold && !released && !(heartbeat && f.PassHeartbeats):
		w := &waiter{ch: make(chan wake, 1)}
		l.held[k] = append(l.held[k], w)
		return decision{verdict: verdictHold, w: w}
	case f.Loss > 0 && l.rng.Float64() < f.Loss:
		return decision{verdict: verdictDrop}
	}
	return decision{verdict: verdictSend, delay: f.Delay}
}

// Release lets the oldest RPC held on from->to proceed. The link stays held
// for later RPCs. It reports whether an RPC was waiting.
func (l *Links) Release(from, to string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := link{from, to}
	q := l.held[k]
	if len(q) == 0 {
		return false
	}
	q[0].ch <- wakeReleased
	l.dequeue(k, 0)
	l.publish(k, fmt.Sprintf("released 1, %d still held", len(l.held[k])))
	return true
}

// ReleaseAll lets every RPC held on any link proceed; the holds stay for
// later RPCs. It returns how many were released.
func (l *Links) ReleaseAll() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]link, 0, len(l.held))
	for k := range l.held {
		keys = append(keys, k)
	}
	sortLinks(keys)
	n := 0
	for _, k := range keys {
		m := l.wakeAll(k, wakeReleased)
		if m > 0 {
			l.publish(k, fmt.Sprintf("released %d, 0 still held", m))
		}
		n += m
	}
	return n
}

// Held is the number of RPCs queued on from->to.
func (l *Links) Held(from, to string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.held[link{from, to}])
}

// wakeAll must be called with l.mu held.
func (l *Links) wakeAll(k link, why wake) int {
	q := l.held[k]
	for _, w := range q {
		w.ch <- why
	}
	delete(l.held, k)
	return len(q)
}

// abandon takes w out of its queue when its RPC gives up waiting (the
// transport closed). If a release already took it out, there is nothing to do.
func (l *Links) abandon(from, to string, w *waiter) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := link{from, to}
	for i, x := range l.held[k] {
		if x == w {
			l.dequeue(k, i)
			return
		}
	}
}

// dequeue must be called with l.mu held.
func (l *Links) dequeue(k link, i int) {
	q := l.held[k]
	q = append(q[:i:i], q[i+1:]...)
	if len(q) == 0 {
		delete(l.held, k)
	} else {
		l.held[k] = q
	}
}
