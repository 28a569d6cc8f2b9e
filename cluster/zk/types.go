package zk

import "fmt"

// OpCode is a request type (RequestHeader.Type) and a multi result type (§3.2).
type OpCode int32

// Opcodes of ZooDefs.OpCode.
const (
	OpNotification         OpCode = 0
	OpCreate               OpCode = 1
	OpDelete               OpCode = 2
	OpExists               OpCode = 3
	OpGetData              OpCode = 4
	OpSetData              OpCode = 5
	OpGetACL               OpCode = 6
	OpSetACL               OpCode = 7
	OpGetChildren          OpCode = 8
	OpSync                 OpCode = 9
	OpPing                 OpCode = 11
	OpGetChildren2         OpCode = 12
	OpCheck                OpCode = 13
	OpMulti                OpCode = 14
	OpCreate2              OpCode = 15
	OpReconfig             OpCode = 16
	OpCheckWatches         OpCode = 17
	OpRemoveWatches        OpCode = 18
	OpCreateContainer      OpCode = 19
	OpDeleteContainer      OpCode = 20
	OpCreateTTL            OpCode = 21
	OpMultiRead            OpCode = 22
	OpAuth                 OpCode = 100
	OpSetWatches           OpCode = 101
	OpSASL                 OpCode = 102
	OpGetEphemerals        OpCode = 103
	OpGetAllChildrenNumber OpCode = 104
	OpSetWatches2          OpCode = 105
	OpAddWatch             OpCode = 106
	OpWhoAmI               OpCode = 107
	OpCreateSession        OpCode = -10
	OpCloseSession         OpCode = -11
	OpError                OpCode = -1
)

var opNames = map[OpCode]string{
	OpNotification: "notification", OpCreate: "create", OpDelete: "delete",
	OpExists: "exists", OpGetData: "getData", OpSetData: "setData",
	OpGetACL: "getACL", OpSetACL: "setACL", OpGetChildren: "getChildren",
	OpSync: "sync", OpPing: "ping", OpGetChildren2: "getChildren2",
	OpCheck: "check", OpMulti: "multi", OpCreate2: "create2",
	OpReconfig: "reconfig", OpCheckWatches: "checkWatches",
	OpRemoveWatches: "removeWatches", OpCreateContainer: "createContainer",
	OpDeleteContainer: "deleteContainer", OpCreateTTL: "createTTL",
	OpMultiRead: "multiRead", OpAuth: "auth", OpSetWatches: "setWatches",
	OpSASL: "sasl", OpGetEphemerals: "getEphemerals",
	OpGetAllChildrenNumber: "getAllChildrenNumber", OpSetWatches2: "setWatches2",
	OpAddWatch: "addWatch", OpWhoAmI: "whoAmI", OpCreateSession: "createSession",
	OpCloseSession: "closeSession", OpError: "error",
}

func (o OpCode) String() string {
	if s, ok := opNames[o]; ok {
		return s
	}
	return fmt.Sprintf("op(%d)", int32(o))
}

// Special xids (§3.1).
const (
	XidNotification int32 = -1
	XidPing         int32 = -2
	XidAuth         int32 = -4
	XidSetWatches   int32 = -8
)

// EventType is WatcherEvent.Type (§3.9). EventNotWatching is this client's
// own: the last event of a watch that ended without firing, because the
// session expired or the client was closed.
type EventType int32

// Event types of Watcher.Event.EventType.
const (
	EventNotWatching            EventType = -2
	EventNone                   EventType = -1
	EventNodeCreated            EventType = 1
	EventNodeDeleted            EventType = 2
	EventNodeDataChanged        EventType = 3
	EventNodeChildrenChanged    EventType = 4
	EventDataWatchRemoved       EventType = 5
	EventChildWatchRemoved      EventType = 6
	EventPersistentWatchRemoved EventType = 7
)

var eventNames = map[EventType]string{
	EventNotWatching: "NotWatching", EventNone: "None",
	EventNodeCreated: "NodeCreated", EventNodeDeleted: "NodeDeleted",
	EventNodeDataChanged: "NodeDataChanged", EventNodeChildrenChanged: "NodeChildrenChanged",
	EventDataWatchRemoved: "DataWatchRemoved", EventChildWatchRemoved: "ChildWatchRemoved",
	EventPersistentWatchRemoved: "PersistentWatchRemoved",
}

func (e EventType) String() string {
	if s, ok := eventNames[e]; ok {
		return s
	}
	return fmt.Sprintf("EventType(%d)", int32(e))
}

// KeeperState is WatcherEvent.State (§3.9). Servers only ever send
// KeeperSyncConnected; the others are produced by clients.
type KeeperState int32

// States of Watcher.Event.KeeperState.
const (
	KeeperUnknown           KeeperState = -1
	KeeperDisconnected      KeeperState = 0
	KeeperNoSyncConnected   KeeperState = 1
	KeeperSyncConnected     KeeperState = 3
	KeeperAuthFailed        KeeperState = 4
	KeeperConnectedReadOnly KeeperState = 5
	KeeperSASLAuthenticated KeeperState = 6
	KeeperExpired           KeeperState = -112
	KeeperClosed            KeeperState = 7
)

var keeperNames = map[KeeperState]string{
	KeeperUnknown: "Unknown", KeeperDisconnected: "Disconnected",
	KeeperNoSyncConnected: "NoSyncConnected", KeeperSyncConnected: "SyncConnected",
	KeeperAuthFailed: "AuthFailed", KeeperConnectedReadOnly: "ConnectedReadOnly",
	KeeperSASLAuthenticated: "SaslAuthenticated", KeeperExpired: "Expired",
	KeeperClosed: "Closed",
}

func (s KeeperState) String() string {
	if n, ok := keeperNames[s]; ok {
		return n
	}
	return fmt.Sprintf("KeeperState(%d)", int32(s))
}

// AddWatchMode is AddWatchRequest.Mode.
type AddWatchMode int32

// Modes of AddWatchMode.
const (
	AddWatchPersistent          AddWatchMode = 0
	AddWatchPersistentRecursive AddWatchMode = 1
)

func (m AddWatchMode) String() string {
	switch m {
	case AddWatchPersistent:
		return "PERSISTENT"
	case AddWatchPersistentRecursive:
		return "PERSISTENT_RECURSIVE"
	}
	return fmt.Sprintf("AddWatchMode(%d)", int32(m))
}

// WatcherType is the type field of checkWatches and removeWatches. ZooKeeper
// 3.8 accepts only Children, Data and Any (persistent watches are removed
// with Any); 3.9 added Persistent and PersistentRecursive.
type WatcherType int32

// Types of Watcher.WatcherType.
const (
	WatcherChildren            WatcherType = 1
	WatcherData                WatcherType = 2
	WatcherAny                 WatcherType = 3
	WatcherPersistent          WatcherType = 4
	WatcherPersistentRecursive WatcherType = 5
)

func (w WatcherType) String() string {
	switch w {
	case WatcherChildren:
		return "Children"
	case WatcherData:
		return "Data"
	case WatcherAny:
		return "Any"
	case WatcherPersistent:
		return "Persistent"
	case WatcherPersistentRecursive:
		return "PersistentRecursive"
	}
	return fmt.Sprintf("WatcherType(%d)", int32(w))
}
