package admin

import (
	"net"
	"strconv"
	"strings"
	"time"

	"coordtui/cluster"
	"coordtui/tree"
)

// The bodies of the commands, with ZooKeeper 3.8's JSON keys. Keys whose
// values coordtui cannot know (fsync thresholds, TLS counts, the JVM) are
// left out rather than filled with invented values.

func ms(d time.Duration) int64 { return d.Milliseconds() }

func sizes(b cluster.SizeStats) object {
	return object{{"last_buffer_size", b.Last}, {"min_buffer_size", b.Min}, {"max_buffer_size", b.Max}}
}

// serverStats is srvr: the version, the server's statistics and the node
// count (ZooKeeper counts the root twice).
func serverStats(s *cluster.Server, resp *object) {
	st := s.Stats()
	mode, _ := s.Mode()
	conf := s.Conf()
	var last tree.Zxid
	var nodes int
	s.Node().View(func(t *tree.Tree) { last, nodes = t.LastZxid(), t.NodeCount() })
	resp.put("version", st.Version)
	resp.put("read_only", false)
	resp.put("server_stats", object{
		{"packets_sent", st.Sent}, {"packets_received", st.Received},
		{"client_response_stats", sizes(st.Responses)},
		{"data_dir_size", conf.DataDirSize}, {"log_dir_size", conf.DataLogSize},
		{"server_state", mode}, {"last_processed_zxid", int64(last)},
		{"outstanding_requests", st.Outstanding}, {"avg_latency", st.Latency.AvgMillis()},
		{"max_latency", ms(st.Latency.Max)}, {"min_latency", ms(st.Latency.Min)},
		{"num_alive_client_connections", st.Connections}, {"uptime", ms(time.Since(st.Started))},
	})
	resp.put("client_response", sizes(st.Responses))
	if mode == "leader" {
		resp.put("proposal_stats", sizes(st.Proposals))
	}
	resp.put("node_count", nodes+1)
}

// stats is srvr plus every connection in brief.
func stats(s *cluster.Server, resp *object) string {
	serverStats(s, resp)
	resp.put("connections", connInfos(s.Connections(), true))
	resp.put("secure_connections", []object{})
	return ""
}

func connections(s *cluster.Server, resp *object) string {
	resp.put("connections", connInfos(s.Connections(), false))
	resp.put("secure_connections", []object{})
	return ""
}

// connInfos is ServerCnxn.getConnectionInfo for each connection. Times are
// milliseconds: established since the epoch, last_response_time on the
// member's elapsed clock (cluster.ElapsedMillis), 0 when none.
func connInfos(conns []cluster.ConnStats, brief bool) []object {
	out := make([]object, 0, len(conns))
	for _, c := range conns {
		interest := 1
		if c.FourLetter {
			interest = 0
		}
		o := object{{"remote_socket_address", c.Remote}, {"interest_ops", interest},
			{"outstanding_requests", c.Outstanding}, {"packets_received", c.Received}, {"packets_sent", c.Sent}}
		if !brief {
			var lresp, avg int64
			if !c.LastReply.IsZero() {
				lresp = cluster.ElapsedMillis(c.LastReply)
			}
			if c.Latency.Count > 0 {
				avg = ms(c.Latency.Avg())
			}
			o = append(o, object{{"session_id", c.Session}, {"last_operation", c.LastOp},
				{"established", c.Established.UnixMilli()}, {"session_timeout", ms(c.Timeout)},
				{"last_cxid", c.LastCxid}, {"last_zxid", c.LastZxid}, {"last_response_time", lresp},
				{"last_latency", ms(c.LastLatency)}, {"min_latency", ms(c.Latency.Min)},
				{"avg_latency", avg}, {"max_latency", ms(c.Latency.Max)}}...)
		}
		out = append(out, o)
	}
	return out
}

func configuration(s *cluster.Server, resp *object) string {
	c := s.Conf()
	port, _ := strconv.Atoi(portOf(c.ClientAddr))
	*resp = append(*resp, object{{"client_port", port}, {"data_dir", c.DataDir}, {"data_log_dir", c.DataLogDir},
		{"tick_time", ms(c.TickTime)}, {"max_client_cnxns", 0}, {"min_session_timeout", ms(c.MinSessionTimeout)},
		{"max_session_timeout", ms(c.MaxSessionTimeout)}, {"server_id", c.ServerID},
		{"client_port_listen_backlog", -1}}...)
	return ""
}

func dirs(s *cluster.Server, resp *object) string {
	c := s.Conf()
	resp.put("datadir_size", c.DataDirSize)
	resp.put("logdir_size", c.DataLogSize)
	return ""
}

// dump: the leader's expiry buckets, keyed by the member's elapsed clock
// as ZooKeeper keys them (followers track no expiry and list none), and
// the ephemerals by session.
func dump(s *cluster.Server, resp *object) string {
	var expiry object
	for _, b := range s.SessionExpiry() {
		expiry.put(strconv.FormatInt(cluster.ElapsedMillis(b.At), 10), b.Sessions)
	}
	var eph object
	for _, sp := range s.EphemeralsBySession() {
		eph.put(strconv.FormatInt(sp.Session, 10), sp.Paths)
	}
	resp.put("expiry_time_to_session_ids", nonNilObject(expiry))
	resp.put("session_id_to_ephemeral_paths", nonNilObject(eph))
	return ""
}

func environment(s *cluster.Server, resp *object) string {
	for _, kv := range s.Environment() {
		resp.put(kv.Key, kv.Value)
	}
	return ""
}

func traceMask(s *cluster.Server, resp *object) string {
	text, err := s.FourLetter("gtmk")
	if err != nil {
		return err.Error()
	}
	mask, _ := strconv.ParseInt(text, 10, 64)
	resp.put("tracemask", mask)
	return ""
}

// digests is hash: coordtui keeps no digest history, only the current
// digest, as a signed long the way Java holds it.
func digests(s *cluster.Server, resp *object) string {
	var z tree.Zxid
	var d uint64
	s.Node().View(func(t *tree.Tree) { z, d = t.LastZxid(), t.Digest() })
	resp.put("digests", []object{{{"zxid", int64(z)}, {"digest", int64(d)}}})
	return ""
}

func leader(s *cluster.Server, resp *object) string {
	st := s.Node().Status()
	resp.put("is_leader", st.Role == "leader")
	id, ip := int64(-1), ""
	if st.Leader != 0 {
		id = int64(st.Leader)
		if peers, err := s.Node().Members(); err == nil {
			for _, p := range peers {
				if p.ID == st.Leader {
					ip, _, _ = net.SplitHostPort(p.Addr)
				}
			}
		}
	}
	resp.put("leader_id", id)
	resp.put("leader_ip", ip)
	return ""
}

// votingView lists the voting members as ZooKeeper's QuorumServer prints
// them, "host:quorumPort:electionPort:participant;clientHost:clientPort";
// coordtui's one peer port is both. Client addresses come from the
// ensemble, or else from /zookeeper/config when it names them.
func (h *Handler) votingView(s *cluster.Server, resp *object) string {
	peers, err := s.Node().Members()
	if err != nil {
		return err.Error()
	}
	clients := clientAddrs(s.Conf().Membership)
	if e := h.cfg.Ensemble; e != nil {
		for _, p := range peers {
			if a := e.ClientAddr(p.ID); a != "" {
				clients[p.ID] = a
			}
		}
	}
	var view object
	for _, p := range peers {
		if p.NonVoter {
			continue
		}
		host, port, _ := net.SplitHostPort(p.Addr)
		v := host + ":" + port + ":" + port + ":participant"
		if c := clients[p.ID]; c != "" {
			v += ";" + c
		}
		view.put(strconv.FormatUint(p.ID, 10), v)
	}
	resp.put("current_config", nonNilObject(view))
	return ""
}

// clientAddrs reads the client addresses out of dynamic configuration
// lines, "server.1=host:port:port:participant;host:port".
func clientAddrs(membership string) map[uint64]string {
	out := map[uint64]string{}
	for _, line := range strings.Split(membership, "\n") {
		key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
		id, err := strconv.ParseUint(strings.TrimPrefix(key, "server."), 10, 8)
		if !ok || err != nil || !strings.HasPrefix(key, "server.") {
			continue
		}
		if _, client, ok := strings.Cut(val, ";"); ok {
			out[id] = client
		}
	}
	return out
}

func watchSummary(s *cluster.Server, resp *object) string {
	sum := s.WatchSummary()
	resp.put("num_connections", sum.Connections)
	resp.put("num_paths", sum.Paths)
	resp.put("num_total_watches", sum.Watches)
	return ""
}

func watches(s *cluster.Server, resp *object) string {
	var m object
	for _, sp := range s.WatchesBySession() {
		m.put(strconv.FormatInt(sp.Session, 10), sp.Paths)
	}
	resp.put("session_id_to_watched_paths", nonNilObject(m))
	return ""
}

func watchesByPath(s *cluster.Server, resp *object) string {
	var m object
	for _, ps := range s.WatchesByPath() {
		m.put(ps.Path, ps.Sessions)
	}
	resp.put("path_to_session_ids", nonNilObject(m))
	return ""
}

// monitor is mntr without the "zk_" prefix; coordtui's own keys keep
// theirs.
func monitor(s *cluster.Server, resp *object) string {
	for _, v := range s.Monitor() {
		resp.put(v.Key, v.Value)
	}
	return ""
}

func nonNilObject(o object) object {
	if o == nil {
		return object{}
	}
	return o
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
