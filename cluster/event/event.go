package event

import "time"

// Event is one observation. It is a plain value: copying it copies
// everything but the backing array of Watch.Sessions, which producers must
// not modify after publishing. Exactly one payload, the one named by Kind,
// is meaningful; the others are zero and left out of the JSON form.
type Event struct {
	Seq    uint64    `json:"seq"`              // set by Bus.Publish; strictly increasing per Bus
	Time   time.Time `json:"time"`             // set by Bus.Publish unless the producer set it
	Kind   Kind      `json:"kind"`             // which payload is filled in
	Member string    `json:"member,omitempty"` // the reporting member, e.g. "n1"

	State     StateChange  `json:"state,omitzero"`
	Leader    LeaderChange `json:"leader,omitzero"`
	RPC       RPC          `json:"rpc,omitzero"`
	Applied   Applied      `json:"applied,omitzero"`
	Session   Session      `json:"session,omitzero"`
	Watch     Watch        `json:"watch,omitzero"`
	Fault     Fault        `json:"fault,omitzero"`
	Lifecycle Lifecycle    `json:"lifecycle,omitzero"`
	Log       Log          `json:"log,omitzero"`
}

// StateChange is a member's raft role change. Roles are lower case:
// "follower", "candidate", "leader", "shutdown".
type StateChange struct {
	From string `json:"from"`
	To   string `json:"to"`
	Term uint64 `json:"term"`
}

// LeaderChange is a member learning who leads. Leader is "" when the member
// knows of no leader.
type LeaderChange struct {
	Leader string `json:"leader"`
	Term   uint64 `json:"term"`
}

// RPCType names a raft RPC as the console shows it. Heartbeat is an
// AppendEntries that carries nothing but the leader's term, which raft sends
// on its own fast path.
type RPCType string

// The raft RPCs.
const (
	AppendEntries   RPCType = "AppendEntries"
	Heartbeat       RPCType = "Heartbeat"
	RequestVote     RPCType = "RequestVote"
	PreVote         RPCType = "PreVote"
	InstallSnapshot RPCType = "InstallSnapshot"
	TimeoutNow      RPCType = "TimeoutNow"
)

// Outcome is what became of one RPC.
type Outcome string

// The outcomes. Held is reported when an RPC is queued on a held link; the
// same RPC is reported again with its final outcome once it proceeds.
const (
	OutcomeDelivered Outcome = "delivered" // sent and answered; OK and ReplyTerm hold the answer
	OutcomeCut       Outcome = "cut"       // refused by a cut link, or its answer lost to one
	OutcomeDropped   Outcome = "dropped"   // lost on a lossy link
	OutcomeHeld      Outcome = "held"      // queued on a held link
	OutcomeError     Outcome = "error"     // the real network or the receiver failed; see Err
)

// RPC is one raft RPC from one member to another.
type RPC struct {
	Type      RPCType       `json:"type"`
	From      string        `json:"from"`
	To        string        `json:"to"`
	Term      uint64        `json:"term"`
	LogIndex  uint64        `json:"log_index,omitempty"`  // prev entry (appends), last entry (votes, snapshots)
	LogTerm   uint64        `json:"log_term,omitempty"`   // term of LogIndex
	First     uint64        `json:"first,omitempty"`      // index of the first entry carried
	Last      uint64        `json:"last,omitempty"`       // index of the last entry carried
	Entries   int           `json:"entries,omitempty"`    // number of entries carried
	Commit    uint64        `json:"commit,omitempty"`     // leader's commit index
	Size      int64         `json:"size,omitempty"`       // snapshot bytes (InstallSnapshot)
	Outcome   Outcome       `json:"outcome"`              // what became of it
	OK        bool          `json:"ok,omitempty"`         // success or vote granted, when delivered
	ReplyTerm uint64        `json:"reply_term,omitempty"` // the receiver's term, when delivered
	Delay     time.Duration `json:"delay_ns,omitempty"`   // injected delay before sending
	Pipelined bool          `json:"pipelined,omitempty"`  // sent on raft's AppendEntries pipeline
	Err       string        `json:"error,omitempty"`      // why it failed
}

// Applied is a transaction applied to a member's tree.
type Applied struct {
	Zxid    uint64 `json:"zxid"`              // epoch<<32 | counter
	Index   uint64 `json:"index"`             // raft log index of the entry that carried it
	Op      string `json:"op,omitempty"`      // e.g. "create", "setData", "closeSession"
	Path    string `json:"path,omitempty"`    // the znode, if the op has one
	Session int64  `json:"session,omitempty"` // the session that asked; 0 for the ensemble itself
	Err     string `json:"err,omitempty"`     // ZooKeeper's error name ("NODEEXISTS") when the txn failed
}

// SessionChange is what happened to a session.
type SessionChange string

// The session changes.
const (
	SessionCreated      SessionChange = "created"
	SessionClosed       SessionChange = "closed"
	SessionExpired      SessionChange = "expired"
	SessionConnected    SessionChange = "connected"
	SessionDisconnected SessionChange = "disconnected"
)

// Session is a change to a client session.
type Session struct {
	ID      int64         `json:"id"`
	Change  SessionChange `json:"change"`
	Timeout time.Duration `json:"timeout_ns,omitempty"` // negotiated timeout, when known
	Client  string        `json:"client,omitempty"`     // client address, when known
}

// Watch is one change firing watches. Type is ZooKeeper's event type name
// ("NodeCreated", "NodeDeleted", "NodeDataChanged", "NodeChildrenChanged").
type Watch struct {
	Type     string  `json:"type"`
	Path     string  `json:"path"`
	Sessions []int64 `json:"sessions,omitempty"` // the sessions notified, ascending
}

// Fault is a change in injected faults: on the raft link From->To, or on the
// client connection Conn to member To. Desc is the new state or the action
// in the fault layer's words ("cut", "delay=200ms loss=30%", "ok", "frozen").
type Fault struct {
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Conn   uint64 `json:"conn,omitempty"`
	Client string `json:"client,omitempty"`
	Desc   string `json:"desc"`
}

// LifecycleChange is what happened to a member.
type LifecycleChange string

// The member lifecycle changes.
const (
	MemberCrashed   LifecycleChange = "crashed"
	MemberRestarted LifecycleChange = "restarted"
	MemberAdded     LifecycleChange = "added"
	MemberRemoved   LifecycleChange = "removed"
)

// Lifecycle is a member crashing, restarting, joining or leaving; the member
// is Event.Member.
type Lifecycle struct {
	Change LifecycleChange `json:"change"`
}

// Log is one line of raft's logger. Args are the structured key/value pairs
// already rendered as "k=v k=v".
type Log struct {
	Level string `json:"level"`
	Name  string `json:"name,omitempty"`
	Msg   string `json:"msg"`
	Args  string `json:"args,omitempty"`
}
