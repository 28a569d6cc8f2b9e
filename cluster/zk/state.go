package zk

import "fmt"

// State is the client's view of its connection and session, named as
// Curator names them.
type State int32

const (
	// StateConnecting: no session yet; the first handshake is under way.
	StateConnecting State = iota
	// StateConnected: a session over a live connection.
	StateConnected
	// StateConnectedReadOnly: connected to a server that serves reads only.
	StateConnectedReadOnly
	// StateSuspended: the connection was lost; the session may still be
	// alive and the client is reconnecting. Requests already sent failed
	// with ErrConnectionLoss; new ones wait for the reconnect.
	StateSuspended
	// StateExpired: the server reported the session gone (Curator's LOST).
	// Ephemerals and watches are gone; the Client is finished and a new
	// one must be connected.
	StateExpired
	// StateClosed: Close was called.
	StateClosed
)

func (s State) String() string {
	switch s {
	case StateConnecting:
		return "Connecting"
	case StateConnected:
		return "Connected"
	case StateConnectedReadOnly:
		return "ConnectedReadOnly"
	case StateSuspended:
		return "Suspended"
	case StateExpired:
		return "Expired"
	case StateClosed:
		return "Closed"
	}
	return fmt.Sprintf("State(%d)", int32(s))
}

// connected reports whether requests can flow.
func (s State) connected() bool { return s == StateConnected || s == StateConnectedReadOnly }

// StateEvent is one state change.
type StateEvent struct {
	State     State
	Previous  State
	SessionID int64
	Server    string // address of the server, when connected
	Err       error  // why the connection or session was lost, if known
}

func (e StateEvent) String() string {
	s := fmt.Sprintf("%v -> %v session=%#x", e.Previous, e.State, e.SessionID)
	if e.Server != "" {
		s += " server=" + e.Server
	}
	if e.Err != nil {
		s += " err=" + e.Err.Error()
	}
	return s
}

// WatchEvent is delivered to a watch. For server events Type, State
// (KeeperSyncConnected) and Path (client path, chroot stripped) come from
// the notification. Client-made events: EventNone with KeeperDisconnected
// or KeeperSyncConnected tells a persistent watch that the connection was
// lost or re-established (events in between may be missed); the
// *WatchRemoved types follow a RemoveWatches; EventNotWatching with Err
// (ErrSessionExpired or ErrClosing) is the last event of a watch that ended
// without firing.
type WatchEvent struct {
	Type  EventType
	State KeeperState
	Path  string
	Err   error
}

func (e WatchEvent) String() string {
	s := e.Type.String()
	if e.Path != "" {
		s += " " + e.Path
	}
	if e.State != KeeperSyncConnected {
		s += " " + e.State.String()
	}
	if e.Err != nil {
		s += " err=" + e.Err.Error()
	}
	return s
}
