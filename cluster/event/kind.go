package event

import "fmt"

// Kind says which payload of an Event is filled in.
type Kind uint8

// The kinds of event. The zero Kind is invalid so that a forgotten Kind is
// caught by String and by JSON encoding rather than read as a raft state.
const (
	KindRaftState    Kind = iota + 1 // a member's raft role changed; payload State
	KindLeaderChange                 // a member learned of a new leader (or none); payload Leader
	KindRaftRPC                      // one raft RPC between members; payload RPC
	KindApplied                      // a transaction was applied to a member's tree; payload Applied
	KindSession                      // a client session changed; payload Session
	KindWatchFired                   // a change triggered watches; payload Watch
	KindFault                        // a link, member or connection fault changed; payload Fault
	KindMember                       // a member crashed, restarted, joined or left; payload Lifecycle
	KindLog                          // a line from raft's logger; payload Log
)

var kindNames = [...]string{
	KindRaftState:    "raft_state",
	KindLeaderChange: "leader_change",
	KindRaftRPC:      "raft_rpc",
	KindApplied:      "applied",
	KindSession:      "session",
	KindWatchFired:   "watch_fired",
	KindFault:        "fault",
	KindMember:       "member",
	KindLog:          "log",
}

// String returns the kind's JSON name, e.g. "raft_rpc".
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// MarshalText encodes the kind by name, so the JSON stream stays readable and
// survives renumbering. An unknown kind is an error, not a number.
func (k Kind) MarshalText() ([]byte, error) {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return []byte(kindNames[k]), nil
	}
	return nil, fmt.Errorf("event: unknown kind %d", uint8(k))
}

// UnmarshalText is the inverse of MarshalText.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, name := range kindNames {
		if name != "" && name == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("event: unknown kind %q", b)
}
