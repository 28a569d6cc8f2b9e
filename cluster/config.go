package cluster

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// MemberConfig is one member as ZooKeeper's dynamic configuration
// (/zookeeper/config) lists it. coordtui's single peer port carries both
// of ZooKeeper's quorum and election ports, so it appears twice.
type MemberConfig struct {
	ID         uint64
	PeerAddr   string
	Observer   bool
	ClientAddr string
}

// String renders the member as a config line:
// server.1=127.0.0.1:7001:7001:participant;127.0.0.1:2181
func (m MemberConfig) String() string {
	host, port, _ := net.SplitHostPort(m.PeerAddr)
	role := "participant"
	if m.Observer {
		role = "observer"
	}
	return fmt.Sprintf("server.%d=%s:%s:%s:%s;%s", m.ID, host, port, port, role, m.ClientAddr)
}

// ParseMemberConfig reads one "server.N=host:port:port[:role][;client]"
// line, as ZooKeeper's reconfig takes it.
func ParseMemberConfig(line string) (MemberConfig, error) {
	var m MemberConfig
	key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
	if !ok || !strings.HasPrefix(key, "server.") {
		return m, fmt.Errorf("cluster: config line %q: want server.N=host:port:port[:role][;client]", line)
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(key, "server."), 10, 8)
	if err != nil || id == 0 {
		return m, fmt.Errorf("cluster: config line %q: member id must be 1..255", line)
	}
	m.ID = id
	peer, client, _ := strings.Cut(val, ";")
	parts := strings.Split(peer, ":")
	if len(parts) < 3 || len(parts) > 4 {
		return m, fmt.Errorf("cluster: config line %q: want host:port:port[:role]", line)
	}
	m.PeerAddr = net.JoinHostPort(parts[0], parts[1])
	if len(parts) == 4 {
		switch parts[3] {
		case "participant":
		case "observer":
			m.Observer = true
		default:
			return m, fmt.Errorf("cluster: config line %q: role %q", line, parts[3])
		}
	}
	if client != "" && !strings.Contains(client, ":") {
		client = "0.0.0.0:" + client // ZooKeeper allows a bare client port
	}
	m.ClientAddr = client
	return m, nil
}

// formatConfig renders members in id order. The FSM appends the version
// line (the zxid of the reconfig, in hex, as ZooKeeper writes it).
func formatConfig(ms []MemberConfig) []byte {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b MemberConfig) int { return int(a.ID) - int(b.ID) })
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.String())
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// parseConfig reads the member lines of a /zookeeper/config text and its
// version (-1 when absent).
func parseConfig(text []byte) ([]MemberConfig, int64, error) {
	var ms []MemberConfig
	version := int64(-1)
	for _, line := range strings.Split(string(text), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "version="):
			v, err := strconv.ParseInt(strings.TrimPrefix(line, "version="), 16, 64)
			if err != nil {
				return nil, -1, fmt.Errorf("cluster: config version %q", line)
			}
			version = v
		default:
			m, err := ParseMemberConfig(line)
			if err != nil {
				return nil, -1, err
			}
			ms = append(ms, m)
		}
	}
	return ms, version, nil
}
