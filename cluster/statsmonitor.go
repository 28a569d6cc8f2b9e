package cluster

import (
	"time"

	"github.com/hashicorp/raft"

	"coordtui/tree"
)

// MonitorValue is one of mntr's values. Key is ZooKeeper's metric name
// without mntr's "zk_" prefix ("znode_count"), or one of coordtui's own,
// which start with "coordtui_"; Value is an int64, a float64 or a string.
type MonitorValue struct {
	Key   string
	Value any
}

// Mode is the member's role as ZooKeeper's srvr names it — "leader",
// "follower" or "observer" — and whether it serves clients. A member that
// does not serve (an election is running, or it is cut off from a quorum)
// reports "looking", as a ZooKeeper server without a leader does.
func (s *Server) Mode() (mode string, serving bool) {
	switch s.n.raft.State() {
	case raft.Leader:
		return "leader", true
	case raft.Follower:
		if !s.n.Serving() {
			return "looking", false
		}
		if !s.n.isVoter() {
			return "observer", true
		}
		return "follower", true
	}
	return "looking", false
}

// peerState is ZooKeeper's detailed peer state ("following - broadcast").
func peerState(mode string) string {
	switch mode {
	case "leader":
		return "leading - broadcast"
	case "follower":
		return "following - broadcast"
	case "observer":
		return "observing - broadcast"
	}
	return "looking - election"
}

// Monitor returns every value mntr reports, in mntr's order: ZooKeeper
// 3.8's keys that coordtui can fill truthfully (the leader adds its
// quorum's), then coordtui's raft state. It walks the whole tree for
// approximate_data_size, so it costs O(znodes); the console should prefer
// Stats.
func (s *Server) Monitor() []MonitorValue {
	n := s.n
	st := s.Stats()
	mode, _ := s.Mode()
	var znodes, sessions, ephemerals int
	var dataSize int64
	var last tree.Zxid
	n.View(func(t *tree.Tree) {
		znodes, last = t.NodeCount(), t.LastZxid()
		ss := t.Sessions()
		sessions = len(ss)
		for _, x := range ss {
			ephemerals += x.Ephemerals
		}
		t.Walk("/", func(path string, _ tree.Stat, data []byte) bool {
			dataSize += int64(len(path) + len(data))
			return true
		})
	})
	ms := func(d time.Duration) int64 { return d.Milliseconds() }
	v := []MonitorValue{
		{"version", st.Version},
		{"server_state", mode},
		{"peer_state", peerState(mode)},
		{"ephemerals_count", int64(ephemerals)},
		{"num_alive_connections", int64(st.Connections)},
		{"avg_latency", st.Latency.AvgMillis()},
		{"outstanding_requests", st.Outstanding},
		// ZooKeeper keeps the root under both "" and "/".
		{"znode_count", int64(znodes + 1)},
		{"global_sessions", int64(sessions)},
		{"last_client_response_size", st.Responses.Last},
		{"packets_sent", int64(st.Sent)},
		{"packets_received", int64(st.Received)},
		{"max_client_response_size", st.Responses.Max},
		{"connection_drop_probability", 0.0},
		{"watch_count", int64(st.Watches)},
		{"min_latency", ms(st.Latency.Min)},
	}
	open, limit, fdsKnown := fileDescriptors()
	if fdsKnown {
		v = append(v, MonitorValue{"max_file_descriptor_count", limit})
	}
	v = append(v, MonitorValue{"approximate_data_size", dataSize})
	if fdsKnown {
		v = append(v, MonitorValue{"open_file_descriptor_count", open})
	}
	v = append(v,
		MonitorValue{"local_sessions", int64(s.localSessions())},
		MonitorValue{"uptime", ms(time.Since(st.Started))},
		MonitorValue{"max_latency", ms(st.Latency.Max)},
		MonitorValue{"min_client_response_size", st.Responses.Min},
	)
	q, qerr := n.quorumView()
	if qerr == nil {
		v = append(v, MonitorValue{"quorum_size", int64(q.voters)})
	}
	if mode == "leader" && qerr == nil {
		var leaderUp int64
		if !st.LeaderSince.IsZero() {
			leaderUp = ms(time.Since(st.LeaderSince))
		}
		v = append(v,
			MonitorValue{"learners", int64(q.learners)},
			// 3.4 and 3.5 called the learners followers; older scrapers
			// still read that key.
			MonitorValue{"followers", int64(q.learners)},
			MonitorValue{"synced_followers", int64(q.synced)},
			MonitorValue{"synced_non_voting_followers", int64(0)},
			MonitorValue{"synced_observers", int64(q.observers)},
			MonitorValue{"pending_syncs", st.PendingSyncs},
			MonitorValue{"leader_uptime", leaderUp},
			MonitorValue{"last_proposal_size", st.Proposals.Last},
			MonitorValue{"max_proposal_size", st.Proposals.Max},
			MonitorValue{"min_proposal_size", st.Proposals.Min},
		)
	}
	v = append(v, summary("readlatency", st.ReadLatency)...)
	v = append(v, summary("updatelatency", st.UpdateLatency)...)
	_, lid := n.raft.LeaderWithID()
	return append(v,
		MonitorValue{"coordtui_member_id", int64(n.ID())},
		MonitorValue{"coordtui_leader_id", int64(MemberID(lid))},
		MonitorValue{"coordtui_raft_term", int64(n.term())},
		MonitorValue{"coordtui_raft_last_index", int64(n.raft.LastIndex())},
		MonitorValue{"coordtui_raft_commit_index", int64(n.raft.CommitIndex())},
		MonitorValue{"coordtui_raft_applied_index", int64(n.raft.AppliedIndex())},
		MonitorValue{"coordtui_last_zxid", int64(last)},
		MonitorValue{"coordtui_requests", int64(n.counters.TotalRequests())},
		MonitorValue{"coordtui_watch_notifications", int64(n.counters.Notifications())},
	)
}

// summary is ZooKeeper's basic summary of a latency in milliseconds:
// avg_, min_, max_, cnt_ and sum_ keys (coordtui keeps no percentiles).
func summary(name string, l LatencyStats) []MonitorValue {
	return []MonitorValue{
		{"avg_" + name, l.AvgMillis()},
		{"min_" + name, l.Min.Milliseconds()},
		{"max_" + name, l.Max.Milliseconds()},
		{"cnt_" + name, l.Count},
		{"sum_" + name, l.Sum.Milliseconds()},
	}
}

// localSessions counts the read-only sessions this member made on its own
// while cut off from a quorum: ZooKeeper's local sessions.
func (s *Server) localSessions() int {
	var n int
	for _, c := range s.snapshotConns() {
		if c.readOnly.Load() && c.stats.session.Load() != 0 {
			n++
		}
	}
	return n
}
