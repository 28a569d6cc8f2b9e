package tree

import "strconv"

// OpType is a ZooKeeper opcode (ZooDefs.OpCode).
type OpType int32

// ZooKeeper's opcodes.
const (
	OpCreate               OpType = 1
	OpDelete               OpType = 2
	OpExists               OpType = 3
	OpGetData              OpType = 4
	OpSetData              OpType = 5
	OpGetACL               OpType = 6
	OpSetACL               OpType = 7
	OpGetChildren          OpType = 8
	OpSync                 OpType = 9
	OpPing                 OpType = 11
	OpGetChildren2         OpType = 12
	OpCheck                OpType = 13
	OpMulti                OpType = 14
	OpCreate2              OpType = 15
	OpReconfig             OpType = 16
	OpCheckWatches         OpType = 17
	OpRemoveWatches        OpType = 18
	OpCreateContainer      OpType = 19
	OpDeleteContainer      OpType = 20
	OpCreateTTL            OpType = 21
	OpMultiRead            OpType = 22
	OpAuth                 OpType = 100
	OpSetWatches           OpType = 101
	OpSASL                 OpType = 102
	OpGetEphemerals        OpType = 103
	OpGetAllChildrenNumber OpType = 104
	OpSetWatches2          OpType = 105
	OpAddWatch             OpType = 106
	OpWhoAmI               OpType = 107
	OpCreateSession        OpType = -10
	OpCloseSession         OpType = -11
	OpError                OpType = -1
)

var opNames = map[OpType]string{
	0: "notification", OpCreate: "create", OpDelete: "delete", OpExists: "exists",
	OpGetData: "getData", OpSetData: "setData", OpGetACL: "getACL", OpSetACL: "setACL",
	OpGetChildren: "getChildren", OpSync: "sync", OpPing: "ping", OpGetChildren2: "getChildren2",
	OpCheck: "check", OpMulti: "multi", OpCreate2: "create2", OpReconfig: "reconfig",
	OpCheckWatches: "checkWatches", OpRemoveWatches: "removeWatches",
	OpCreateContainer: "createContainer", OpDeleteContainer: "deleteContainer",
	OpCreateTTL: "createTTL", OpMultiRead: "multiRead", OpAuth: "auth",
	OpSetWatches: "setWatches", OpSASL: "sasl", OpGetEphemerals: "getEphemerals",
	OpGetAllChildrenNumber: "getAllChildrenNumber", OpSetWatches2: "setWatches2",
	OpAddWatch: "addWatch", OpWhoAmI: "whoAmI", OpCreateSession: "createSession",
	OpCloseSession: "closeSession", OpError: "error",
}

// String gives ZooKeeper's name (Request.op2String), e.g. "setData", or
// "unknown N".
func (o OpType) String() string {
	if s, ok := opNames[o]; ok {
		return s
	}
	return "unknown " + strconv.Itoa(int(o))
}

// Op is one request to the state machine. It is flat: each type uses only the
// fields listed here and ignores the rest.
//
//	create, create2, createContainer: Path, Data, ACL, Flags
//	createTTL:                        Path, Data, ACL, Flags, TTL
//	delete, check:                    Path, Version
//	setData:                          Path, Data, Version
//	setACL:                           Path, ACL, Version (matched against aversion)
//	deleteContainer:                  Path
//	reconfig:                         Data (the new /zookeeper/config content)
//	multi:                            Ops (create*, delete, setData, check)
//	multiRead (MultiRead only):       Ops (getData, getChildren; Path each)
//	createSession:                    SessionID, Timeout, Password
//	closeSession:                     SessionID (0 = the Txn's Session)
//	error:                            nothing
//
// Version -1 matches any version. Flags are the raw flags the client sent;
// Apply validates them.
type Op struct {
	Type      OpType
	Path      string
	Data      []byte
	ACL       []ACL
	Flags     CreateMode
	TTL       int64
	Version   int32
	Ops       []Op
	SessionID int64
	Timeout   int32
	Password  []byte
}

// Txn is one replicated write: everything Apply needs, so that every replica
// computes the same result from it alone.
type Txn struct {
	Zxid    Zxid  // assigned by the cluster before Apply; must exceed the tree's LastZxid
	Time    int64 // ms since the epoch on the proposer's clock: ctime, mtime, TTL expiry
	Session int64 // the caller's session; 0 = the ensemble itself (sweeps, reconfig)
	Auth    []ID  // the caller's authenticated ids (ip, digest, super)
	Op      Op
}

// EventType is a watch event type as it goes on the wire.
type EventType int32

// The event types the server sends.
const (
	EventNodeCreated         EventType = 1
	EventNodeDeleted         EventType = 2
	EventNodeDataChanged     EventType = 3
	EventNodeChildrenChanged EventType = 4
)

// String gives ZooKeeper's name, e.g. "NodeDataChanged".
func (e EventType) String() string {
	switch e {
	case EventNodeCreated:
		return "NodeCreated"
	case EventNodeDeleted:
		return "NodeDeleted"
	case EventNodeDataChanged:
		return "NodeDataChanged"
	case EventNodeChildrenChanged:
		return "NodeChildrenChanged"
	}
	return "EventType(" + strconv.Itoa(int(e)) + ")"
}

// Change is one watch-visible effect of a write. ACL is the ACL of the node
// the event is about (for NodeChildrenChanged, the parent's), so that watch
// delivery can drop events for watchers without READ; it is shared with the
// tree and must not be modified.
type Change struct {
	Type EventType
	Path string
	ACL  []ACL
}

// String gives one line, e.g. "NodeCreated /a".
func (c Change) String() string { return c.Type.String() + " " + c.Path }

// OpResult is one op's outcome inside a multi or multiRead.
//
// In a successful multi, Type is the result record type ZooKeeper 3.9 sends:
// OpCreate (Path) for create, OpCreate2 (Path, Stat) for create2,
// createContainer and createTTL, OpDelete, OpSetData (Stat) and OpCheck. In a
// failed multi every entry has Type OpError: OK for the ops before the
// failing one, its code for the failing op, ErrRuntimeInconsistency after it.
// In a multiRead, OpGetData carries Data and Stat, OpGetChildren carries
// Children, and a failed read is OpError with its code.
type OpResult struct {
	Type     OpType
	Err      Code
	Path     string
	Stat     Stat
	Data     []byte
	Children []string
}

// Result is what Apply did with one Txn.
type Result struct {
	Err     Code       // OK, or the failing code (for a failed multi, the failing op's)
	Path    string     // create*: the path actually created (with its sequence suffix)
	Stat    Stat       // create*, setData, setACL, reconfig: the node's new stat
	Results []OpResult // multi: one per op, shaped as ZooKeeper answers (see OpResult)
	Changes []Change   // watch-visible changes in order; empty when Err != OK
}
