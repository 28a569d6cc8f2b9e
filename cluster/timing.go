package cluster

import (
	"time"

	"github.com/hashicorp/raft"
)

// Timing is a raft timing profile. Failover time is roughly Heartbeat (to
// notice the leader is gone) plus Election (to win a vote); the profile is
// a trade between that and spurious elections on a busy machine.
type Timing struct {
	Name        string
	Heartbeat   time.Duration
	Election    time.Duration
	LeaderLease time.Duration
	// Commit is raft's CommitTimeout: an idle leader sends each follower
	// an empty append this often. Followers learn a commit at once anyway
	// (Node.nudge), so it only has to be short enough to be a backstop;
	// at 5 ms three idle members exchanged ~300 RPC/s.
	Commit time.Duration

	MaxAppendEntries  int
	SnapshotThreshold uint64        // log entries between snapshots
	SnapshotInterval  time.Duration // how often raft checks the threshold
	TrailingLogs      uint64        // entries kept behind a snapshot for slow followers
	SnapshotRetain    int           // snapshot files kept on disk
}

var (
	// EmbeddedTiming is for the in-process ensemble on loopback: a leader
	// kill must not stall writes for long, so a class sees elections happen.
	EmbeddedTiming = Timing{Name: "embedded", Heartbeat: 150 * time.Millisecond, Election: 150 * time.Millisecond,
		LeaderLease: 75 * time.Millisecond, Commit: 50 * time.Millisecond, MaxAppendEntries: 512,
		SnapshotThreshold: 8192, SnapshotInterval: 10 * time.Second, TrailingLogs: 10240, SnapshotRetain: 2}

	// ServerTiming is hashicorp/raft's patient default, for members on
	// separate machines.
	ServerTiming = Timing{Name: "server", Heartbeat: time.Second, Election: time.Second,
		LeaderLease: 500 * time.Millisecond, Commit: 50 * time.Millisecond, MaxAppendEntries: 512,
		SnapshotThreshold: 8192, SnapshotInterval: 2 * time.Minute, TrailingLogs: 10240, SnapshotRetain: 2}

	// TestTiming is patient enough that `go test -race` on two shared cores
	// never sees a spurious election, yet fast enough for failover tests.
	TestTiming = Timing{Name: "test", Heartbeat: 400 * time.Millisecond, Election: 400 * time.Millisecond,
		LeaderLease: 200 * time.Millisecond, Commit: 50 * time.Millisecond, MaxAppendEntries: 512,
		SnapshotThreshold: 8192, SnapshotInterval: 5 * time.Second, TrailingLogs: 10240, SnapshotRetain: 2}
)

func (t Timing) raftConfig(id raft.ServerID) *raft.Config {
	c := raft.DefaultConfig()
	c.LocalID = id
	c.HeartbeatTimeout = t.Heartbeat
	c.ElectionTimeout = t.Election
	c.LeaderLeaseTimeout = t.LeaderLease
	c.CommitTimeout = t.Commit
	c.MaxAppendEntries = t.MaxAppendEntries
	c.BatchApplyCh = true
	c.SnapshotThreshold = t.SnapshotThreshold
	c.SnapshotInterval = t.SnapshotInterval
	c.TrailingLogs = t.TrailingLogs
	c.ShutdownOnRemove = false
	return c
}

// Scaled stretches every timeout by f (slow motion in the console), keeping
// the commit timeout and the snapshot settings.
func (t Timing) Scaled(f float64) Timing {
	s := t
	s.Heartbeat = time.Duration(float64(t.Heartbeat) * f)
	s.Election = time.Duration(float64(t.Election) * f)
	s.LeaderLease = time.Duration(float64(t.LeaderLease) * f)
	return s
}
