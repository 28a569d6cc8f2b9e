package event

import (
	"sync"
	"sync/atomic"
	"time"
)

// DefaultRecent is how many past events a Bus keeps when NewBus is given a
// non-positive size.
const DefaultRecent = 1024

// Bus fans events out to subscribers and remembers the most recent ones.
//
// Publish never blocks on a subscriber: each subscriber has its own buffered
// channel, and an event that does not fit is dropped for that subscriber
// alone and counted. All methods are safe for concurrent use; a nil *Bus
// accepts and discards events, so producers need not check whether anyone
// wired one in.
type Bus struct {
	mu   sync.Mutex
	seq  uint64
	ring ring
	subs []*Subscription
	now  func() time.Time
}

// NewBus returns a Bus that keeps the last recent events for Recent (or
// DefaultRecent if recent <= 0).
func NewBus(recent int) *Bus {
	if recent <= 0 {
		recent = DefaultRecent
	}
	return &Bus{ring: newRing(recent), now: time.Now}
}

// Publish stamps ev with the next sequence number (and the current time, if
// ev.Time is zero), records it among the recent events and offers it to
// every subscriber without waiting. It returns the stamped event.
//
// The stamping and the offers happen under one lock, so every subscriber
// receives events in sequence order, whichever goroutines publish them. The
// lock is held only for non-blocking channel sends.
func (b *Bus) Publish(ev Event) Event {
	if b == nil {
		return ev
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	ev.Seq = b.seq
	if ev.Time.IsZero() {
		ev.Time = b.now()
	}
	b.ring.add(ev)
	for _, s := range b.subs {
		select {
		case s.ch <- ev:
		default:
			s.dropped.Add(1)
		}
	}
	return ev
}

// Subscribe registers a subscriber whose channel buffers up to buf events
// (at least 1). It sees every event published after Subscribe returns, minus
// those it was too slow for. The caller must Close it when done.
func (b *Bus) Subscribe(buf int) *Subscription {
	s, _ := b.SubscribeRecent(buf, 0)
	return s
}

// SubscribeRecent is Subscribe that also returns up to n of the most recent
// events, oldest first. Nothing is lost or repeated between the returned
// events and the first event on the subscription's channel, which is what a
// late subscriber such as a console opened mid-run needs.
func (b *Bus) SubscribeRecent(buf, n int) (*Subscription, []Event) {
	if buf < 1 {
		buf = 1
	}
	s := &Subscription{bus: b, ch: make(chan Event, buf)}
	if b == nil {
		close(s.ch)
		return s, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, s)
	return s, b.ring.last(n)
}

// Recent returns up to n of the most recent events, oldest first, as a copy.
func (b *Bus) Recent(n int) []Event {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ring.last(n)
}

// Published is the sequence number of the last event published (0 if none).
func (b *Bus) Published() uint64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq
}

// Subscription is one subscriber's view of a Bus.
type Subscription struct {
	bus     *Bus
	ch      chan Event
	dropped atomic.Uint64
	closed  bool // guarded by bus.mu
}

// C is the channel events arrive on. It is closed by Close.
func (s *Subscription) C() <-chan Event { return s.ch }

// Dropped counts the events this subscriber missed because its channel was
// full. A gap in the sequence numbers it receives tells where.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Close unsubscribes and closes the channel. Events already buffered can
// still be read. Close is idempotent and safe from any goroutine.
func (s *Subscription) Close() {
	b := s.bus
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	for i, x := range b.subs {
		if x == s {
			b.subs = append(b.subs[:i:i], b.subs[i+1:]...)
			break
		}
	}
	close(s.ch)
}
