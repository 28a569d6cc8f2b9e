package cluster

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/hashicorp/raft"
)

// Members lists the raft configuration as this member knows it, by id.
// It asks raft's main loop, so it waits briefly on a busy member and fails
// on a stopped one.
func (n *Node) Members() ([]Peer, error) {
	f := n.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, err
	}
	var out []Peer
	for _, srv := range f.Configuration().Servers {
		out = append(out, Peer{ID: MemberID(srv.ID), Addr: string(srv.Address), NonVoter: srv.Suffrage != raft.Voter})
	}
	slices.SortFunc(out, func(a, b Peer) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// quorum is what a leader's mntr reports about the others.
type quorum struct {
	voters    int // ZooKeeper's quorum_size: the voting members
	learners  int // every member but this one
	followers int // voters other than this one
	synced    int // followers this member can reach both ways now
	observers int // non-voters this member can reach both ways now
}

// quorumView reads the configuration and, for each other member, whether
// the peer link is up both ways. Raft does not say how far behind each
// follower is, so "synced" means "reachable": a follower the fault layer
// cuts off is not synced, one that merely lags is.
func (n *Node) quorumView() (quorum, error) {
	peers, err := n.Members()
	if err != nil {
		return quorum{}, err
	}
	var q quorum
	for _, p := range peers {
		if !p.NonVoter {
			q.voters++
		}
		if p.ID == n.ID() {
			continue
		}
		q.learners++
		reachable := n.deliver(p.ID) == nil && n.deliverFrom(p.ID) == nil
		switch {
		case p.NonVoter && reachable:
			q.observers++
		case !p.NonVoter:
			q.followers++
			if reachable {
				q.synced++
			}
		}
	}
	return q, nil
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
