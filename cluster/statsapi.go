package cluster

import (
	"fmt"
	"math"
	"time"
)

// LatencyStats summarises request latencies: how long a member took from
// reading a request to releasing its reply.
type LatencyStats struct {
	Count    int64
	Min, Max time.Duration // zero when Count is zero
	Sum      time.Duration
}

// Avg is the mean latency, zero when Count is zero.
func (l LatencyStats) Avg() time.Duration {
	if l.Count == 0 {
		return 0
	}
	return l.Sum / time.Duration(l.Count)
}

// AvgMillis is the mean in milliseconds rounded to four places, the way
// ZooKeeper's AvgMinMaxCounter reports it (srvr's "0/1.4407/14").
func (l LatencyStats) AvgMillis() float64 {
	if l.Count == 0 {
		return 0
	}
	ms := float64(l.Sum) / float64(l.Count) / float64(time.Millisecond)
	return math.Round(ms*10000) / 10000
}

// SizeStats are the last, smallest and largest of a series of sizes in
// bytes, ZooKeeper's BufferStats; each is -1 until there is one.
type SizeStats struct {
	Last, Min, Max int64
}

// String gives "last/min/max", as srvr's "Proposal sizes" line does.
func (b SizeStats) String() string { return fmt.Sprintf("%d/%d/%d", b.Last, b.Min, b.Max) }

// ServerStats is a copied snapshot of a member's client-port statistics,
// ZooKeeper's ServerStats: what srvr, mntr and the admin API's
// server_stats report. Taking it costs a few atomic loads and the server's
// connection lock, so the console may take it every frame.
type ServerStats struct {
	// Version is the full version line ZooKeeper would show:
	// "3.9.3-coordtui-0.1.0, built on 11/22/2026 04:23 GMT".
	Version     string
	Started     time.Time // when the member began serving clients
	Received    uint64    // packets read since the last reset, four-letter words included
	Sent        uint64    // packets written since the last reset, notifications included
	Outstanding int64     // requests read and not yet answered
	Connections int       // open client connections, four-letter ones included
	// Latency covers every request since the last reset; ReadLatency
	// (requests without a transaction, pings and syncs included) and
	// UpdateLatency (requests that went through the log) are never reset.
	Latency       LatencyStats
	ReadLatency   LatencyStats
	UpdateLatency LatencyStats
	Responses     SizeStats // reply sizes since the last reset, length prefix excluded
	Proposals     SizeStats // encoded transactions applied while this member led
	PendingSyncs  int64     // sync requests waiting on this member
	LeaderSince   time.Time // zero unless this member leads
	Watches       int       // ZooKeeper's watch count: data and child watch entries
}

// ConnStats is a copied snapshot of one client connection, ZooKeeper's
// per-connection statistics (cons).
type ConnStats struct {
	ID         uint64 // the connection's id on this member
	Remote     string // the client's address
	FourLetter bool   // the connection carries a four-letter word
	Session    int64  // 0 until the handshake, and for four-letter words
	Timeout    time.Duration
	ReadOnly   bool
	// Established is when the connection was accepted; LastHeard when the
	// last packet was read from it.
	Established time.Time
	LastHeard   time.Time
	Received    uint64
	Sent        uint64
	Outstanding int64
	// LastOp is ZooKeeper's abbreviation of the last answered operation
	// ("GETD", "PING", "SESS"), "NA" if none. LastCxid and LastZxid are
	// -1 when unknown; pings and other special xids leave LastCxid alone.
	LastOp      string
	LastCxid    int64
	LastZxid    int64
	LastReply   time.Time // zero if none
	LastLatency time.Duration
	Latency     LatencyStats
}

// Node is the member this server serves clients for.
func (s *Server) Node() *Node { return s.n }

// Stats returns a snapshot of the member's client-port statistics.
func (s *Server) Stats() ServerStats {
	st := ServerStats{
		Version:       FullVersion(s.cfg.Version),
		Started:       s.stats.started,
		Received:      s.stats.received.Load(),
		Sent:          s.stats.sent.Load(),
		Outstanding:   max(s.stats.outstanding.Load(), 0),
		Latency:       s.stats.all.snapshot(),
		ReadLatency:   s.stats.read.snapshot(),
		UpdateLatency: s.stats.update.snapshot(),
		Responses:     s.stats.response.snapshot(),
		Proposals:     s.stats.proposal.snapshot(),
		PendingSyncs:  max(s.stats.syncs.Load(), 0),
		Watches:       s.WatchCount(),
	}
	if ns := s.stats.leaderSince.Load(); ns != 0 {
		st.LeaderSince = time.Unix(0, ns)
	}
	s.mu.Lock()
	st.Connections = len(s.conns)
	s.mu.Unlock()
	return st
}

// Connections returns a snapshot of every open client connection, by id.
// The connection asking (a four-letter word, say) is included, as
// ZooKeeper includes it.
func (s *Server) Connections() []ConnStats {
	conns := s.snapshotConns()
	out := make([]ConnStats, len(conns))
	for i, c := range conns {
		out[i] = c.snapshot()
	}
	return out
}

func (c *conn) snapshot() ConnStats {
	st := &c.stats
	cs := ConnStats{
		ID: uint64(c.id), Remote: c.nc.RemoteAddr().String(), FourLetter: st.fourLetter.Load(),
		Session: st.session.Load(), Timeout: time.Duration(st.timeout.Load()), ReadOnly: c.readOnly.Load(),
		Established: st.established, LastHeard: time.UnixMilli(st.lastHeard.Load()),
		Received: st.received.Load(), Sent: st.sent.Load(), Outstanding: max(st.outstanding.Load(), 0),
		LastOp: "NA", LastCxid: st.lastCxid.Load(), LastZxid: st.lastZxid.Load(),
		LastLatency: time.Duration(st.lastLatency.Load()), Latency: st.lat.snapshot(),
	}
	if op := st.lastOp.Load(); op != noOp {
		cs.LastOp = lastOpName(op)
	}
	if ms := st.lastResp.Load(); ms != 0 {
		cs.LastReply = processStart.Add(time.Duration(ms) * time.Millisecond)
	}
	return cs
}

// ResetStats clears the packet counters, the request latency and the reply
// sizes, as ZooKeeper's srst does; the read and update latencies and the
// proposal sizes stay.
func (s *Server) ResetStats() { s.stats.resetServer() }

// ResetConnectionStats clears every connection's counters, latencies and
// last operation, as ZooKeeper's crst does.
func (s *Server) ResetConnectionStats() {
	for _, c := range s.snapshotConns() {
		c.stats.reset()
	}
}
