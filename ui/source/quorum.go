package source

import (
	"fmt"
	"strings"

	"coordtui/cluster/faultnet"
)

// Quorum is the quorum arithmetic of a snapshot.
type Quorum struct {
	Voters    int  // voting members, up or down
	Up        int  // voting members running
	Reachable int  // voters the leader (or, without one, the best-connected member) can talk to both ways, itself included
	Needed    int  // a majority of Voters
	Leader    bool // some running member leads
	Commits   bool // the leader reaches a majority: writes commit
	Words     string
}

// QuorumOf works out, from roles and the link matrix, whether writes can
// commit, and says so in words a newcomer can read:
// "3 of 5 reachable: writes commit (need 3)".
func QuorumOf(s Snapshot) Quorum {
	var q Quorum
	var voters []Member
	for _, m := range s.Members {
		if m.Role == "observer" || m.Role == "standalone" {
			continue
		}
		voters = append(voters, m)
		if m.Up {
			q.Up++
		}
	}
	q.Voters = len(voters)
	q.Needed = q.Voters/2 + 1
	if q.Voters == 0 && len(s.Members) == 0 {
		// Nothing to count yet (a lesson before it builds its ensemble):
		// "0 of 0 reachable, need 1" would only puzzle.
		q.Words = "no members yet"
		return q
	}
	if standalone(s) {
		q.Voters, q.Up, q.Reachable, q.Needed, q.Leader, q.Commits = 1, 1, 1, 1, true, true
		q.Words = "standalone server: writes commit alone"
		return q
	}
	both := func(a, b Member) bool {
		if a.ID == b.ID {
			return true
		}
		if !s.HasMatrix {
			return true
		}
		return !cut(s.Matrix, a.Name, b.Name) && !cut(s.Matrix, b.Name, a.Name)
	}
	count := func(center Member) int {
		n := 0
		for _, v := range voters {
			if v.Up && both(center, v) {
				n++
			}
		}
		return n
	}
	if l, ok := s.LeaderMember(); ok {
		q.Leader = true
		q.Reachable = count(l)
		q.Commits = q.Reachable >= q.Needed
		if q.Commits {
			q.Words = fmt.Sprintf("%d of %d reachable: writes commit (need %d)", q.Reachable, q.Voters, q.Needed)
		} else {
			q.Words = fmt.Sprintf("%d of %d reachable: no quorum, writes wait (need %d)", q.Reachable, q.Voters, q.Needed)
		}
		return q
	}
	for _, v := range voters {
		if v.Up {
			q.Reachable = max(q.Reachable, count(v))
		}
	}
	if q.Reachable >= q.Needed && q.Voters > 0 {
		q.Words = fmt.Sprintf("no leader: %d of %d can vote, an election can win (need %d)", q.Reachable, q.Voters, q.Needed)
	} else {
		q.Words = fmt.Sprintf("no leader: %d of %d reachable, no majority, writes wait (need %d)", q.Reachable, q.Voters, q.Needed)
	}
	return q
}

func standalone(s Snapshot) bool {
	for _, m := range s.Members {
		if m.Role == "standalone" {
			return true
		}
	}
	return false
}

func cut(m faultnet.Matrix, from, to string) bool { return m.Link(from, to).Fault.Cut }

// Group is one side of a partition: running members that can talk to
// each other both ways, directly or through each other.
type Group struct {
	Members []string
	Voters  int
	Quorum  bool   // holds a majority of all voters
	Leader  string // a member of the group that leads, if any
}

// Partition splits the running members into groups by the link matrix.
// A healthy network is one group.
func Partition(s Snapshot) []Group {
	var up []Member
	voters := 0
	for _, m := range s.Members {
		if m.Role != "observer" {
			voters++
		}
		if m.Up {
			up = append(up, m)
		}
	}
	parent := make([]int, len(up))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range up {
		for j := i + 1; j < len(up); j++ {
			if !s.HasMatrix || (!cut(s.Matrix, up[i].Name, up[j].Name) && !cut(s.Matrix, up[j].Name, up[i].Name)) {
				parent[find(i)] = find(j)
			}
		}
	}
	byRoot := map[int]*Group{}
	var order []int
	for i, m := range up {
		r := find(i)
		g := byRoot[r]
		if g == nil {
			g = &Group{}
			byRoot[r] = g
			order = append(order, r)
		}
		g.Members = append(g.Members, m.Name)
		if m.Role != "observer" {
			g.Voters++
		}
		if m.Role == "leader" {
			g.Leader = m.Name
		}
	}
	out := make([]Group, 0, len(order))
	for _, r := range order {
		g := byRoot[r]
		g.Quorum = g.Voters >= voters/2+1
		out = append(out, *g)
	}
	return out
}

// Words describes a group: "{n1 n2} 2/5: no quorum, cannot elect or
// commit".
func (g Group) Words(voters int) string {
	s := fmt.Sprintf("{%s} %d/%d: ", strings.Join(g.Members, " "), g.Voters, voters)
	switch {
	case g.Quorum && g.Leader != "":
		return s + "quorum, leader " + g.Leader
	case g.Quorum:
		return s + "quorum, electing a leader"
	case g.Leader != "":
		return s + "no quorum, " + g.Leader + " leads in name only"
	}
	return s + "no quorum, cannot elect or commit"
}
