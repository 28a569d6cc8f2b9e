package recipes

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"

	"coordtui/cluster/zk"
)

// UnsafeHeartbeatProgram is the pseudo-code UnsafeHeartbeatElection's steps
// point into.
var UnsafeHeartbeatProgram = Program{
	"set <hb>/<me> = my beat count + 1 (create it the first time)",
	"children <hb>, then get each peer's beat count",
	"a peer is alive if its count moved since my last look (or I never looked)",
	"leader = the lowest id alive; if it is me, I lead",
	"next round: go to 1",
}

// UnsafeHeartbeatElection is leader election by heartbeats with no
// consensus at all, for teaching. UNSAFE: each peer writes a beat counter
// to its own znode and decides on its own, from the counters it reads, who
// is alive and so who leads (the lowest live id). Peers decide at different
// moments from different reads, and a peer that is merely slow (paused,
// partitioned, behind a slow disk) looks dead to the others while it still
// believes it leads: two leaders, and nothing to fence the old one with —
// there is no token, because nothing was agreed. It is the design of many
// home-grown failover scripts. LeaderLatch is the fix: leadership is the
// ensemble's one ordered decision, and its token fences the old leader.
//
// Connection states: none handled; a round fails with the client's error.
// The znodes are persistent, so a dead peer's counter simply stops moving.
type UnsafeHeartbeatElection struct {
	p   *proc
	dir string
	id  string

	mu      sync.Mutex
	created bool
	beats   int64
	seen    map[string]int64 // each peer's count at my last look
	leader  string           // my latest decision
	alive   []string
}

// NewUnsafeHeartbeatElection returns peer id of the heartbeat election
// whose counters live under dir.
func NewUnsafeHeartbeatElection(c Client, dir, id string, opts ...Option) *UnsafeHeartbeatElection {
	return &UnsafeHeartbeatElection{p: newProc(c, "heartbeat", opts), dir: dir, id: id}
}

// Round runs one round — beat, look, decide — and returns who this peer now
// believes leads.
func (h *UnsafeHeartbeatElection) Round(ctx context.Context) (string, error) {
	h.mu.Lock()
	h.beats++
	beat := h.beats
	h.mu.Unlock()
	me := join(h.dir, h.id)
	data := []byte(strconv.FormatInt(beat, 10))
	if err := h.beat(ctx, me, data); err != nil {
		return "", err
	}
	var peers []string
	err := h.p.op(ctx, Step{Line: 2, Kind: KindChildren, Path: h.dir}, func(s *Step) error {
		var err error
		peers, _, err = h.p.c.Children2(ctx, h.dir)
		slices.Sort(peers)
		s.Note = fmt.Sprintf("%d peers", len(peers))
		return checkLost(err)
	})
	if err != nil {
		return "", err
	}
	counts := map[string]int64{h.id: beat}
	for _, peer := range peers {
		if peer == h.id {
			continue
		}
		path := join(h.dir, peer)
		err := h.p.op(ctx, Step{Line: 2, Kind: KindGet, Path: path}, func(s *Step) error {
			data, _, err := h.p.c.Get(ctx, path)
			if errors.Is(err, zk.ErrNoNode) {
				return nil
			}
			if err != nil {
				return checkLost(err)
			}
			n, _ := strconv.ParseInt(string(data), 10, 64)
			counts[peer] = n
			s.Note = "beat " + string(data)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	h.mu.Lock()
	var alive []string
	for _, peer := range slices.Sorted(maps.Keys(counts)) {
		last, looked := h.seen[peer]
		if peer == h.id || !looked || counts[peer] != last {
			alive = append(alive, peer)
		}
	}
	h.seen = counts
	h.alive = alive
	h.leader = alive[0]
	leader := h.leader
	h.mu.Unlock()
	if leader == h.id {
		h.p.note(4, "alive %v: I lead", alive)
	} else {
		h.p.note(4, "alive %v: %s leads", alive, leader)
	}
	return leader, nil
}

// beat writes the counter: a create the first time (and the directory if
// it is missing), a set after that.
func (h *UnsafeHeartbeatElection) beat(ctx context.Context, me string, data []byte) error {
	h.mu.Lock()
	created := h.created
	h.mu.Unlock()
	if !created {
		err := h.p.op(ctx, Step{Line: 1, Kind: KindCreate, Path: me, Detail: modeText(zk.ModePersistent), Note: "beat " + string(data)}, func(s *Step) error {
			_, _, err := h.p.c.Create2(ctx, me, data, h.p.acl, zk.ModePersistent)
			if errors.Is(err, zk.ErrNodeExists) {
				s.Note = "there from an earlier run"
				return nil
			}
			return checkLost(err)
		})
		if errors.Is(err, zk.ErrNoNode) {
			if err := h.p.ensurePath(ctx, 1, h.dir, zk.ModePersistent); err != nil {
				return err
			}
			return h.beat(ctx, me, data)
		}
		if err != nil {
			return err
		}
		h.mu.Lock()
		h.created = true
		h.mu.Unlock()
		if h.beats > 1 {
			return h.beat(ctx, me, data)
		}
		return nil
	}
	return h.p.op(ctx, Step{Line: 1, Kind: KindSet, Path: me, Note: "beat " + string(data)}, func(s *Step) error {
		_, err := h.p.c.Set(ctx, me, data, -1)
		return checkLost(err)
	})
}

// IsLeader reports whether this peer's latest decision was that it leads.
// No one else has agreed to it.
func (h *UnsafeHeartbeatElection) IsLeader() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.leader == h.id
}

// Leader returns who this peer last decided leads ("" before a round).
func (h *UnsafeHeartbeatElection) Leader() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.leader
}
