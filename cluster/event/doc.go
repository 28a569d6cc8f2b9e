// Package event is coordtui's stream of typed observations: raft state and
// leadership changes, every raft RPC between members, applied transactions,
// sessions, fired watches, injected faults, member lifecycle and raft's own
// log lines. Producers publish into a Bus; the console, the admin API and the
// tests subscribe.
//
// The package imports only the standard library and never blocks a producer:
// a subscriber that does not keep up loses events and sees the loss in its
// drop counter, so observation cannot slow the ensemble (DESIGN.md, key
// decision 6).
//
// # JSON schema
//
// The admin API streams events as JSON objects, one per line. Every object has
// the header fields
//
//	seq     number   strictly increasing per Bus, starting at 1
//	time    string   RFC 3339 with nanoseconds, when the event was published
//	kind    string   one of the Kind names below
//	member  string   the member that reported it ("n1"); absent if none
//
// and exactly one payload object, named after the kind. Absent fields are
// zero. Durations are integers in nanoseconds (keys ending in _ns).
//
//	kind "raft_state"    "state":     {"from","to": "follower"|"candidate"|"leader"|"shutdown", "term"}
//	kind "leader_change" "leader":    {"leader": member or "" for none, "term"}
//	kind "raft_rpc"      "rpc":       {"type": "AppendEntries"|"Heartbeat"|"RequestVote"|"PreVote"|
//	                                            "InstallSnapshot"|"TimeoutNow",
//	                                   "from", "to", "term", "log_index", "log_term",
//	                                   "first", "last", "entries", "commit", "size",
//	                                   "outcome": "delivered"|"cut"|"dropped"|"held"|"error",
//	                                   "ok", "reply_term", "delay_ns", "pipelined", "error"}
//	kind "applied"       "applied":   {"zxid", "index", "op", "path", "session", "err"}
//	kind "session"       "session":   {"id", "change": "created"|"closed"|"expired"|"connected"|
//	                                            "disconnected", "timeout_ns", "client"}
//	kind "watch_fired"   "watch":     {"type", "path", "sessions": [id, ...]}
//	kind "fault"         "fault":     {"from", "to", "conn", "client", "desc"}
//	kind "member"        "lifecycle": {"change": "crashed"|"restarted"|"added"|"removed"}
//	kind "log"           "log":       {"level", "name", "msg", "args"}
//
// An RPC event's "log_index"/"log_term" is the entry before the new ones for
// AppendEntries, the candidate's last entry for votes, and the last entry the
// snapshot covers for InstallSnapshot; "first".."last" is the index range of
// the entries carried (both zero when none).
package event
