package cluster

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ExpiryBucket is one of the leader's session expiry buckets: the sessions
// that expire at At unless heard from first (ZooKeeper's ExpiryQueue
// rounds deadlines up to the tick, so sessions share buckets).
type ExpiryBucket struct {
	At       time.Time
	Sessions []int64
}

// SessionExpiry lists the leader's expiry buckets, soonest first. Only the
// leader tracks liveness; on any other member it returns nil.
func (s *Server) SessionExpiry() []ExpiryBucket {
	byTime := map[int64][]int64{}
	for _, si := range s.n.Sessions() {
		if !si.Expires.IsZero() {
			at := si.Expires.UnixMilli()
			byTime[at] = append(byTime[at], si.ID)
		}
	}
	var out []ExpiryBucket
	for _, at := range sortedKeys(byTime) {
		out = append(out, ExpiryBucket{At: time.UnixMilli(at), Sessions: byTime[at]})
	}
	return out
}

// sessionlessTimeout is how long ZooKeeper lets a connection without a
// session idle (zookeeper.nio.sessionlessCnxnTimeout), and the width of
// its connection expiry buckets.
const sessionlessTimeout = 10 * time.Second

// dump in ZooKeeper's layout: the session tracker (the leader's expiry
// buckets; a follower's LearnerSessionTracker lists sessions and their
// timeouts), ephemeral nodes by session, and the connection expiry queue.
func (s *Server) dump() string {
	var b strings.Builder
	b.WriteString("SessionTracker dump:\n")
	if mode, _ := s.Mode(); mode == "leader" {
		buckets := s.SessionExpiry()
		total := 0
		for _, bk := range buckets {
			total += len(bk.Sessions)
		}
		fmt.Fprintf(&b, "Session Sets (%d)/(%d):\n", len(buckets), total)
		for _, bk := range buckets {
			fmt.Fprintf(&b, "%d expire at %s:\n", len(bk.Sessions), javaDate(bk.At))
			for _, id := range bk.Sessions {
				fmt.Fprintf(&b, "\t0x%s\n", javaHex(id))
			}
		}
	} else {
		ss := s.n.Sessions()
		fmt.Fprintf(&b, "Global Sessions(%d):\n", len(ss))
		for _, si := range ss {
			fmt.Fprintf(&b, "0x%s\t%dms\n", javaHex(si.ID), si.Timeout.Milliseconds())
		}
	}
	b.WriteString("ephemeral nodes dump:\n")
	eph := s.EphemeralsBySession()
	fmt.Fprintf(&b, "Sessions with Ephemerals (%d):\n", len(eph))
	for _, sp := range eph {
		fmt.Fprintf(&b, "0x%s:\n", javaHex(sp.Session))
		for _, p := range sp.Paths {
			fmt.Fprintf(&b, "\t%s\n", p)
		}
	}
	b.WriteString("Connections dump:\n")
	s.dumpConnections(&b)
	return b.String()
}

// dumpConnections is NIOServerCnxnFactory's connection expiry queue: each
// connection expires its session timeout (or the sessionless timeout)
// after it was last heard from, rounded up to the next bucket.
func (s *Server) dumpConnections(b *strings.Builder) {
	byBucket := map[int64][]ConnStats{}
	conns := s.Connections()
	for _, c := range conns {
		to := c.Timeout
		if c.Session == 0 || to <= 0 {
			to = sessionlessTimeout
		}
		due := elapsedMs(c.LastHeard) + to.Milliseconds()
		width := sessionlessTimeout.Milliseconds()
		at := (due/width + 1) * width
		byBucket[at] = append(byBucket[at], c)
	}
	keys := sortedKeys(byBucket)
	fmt.Fprintf(b, "Connections Sets (%d)/(%d):\n", len(keys), len(conns))
	for _, at := range keys {
		cs := byBucket[at]
		slices.SortFunc(cs, func(x, y ConnStats) int { return cmp.Compare(x.ID, y.ID) })
		fmt.Fprintf(b, "%d expire at %s:\n", len(cs), javaDate(processStart.Add(time.Duration(at)*time.Millisecond)))
		for _, c := range cs {
			fmt.Fprintf(b, "\tip: %s sessionId: 0x%s\n", javaAddr(c.Remote), javaHex(c.Session))
		}
	}
}
