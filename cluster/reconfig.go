package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/tree"
)

const msgReconfig byte = 4 // body: joining "\x00" leaving; answered by msgResult

// ErrConfigVersion: a reconfig named a config version that is not current.
var ErrConfigVersion = errors.New("cluster: config version is not current")

// Config returns the members listed in /zookeeper/config and its version
// (-1 while none was published).
func (n *Node) Config() ([]MemberConfig, int64, error) {
	var data []byte
	n.View(func(t *tree.Tree) { data, _, _ = t.Get("/zookeeper/config", nil) })
	return parseConfig(data)
}

// PublishConfig writes members to /zookeeper/config through the log.
// Curator rewrites its connection string from this node, so a caller must
// list every member with its client address or not publish at all.
func (n *Node) PublishConfig(ctx context.Context, members []MemberConfig) error {
	a, err := n.Write(ctx, 0, nil, tree.Op{Type: tree.OpReconfig, Path: "/zookeeper/config", Data: formatConfig(members)})
	if err != nil {
		return err
	}
	if a.Result.Err != tree.OK {
		return a.Result.Err
	}
	return nil
}

// Reconfigure changes the raft membership as ZooKeeper's incremental
// reconfig does — joining lines (server.N=host:port:port:role;client) are
// added as voters or observers, leaving ids removed — and publishes the new
// /zookeeper/config. fromVersion, unless -1, must be the current config
// version. On a follower the change is forwarded to the leader; it returns
// once this member has applied the new config.
func (n *Node) Reconfigure(ctx context.Context, joining []MemberConfig, leaving []uint64, fromVersion int64) error {
	if fromVersion != -1 {
		if _, v, err := n.Config(); err != nil || v != fromVersion {
			return ErrConfigVersion
		}
	}
	for {
		err := n.reconfigureOnLeader(ctx, joining, leaving)
		if !refused(err) {
			if err != nil {
				return err
			}
			return n.Sync(ctx)
		}
		// The leader handed over (it was leaving) or is being elected.
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (n *Node) reconfigureOnLeader(ctx context.Context, joining []MemberConfig, leaving []uint64) error {
	addr, lid := n.raft.LeaderWithID()
	switch {
	case lid == "":
		return ErrNoLeader
	case lid == n.id:
		return n.reconfigureLocal(ctx, joining, leaving)
	}
	if err := n.deliver(MemberID(lid)); err != nil {
		return fmt.Errorf("%w: %v", ErrLeaderUnreachable, err)
	}
	return n.peer(string(addr)).call(ctx, msgReconfig, encodeReconfig(joining, leaving))
}

func encodeReconfig(joining []MemberConfig, leaving []uint64) []byte {
	var js, ls []string
	for _, m := range joining {
		js = append(js, m.String())
	}
	for _, id := range leaving {
		ls = append(ls, strconv.FormatUint(id, 10))
	}
	return []byte(strings.Join(js, ",") + "\x00" + strings.Join(ls, ","))
}

func decodeReconfig(b []byte) (joining []MemberConfig, leaving []uint64, err error) {
	j, l, ok := strings.Cut(string(b), "\x00")
	if !ok {
		return nil, nil, errBadEntry
	}
	return ParseReconfig(j, l)
}

// ParseReconfig reads reconfig's joining (comma-separated server lines) and
// leaving (comma-separated ids) strings.
func ParseReconfig(joining, leaving string) ([]MemberConfig, []uint64, error) {
	var js []MemberConfig
	for _, line := range strings.Split(joining, ",") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		m, err := ParseMemberConfig(line)
		if err != nil {
			return nil, nil, err
		}
		js = append(js, m)
	}
	var ls []uint64
	for _, s := range strings.Split(leaving, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseUint(s, 10, 8)
		if err != nil || id == 0 {
			return nil, nil, fmt.Errorf("cluster: leaving member %q", s)
		}
		ls = append(ls, id)
	}
	return js, ls, nil
}

// reconfigureLocal runs on the leader: raft first, then the config node.
func (n *Node) reconfigureLocal(ctx context.Context, joining []MemberConfig, leaving []uint64) error {
	if n.raft.State() != raft.Leader {
		return ErrNotLeader
	}
	if slices.Contains(leaving, n.cfg.ID) {
		// A leader that removed itself would no longer hear who leads
		// next, so it could not publish the config: it hands over first
		// and the caller retries on the new leader.
		if err := raftError(n.raft.LeadershipTransfer().Error()); err != nil {
			return err
		}
		return ErrNotLeader
	}
	current, _, err := n.Config()
	if err != nil {
		return err
	}
	timeout := timeoutOf(ctx)
	for _, id := range leaving {
		if err := raftError(n.raft.RemoveServer(ServerID(id), 0, timeout).Error()); err != nil {
			return fmt.Errorf("cluster: removing n%d: %w", id, err)
		}
		current = slices.DeleteFunc(current, func(m MemberConfig) bool { return m.ID == id })
	}
	for _, m := range joining {
		var f raft.IndexFuture
		if m.Observer {
			f = n.raft.AddNonvoter(ServerID(m.ID), raft.ServerAddress(m.PeerAddr), 0, timeout)
		} else {
			f = n.raft.AddVoter(ServerID(m.ID), raft.ServerAddress(m.PeerAddr), 0, timeout)
		}
		if err := raftError(f.Error()); err != nil {
			return fmt.Errorf("cluster: adding n%d: %w", m.ID, err)
		}
		current = slices.DeleteFunc(current, func(c MemberConfig) bool { return c.ID == m.ID })
		current = append(current, m)
	}
	return n.PublishConfig(ctx, current)
}
