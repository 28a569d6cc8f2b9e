package worker

import "sync/atomic"

// Subscription receives every worker change after Subscribe, minus those it
// was too slow for: a worker never waits for a subscriber.
type Subscription struct {
	p       *Pool
	ch      chan Change
	dropped atomic.Uint64
	closed  bool // guarded by p.mu
}

// Subscribe registers a subscriber whose channel buffers up to buf changes
// (at least 1). The caller must Close it.
func (p *Pool) Subscribe(buf int) *Subscription {
	s := &Subscription{p: p, ch: make(chan Change, max(buf, 1))}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		s.closeLocked()
		return s
	}
	p.subs[s] = struct{}{}
	return s
}

// C is the channel changes arrive on; Close closes it.
func (s *Subscription) C() <-chan Change { return s.ch }

// Dropped counts the changes this subscriber missed because its channel
// was full.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Close unsubscribes. It is idempotent.
func (s *Subscription) Close() {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	delete(s.p.subs, s)
	s.closeLocked()
}

func (s *Subscription) closeLocked() {
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}

// publishLocked offers w's change to every subscriber without waiting.
// p.mu must be held.
func (p *Pool) publishLocked(w *worker, prev State) {
	ch := Change{Info: w.info, Previous: prev}
	for s := range p.subs {
		select {
		case s.ch <- ch:
		default:
			s.dropped.Add(1)
		}
	}
}
