package cluster

import (
	"fmt"
	"strings"
	"time"

	"coordtui/tree"
)

// srvr (and stat, with its client list) in ZooKeeper 3.8's StatCommand
// layout. The caller has checked that the member serves.
func (s *Server) srvr(withClients bool) string {
	st := s.Stats()
	mode, _ := s.Mode()
	var last tree.Zxid
	var nodes int
	s.n.View(func(t *tree.Tree) { last, nodes = t.LastZxid(), t.NodeCount() })
	var b strings.Builder
	fmt.Fprintf(&b, "Zookeeper version: %s\n", st.Version)
	if withClients {
		b.WriteString("Clients:\n")
		for _, c := range s.Connections() {
			writeConnection(&b, c, true)
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "Latency min/avg/max: %d/%s/%d\n", st.Latency.Min.Milliseconds(),
		javaDouble(st.Latency.AvgMillis()), st.Latency.Max.Milliseconds())
	fmt.Fprintf(&b, "Received: %d\nSent: %d\nConnections: %d\nOutstanding: %d\n",
		st.Received, st.Sent, st.Connections, st.Outstanding)
	fmt.Fprintf(&b, "Zxid: 0x%s\nMode: %s\n", javaHex(int64(last)), mode)
	// ZooKeeper keeps the root under both "" and "/".
	fmt.Fprintf(&b, "Node count: %d\n", nodes+1)
	if mode == "leader" {
		fmt.Fprintf(&b, "Proposal sizes last/min/max: %s\n", st.Proposals)
	}
	return b.String()
}

// cons: every connection in full, then a blank line.
func (s *Server) cons() string {
	var b strings.Builder
	for _, c := range s.Connections() {
		writeConnection(&b, c, false)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.String()
}

// writeConnection is ServerCnxn.dumpConnectionInfo. The bracket holds the
// NIO interest set: reading (1) for a connection that waits for requests,
// none (0) for the four-letter word being answered. A connection without a
// session gets the brief form whatever brief says.
func writeConnection(b *strings.Builder, c ConnStats, brief bool) {
	ops := "1"
	if c.FourLetter {
		ops = "0"
	}
	fmt.Fprintf(b, " %s[%s](queued=%d,recved=%d,sent=%d", javaAddr(c.Remote), ops, c.Outstanding, c.Received, c.Sent)
	if !brief && c.Session != 0 {
		fmt.Fprintf(b, ",sid=0x%s,lop=%s,est=%d,to=%d", javaHex(c.Session), c.LastOp,
			c.Established.UnixMilli(), c.Timeout.Milliseconds())
		if c.LastCxid >= 0 {
			fmt.Fprintf(b, ",lcxid=0x%s", javaHex(c.LastCxid))
		}
		var lresp int64
		if !c.LastReply.IsZero() {
			lresp = elapsedMs(c.LastReply)
		}
		var avg time.Duration
		if c.Latency.Count > 0 {
			avg = c.Latency.Sum / time.Duration(c.Latency.Count)
		}
		fmt.Fprintf(b, ",lzxid=0x%s,lresp=%d,llat=%d,minlat=%d,avglat=%d,maxlat=%d", javaHex(c.LastZxid), lresp,
			c.LastLatency.Milliseconds(), c.Latency.Min.Milliseconds(), avg.Milliseconds(), c.Latency.Max.Milliseconds())
	}
	b.WriteByte(')')
}

// wchs, wchc and wchp: the data watch manager only, as in ZooKeeper.
func (s *Server) wchs() string {
	sum := s.WatchSummary()
	return fmt.Sprintf("%d connections watching %d paths\nTotal watches:%d\n", sum.Connections, sum.Paths, sum.Watches)
}

func (s *Server) wchc() string {
	var b strings.Builder
	for _, sp := range s.WatchesBySession() {
		fmt.Fprintf(&b, "0x%s\n", javaHex(sp.Session))
		for _, p := range sp.Paths {
			fmt.Fprintf(&b, "\t%s\n", p)
		}
	}
	b.WriteByte('\n')
	return b.String()
}

func (s *Server) wchp() string {
	var b strings.Builder
	for _, ps := range s.WatchesByPath() {
		fmt.Fprintf(&b, "%s\n", ps.Path)
		for _, id := range ps.Sessions {
			fmt.Fprintf(&b, "\t0x%s\n", javaHex(id))
		}
	}
	b.WriteByte('\n')
	return b.String()
}
