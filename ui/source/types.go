package source

import (
	"fmt"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/recipes/worker"
	"coordtui/tree"
)

// Member is one member as the console shows it. Fields a data source
// cannot know are zero; HasRaft says whether the raft ones are known.
type Member struct {
	ID         uint64 // 1..255 for an embedded member; the position in the host list when attached
	Name       string // "n1", or host:port when attached
	Addr       string // peer address (embedded)
	ClientAddr string // ZooKeeper client address
	Up         bool
	Role       string // leader, follower, candidate, observer, standalone, down, unknown

	HasRaft      bool
	Term         uint64
	Leader       uint64 // the leader this member knows of (0: none)
	LastIndex    uint64
	CommitIndex  uint64
	AppliedIndex uint64
	LastContact  time.Duration // since the leader was last heard; 0 on the leader

	Serving       bool
	LastZxid      tree.Zxid
	Znodes        int
	Sessions      int
	Connections   int64
	Watches       int
	Requests      uint64 // every request this member took
	Reads         uint64 // exists, getData, getChildren(2): the herd's follow-up reads
	Notifications uint64 // watch events sent
	Note          string // e.g. "mntr not whitelisted"
}

// Session is one ZooKeeper session.
type Session struct {
	ID         int64
	Timeout    time.Duration
	Ephemerals int
	Watches    int       // watches its connection holds, when known (-1: unknown)
	LastHeard  time.Time // known on the leader only
	Expires    time.Time
	Member     string // the member the session is connected to, when known
}

// Snapshot is a copied picture of the ensemble at one moment.
type Snapshot struct {
	Taken      time.Time
	Mode       string // "embedded", "attached" or "scripted"
	ConnString string
	ReadOnly   bool // the console may not write (attached without --write)
	Members    []Member
	Sessions   []Session
	HasMatrix  bool
	Matrix     faultnet.Matrix
	Workers    []worker.Info
	Speed      float64     // slow-motion factor, 1 normal
	Step       bool        // step mode: every raft message is held
	StepNote   string      // what step mode does to the timeouts, in words
	NetNote    string      // a warning about the network, in words
	Held       int         // raft messages waiting in step mode
	Queue      []event.RPC // the first of them, in the order step releases them
	Notes      []string
}

// LeaderMember returns the member that leads (a standalone server leads
// itself), if any.
func (s Snapshot) LeaderMember() (Member, bool) {
	for _, m := range s.Members {
		if m.Up && (m.Role == "leader" || m.Role == "standalone") {
			return m, true
		}
	}
	return Member{}, false
}

// Child is one child znode as the tree pane lists it.
type Child struct {
	Name        string
	Path        string
	NumChildren int32
	DataLength  int32
	Owner       int64 // ephemeral owner session, 0 if none
	Sequential  bool
	Container   bool
	TTL         int64 // ms; 0 for none
	Mzxid       tree.Zxid
	Pzxid       tree.Zxid
}

// ShortSession names a session in a few cells: ZooKeeper ids are 16 hex
// digits whose top byte names the member that made it and whose low bits
// count, so "s1a…0003" keeps what tells sessions apart. Short ids are
// shown whole.
func ShortSession(id int64) string {
	h := fmt.Sprintf("%x", uint64(id))
	if len(h) <= 8 {
		return "s" + h
	}
	return "s" + h[:2] + "…" + h[len(h)-4:]
}

// Badges are the node's kinds in short words: "ephemeral s1a2b",
// "sequential", "container", "ttl 5s".
func (c Child) Badges() []string {
	var b []string
	if c.Owner != 0 {
		b = append(b, "E "+ShortSession(c.Owner))
	}
	if c.Sequential {
		b = append(b, "SEQ")
	}
	if c.Container {
		b = append(b, "CONT")
	}
	if c.TTL > 0 {
		b = append(b, "TTL "+(time.Duration(c.TTL)*time.Millisecond).String())
	}
	return b
}

// Detail is one znode in full.
type Detail struct {
	Path   string
	Data   []byte
	Stat   tree.Stat
	ACL    []string
	Mode   string // e.g. "EPHEMERAL", "CONTAINER", "PERSISTENT_WITH_TTL"; "" when unknown
	TTL    int64  // ms
	Member string // which member's tree it was read from
}
