package cluster

import (
	"fmt"
	"strings"

	"coordtui/tree"
)

// conf in ZooKeeper's layout: ZooKeeperServer.dumpConf, then the quorum
// part of QuorumZooKeeperServer.dumpConf that has a raft counterpart (the
// one peer port stands for both election and quorum ports; initLimit,
// syncLimit and electionAlg have none and are left out).
func (s *Server) conf() string {
	c := s.Conf()
	var b strings.Builder
	fmt.Fprintf(&b, "clientPort=%d\nsecureClientPort=-1\n", portOf(c.ClientAddr))
	fmt.Fprintf(&b, "dataDir=%s\ndataDirSize=%d\ndataLogDir=%s\ndataLogSize=%d\n", c.DataDir, c.DataDirSize, c.DataLogDir, c.DataLogSize)
	fmt.Fprintf(&b, "tickTime=%d\nmaxClientCnxns=0\n", c.TickTime.Milliseconds())
	fmt.Fprintf(&b, "minSessionTimeout=%d\nmaxSessionTimeout=%d\n", c.MinSessionTimeout.Milliseconds(), c.MaxSessionTimeout.Milliseconds())
	fmt.Fprintf(&b, "clientPortListenBacklog=-1\nserverId=%d\n", c.ServerID)
	peerType := 0
	if c.Observer {
		peerType = 1
	}
	fmt.Fprintf(&b, "electionPort=%d\nquorumPort=%d\npeerType=%d\n", portOf(c.PeerAddr), portOf(c.PeerAddr), peerType)
	b.WriteString("membership: \n")
	b.WriteString(c.Membership)
	return b.String()
}

func (s *Server) envi() string {
	var b strings.Builder
	b.WriteString("Environment:\n")
	for _, kv := range s.Environment() {
		fmt.Fprintf(&b, "%s=%s\n", kv.Key, kv.Value)
	}
	return b.String()
}

func (s *Server) dirs() string {
	data, log := s.dirSizes()
	return fmt.Sprintf("datadir_size: %d\nlogdir_size: %d\n", data, log)
}

// mntr: one "zk_<key>\t<value>" line per value; coordtui's own keys keep
// their "coordtui_" prefix.
func (s *Server) mntr() string {
	var b strings.Builder
	for _, v := range s.Monitor() {
		if !strings.HasPrefix(v.Key, "coordtui_") {
			b.WriteString("zk_")
		}
		b.WriteString(v.Key)
		b.WriteByte('\t')
		b.WriteString(MonitorText(v.Value))
		b.WriteByte('\n')
	}
	return b.String()
}

// MonitorText renders a MonitorValue's value as mntr prints it: integers
// in decimal, floats as Java doubles ("0.0", "1.4407"), strings as they
// are.
func MonitorText(v any) string {
	switch x := v.(type) {
	case int64:
		return itoa(x)
	case float64:
		return javaDouble(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// hash is ZooKeeper's digest log. coordtui keeps no history of digests,
// only the current one, so it prints one line: "<zxid in hex>: <digest>",
// the digest as the signed long Java would print.
func (s *Server) hash() string {
	var z tree.Zxid
	var d uint64
	s.n.View(func(t *tree.Tree) { z, d = t.LastZxid(), t.Digest() })
	return fmt.Sprintf("%s: %d\n", javaHex(int64(z)), int64(d))
}
