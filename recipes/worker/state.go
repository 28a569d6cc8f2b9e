package worker

import (
	"fmt"
	"time"

	"coordtui/cluster/zk"
)

// State is a worker's session as its own client sees it.
type State string

// The client-side states, in the words Curator uses.
const (
	Connecting State = "connecting" // no session yet
	Connected  State = "connected"  // a session over a live connection
	Suspended  State = "suspended"  // connection lost; the session may live, the client reconnects
	Expired    State = "expired"    // the server said the session is gone (Curator's LOST)
	Closed     State = "closed"     // stopped (cleanly or by a crash)
)

func stateOf(s zk.State) State {
	switch s {
	case zk.StateConnected, zk.StateConnectedReadOnly:
		return Connected
	case zk.StateSuspended:
		return Suspended
	case zk.StateExpired:
		return Expired
	case zk.StateClosed:
		return Closed
	}
	return Connecting
}

// Info is a copied snapshot of one worker.
type Info struct {
	ID       int    // 1, 2, ... in start order; never reused by a Pool
	Name     string // "w1"
	Path     string // its ephemeral znode, e.g. "/workers/w1" ("" until registered)
	Session  int64  // 0 until the first handshake
	Timeout  time.Duration
	Server   string // address of the member it is connected to, "" when not connected
	State    State
	Frozen   bool // paused: sends and reads nothing (a GC pause)
	Crashed  bool // dropped without closeSession; its session lives until it expires
	Expiring bool // frozen until the ensemble expires its session
	Since    time.Time
	Err      string // the last failure, e.g. why registering failed
}

// String describes the worker in one stable line:
// "w1 s1000000001 connected /workers/w1 frozen".
func (i Info) String() string {
	s := fmt.Sprintf("%s s%x %s", i.Name, i.Session, i.State)
	if i.Path != "" {
		s += " " + i.Path
	}
	switch {
	case i.Expiring:
		s += " expiring"
	case i.Frozen:
		s += " frozen"
	}
	if i.Crashed {
		s += " crashed"
	}
	if i.Err != "" {
		s += " err=" + i.Err
	}
	return s
}

// Change is one worker's state changing, as subscribers receive it.
type Change struct {
	Info     Info  // the worker after the change
	Previous State // its state before
}

// String: "w1 connected -> suspended".
func (c Change) String() string {
	s := fmt.Sprintf("%s %s -> %s", c.Info.Name, c.Previous, c.Info.State)
	switch {
	case c.Info.Expiring:
		s += " (expiring)"
	case c.Info.Frozen:
		s += " (frozen)"
	case c.Info.Crashed:
		s += " (crashed)"
	}
	return s
}
