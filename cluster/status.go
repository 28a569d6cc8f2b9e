package cluster

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/tree"
)

// Status is a copied snapshot of one member's state, for the console, the
// admin API and tests. It holds no references into the member.
type Status struct {
	ID           uint64
	Addr         string
	Role         string // leader, follower, candidate, observer, down
	Term         uint64
	Leader       uint64 // 0 when none is known
	LastIndex    uint64
	CommitIndex  uint64
	AppliedIndex uint64
	LastContact  time.Duration // since the leader was last heard (followers); 0 on the leader
	Serving      bool
	LastZxid     tree.Zxid
	Znodes       int
	Sessions     int
	Digest       uint64
	Connections  int64
}

// String describes the member in one stable line.
func (s Status) String() string {
	return fmt.Sprintf("n%d %s T%d last=%d commit=%d applied=%d zxid=%s znodes=%d sessions=%d",
		s.ID, s.Role, s.Term, s.LastIndex, s.CommitIndex, s.AppliedIndex, s.LastZxid, s.Znodes, s.Sessions)
}

// Status returns a snapshot of the member's state.
func (n *Node) Status() Status {
	s := Status{ID: n.cfg.ID, Addr: n.Addr(), Connections: n.counters.Connections()}
	stats := n.raft.Stats()
	s.Term, _ = strconv.ParseUint(stats["term"], 10, 64)
	s.LastIndex = n.raft.LastIndex()
	s.CommitIndex = n.raft.CommitIndex()
	s.AppliedIndex = n.raft.AppliedIndex()
	_, lid := n.raft.LeaderWithID()
	s.Leader = MemberID(lid)
	switch st := n.raft.State(); st {
	case raft.Leader:
		s.Role = "leader"
	case raft.Candidate:
		s.Role = "candidate"
	case raft.Follower:
		s.Role = "follower"
		if !n.isVoter() {
			s.Role = "observer"
		}
		if lc := n.raft.LastContact(); !lc.IsZero() {
			s.LastContact = time.Since(lc)
		}
	default:
		s.Role = "down"
	}
	s.Serving = n.Serving()
	n.View(func(t *tree.Tree) {
		s.LastZxid = t.LastZxid()
		s.Znodes = t.NodeCount()
		s.Sessions = len(t.Sessions())
		s.Digest = t.Digest()
	})
	return s
}

func (n *Node) isVoter() bool {
	f := n.raft.GetConfiguration()
	if f.Error() != nil {
		return true
	}
	for _, srv := range f.Configuration().Servers {
		if srv.ID == n.id {
			return srv.Suffrage == raft.Voter
		}
	}
	return false
}
