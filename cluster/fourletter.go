package cluster

import (
	"fmt"
	"net"
	"slices"
	"time"
)

// fourLetter answers a four-letter word and closes, as ZooKeeper does. Only
// whitelisted words are answered.
func (s *Server) fourLetter(nc net.Conn, word string) {
	_ = nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if !s.allowed(word) {
		fmt.Fprintf(nc, "%s is not executed because it is not in the whitelist.\n", word)
		return
	}
	switch word {
	case "ruok":
		fmt.Fprint(nc, "imok")
	default:
		fmt.Fprint(nc, s.srvr())
	}
}

func (s *Server) allowed(word string) bool {
	wl := s.cfg.FourLetterWords
	if len(wl) == 0 {
		return word == "srvr"
	}
	return slices.Contains(wl, "*") || slices.Contains(wl, word)
}

func (s *Server) srvr() string {
	st := s.n.Status()
	mode := st.Role
	if mode == "candidate" || mode == "down" {
		mode = "looking"
	}
	return fmt.Sprintf("Zookeeper version: 3.9.3-coordtui, built on 01/01/2026 00:00 UTC\n"+
		"Latency min/avg/max: 0/0.0/0\nReceived: %d\nSent: %d\nConnections: %d\nOutstanding: 0\n"+
		"Zxid: 0x%x\nMode: %s\nNode count: %d\n",
		s.n.counters.TotalRequests(), s.n.counters.TotalRequests(), st.Connections, int64(st.LastZxid), mode, st.Znodes+1)
}
