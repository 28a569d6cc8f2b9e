package cluster

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/tree"
)

// SessionConfig holds ZooKeeper's session knobs.
type SessionConfig struct {
	TickTime   time.Duration // expiry granularity; ZooKeeper's tickTime
	MinTimeout time.Duration // default 2 × TickTime
	MaxTimeout time.Duration // default 20 × TickTime, as ZooKeeper's
}

func (c SessionConfig) withDefaults() SessionConfig {
	if c.TickTime <= 0 {
		c.TickTime = 2 * time.Second
	}
	if c.MinTimeout <= 0 {
		c.MinTimeout = 2 * c.TickTime
	}
	if c.MaxTimeout <= 0 {
		c.MaxTimeout = 20 * c.TickTime
	}
	return c
}

// Negotiate clamps a client's requested timeout as ZooKeeper does.
func (c SessionConfig) Negotiate(requested time.Duration) time.Duration {
	c = c.withDefaults()
	return min(max(requested, c.MinTimeout), c.MaxTimeout)
}

// sessionTracker keeps session liveness. On the leader it holds every
// session's deadline and proposes expiries; on a follower it collects the
// sessions heard from and passes them to the leader each half tick.
// Liveness is not replicated: a new leader gives every session a fresh
// timeout, as ZooKeeper's does.
type sessionTracker struct {
	n *Node

	mu       sync.Mutex
	leading  bool
	deadline map[int64]time.Time
	heard    map[int64]time.Time
	timeout  map[int64]time.Duration
	pending  map[int64]struct{}
	inFlight map[string]bool // expiries and reaps proposed, not yet applied
}

func newSessionTracker(n *Node) *sessionTracker {
	return &sessionTracker{n: n, deadline: map[int64]time.Time{}, heard: map[int64]time.Time{}, timeout: map[int64]time.Duration{},
		pending: map[int64]struct{}{}, inFlight: map[string]bool{}}
}

func (s *sessionTracker) tick() time.Duration { return s.n.cfg.Sessions.TickTime }

// expiryAt rounds up to the next tick, as ZooKeeper's ExpiryQueue does.
func (s *sessionTracker) expiryAt(now time.Time, timeout time.Duration) time.Time {
	t := now.Add(timeout)
	tick := s.tick()
	return time.UnixMilli((t.UnixMilli()/tick.Milliseconds() + 1) * tick.Milliseconds())
}

func (s *sessionTracker) touch(ids ...int64) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if !s.leading {
			s.pending[id] = struct{}{}
			continue
		}
		if to, ok := s.timeout[id]; ok {
			s.deadline[id] = s.expiryAt(now, to)
			s.heard[id] = now
		}
	}
}

// run owns the tracker's clock: every half tick it flushes touches to the
// leader (on a follower) or expires sessions and reaps containers and TTL
// nodes (on the leader).
func (s *sessionTracker) run() {
	defer s.n.wg.Done()
	t := time.NewTicker(s.tick() / 2)
	defer t.Stop()
	for {
		select {
		case <-s.n.stop:
			return
		case now := <-t.C:
			if s.n.raft.State() == raft.Leader {
				s.lead(now)
			} else {
				s.follow()
			}
		}
	}
}

func (s *sessionTracker) follow() {
	s.n.owners.reset() // a later leadership starts with what it learns then
	s.mu.Lock()
	s.leading = false
	ids := make([]int64, 0, len(s.pending))
	for id := range s.pending {
		ids = append(ids, id)
	}
	clear(s.pending)
	s.mu.Unlock()
	addr, lid := s.n.raft.LeaderWithID()
	if len(ids) == 0 || lid == "" || s.n.deliver(MemberID(lid)) != nil {
		return
	}
	_ = s.n.peer(string(addr)).send(msgTouch, encodeIDs(ids), nil)
}

func (s *sessionTracker) lead(now time.Time) {
	var sessions []tree.Session
	var reap []string
	s.n.View(func(t *tree.Tree) {
		sessions = t.Sessions()
		reap = t.ReapCandidates(now.UnixMilli())
	})
	var expire []int64
	s.mu.Lock()
	if !s.leading {
		// New leader: every session starts a fresh timeout.
		s.leading = true
		clear(s.deadline)
		clear(s.heard)
		clear(s.timeout)
	}
	live := make(map[int64]bool, len(sessions))
	for _, ss := range sessions {
		live[ss.ID] = true
		if _, ok := s.deadline[ss.ID]; !ok {
			to := time.Duration(ss.Timeout) * time.Millisecond
			s.timeout[ss.ID] = to
			s.deadline[ss.ID] = s.expiryAt(now, to)
			s.heard[ss.ID] = now
		}
	}
	for _, id := range sortedKeys(s.deadline) {
		switch {
		case !live[id]:
			delete(s.deadline, id)
			delete(s.heard, id)
			delete(s.timeout, id)
		case now.After(s.deadline[id]) && !s.inFlight[sessionKey(id)]:
			s.inFlight[sessionKey(id)] = true
			expire = append(expire, id)
		}
	}
	s.n.owners.keep(func(id int64) bool { return live[id] })
	var reapNow []string
	for _, p := range reap {
		if !s.inFlight[p] {
			s.inFlight[p] = true
			reapNow = append(reapNow, p)
		}
	}
	s.mu.Unlock()
	for _, id := range expire {
		s.propose(sessionKey(id), tree.Op{Type: tree.OpCloseSession, SessionID: id})
	}
	for _, p := range reapNow {
		s.propose(p, tree.Op{Type: tree.OpDeleteContainer, Path: p})
	}
}

// propose sends a leader-decided write without holding up the tick.
func (s *sessionTracker) propose(key string, op tree.Op) {
	s.n.wg.Add(1)
	go func() {
		defer s.n.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*s.tick())
		defer cancel()
		_, _ = s.n.Write(ctx, 0, nil, op)
		s.mu.Lock()
		delete(s.inFlight, key)
		s.mu.Unlock()
	}()
}

// sessionKey names an expiry in inFlight; znode paths start with '/', so
// the two kinds of key never collide.
func sessionKey(id int64) string { return fmt.Sprintf("session %#x", id) }

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// SessionInfo is one session as a member sees it. LastHeard and Expires are
// known only on the leader, which alone tracks liveness; elsewhere they are
// zero.
type SessionInfo struct {
	ID         int64
	Timeout    time.Duration
	Ephemerals int
	LastHeard  time.Time
	Expires    time.Time
}

// Sessions lists the replicated sessions in id order, with liveness where
// this member tracks it.
func (n *Node) Sessions() []SessionInfo {
	var ss []tree.Session
	n.View(func(t *tree.Tree) { ss = t.Sessions() })
	out := make([]SessionInfo, len(ss))
	s := n.sessions
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range ss {
		out[i] = SessionInfo{ID: x.ID, Timeout: time.Duration(x.Timeout) * time.Millisecond, Ephemerals: x.Ephemerals}
		if s.leading {
			out[i].LastHeard, out[i].Expires = s.heard[x.ID], s.deadline[x.ID]
		}
	}
	return out
}
