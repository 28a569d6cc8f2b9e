package event

import (
	"fmt"
	"strconv"
	"strings"
)

// String describes the event in one stable line, the one the console and
// the transcripts print: "#42 n1->n3 AppendEntries T2 idx 6..8 commit=5 => ok".
func (e Event) String() string {
	return "#" + strconv.FormatUint(e.Seq, 10) + " " + e.Body()
}

// Body is String without the sequence number, for transcripts that must not
// depend on how many events other goroutines published in between.
func (e Event) Body() string {
	switch e.Kind {
	case KindRaftState:
		return fmt.Sprintf("%s %s->%s T%d", e.Member, e.State.From, e.State.To, e.State.Term)
	case KindLeaderChange:
		leader := e.Leader.Leader
		if leader == "" {
			leader = "none"
		}
		return fmt.Sprintf("%s leader=%s T%d", e.Member, leader, e.Leader.Term)
	case KindRaftRPC:
		return e.RPC.String()
	case KindApplied:
		return prefixed(e.Member, e.Applied.String())
	case KindSession:
		return prefixed(e.Member, e.Session.String())
	case KindWatchFired:
		return prefixed(e.Member, e.Watch.String())
	case KindFault:
		return e.Fault.String()
	case KindMember:
		return prefixed(e.Member, string(e.Lifecycle.Change))
	case KindLog:
		return prefixed(e.Member, e.Log.String())
	default:
		return e.Kind.String()
	}
}

func prefixed(member, s string) string {
	if member == "" {
		return s
	}
	return member + " " + s
}

// String: "n1->n3 AppendEntries T2 idx 6..8 commit=5 => ok",
// "n2->n1 PreVote T3 log=7/2 => denied", "n1->n2 Heartbeat T2 +200ms => cut".
func (r RPC) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s->%s %s", r.From, r.To, r.Type)
	if r.Term > 0 { // TimeoutNow carries no term
		fmt.Fprintf(&b, " T%d", r.Term)
	}
	switch r.Type {
	case AppendEntries:
		if r.Entries > 0 {
			if r.First == r.Last {
				fmt.Fprintf(&b, " idx %d", r.First)
			} else {
				fmt.Fprintf(&b, " idx %d..%d", r.First, r.Last)
			}
		}
		fmt.Fprintf(&b, " commit=%d", r.Commit)
	case RequestVote, PreVote:
		fmt.Fprintf(&b, " log=%d/%d", r.LogIndex, r.LogTerm)
	case InstallSnapshot:
		fmt.Fprintf(&b, " snap=%d/%d size=%d", r.LogIndex, r.LogTerm, r.Size)
	}
	if r.Delay > 0 {
		fmt.Fprintf(&b, " +%s", r.Delay)
	}
	b.WriteString(" => ")
	b.WriteString(r.result())
	return b.String()
}

func (r RPC) result() string {
	switch r.Outcome {
	case OutcomeDelivered:
		var s string
		switch {
		case r.Type == TimeoutNow:
			s = "ok"
		case r.Type == RequestVote || r.Type == PreVote:
			s = pick(r.OK, "granted", "denied")
		default:
			s = pick(r.OK, "ok", "rejected")
		}
		if r.ReplyTerm > r.Term {
			s += fmt.Sprintf(" T%d", r.ReplyTerm)
		}
		return s
	case OutcomeError:
		return "error: " + r.Err
	default:
		return string(r.Outcome)
	}
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// String: "applied 0x2_0000001e create /a idx 7".
func (a Applied) String() string {
	s := "applied " + FormatZxid(a.Zxid)
	if a.Op != "" {
		s += " " + a.Op
	}
	if a.Path != "" {
		s += " " + a.Path
	}
	if a.Session != 0 {
		s += " " + FormatSession(a.Session)
	}
	if a.Err != "" {
		s += " -> " + a.Err
	}
	return s + " idx " + strconv.FormatUint(a.Index, 10)
}

// FormatZxid prints a zxid as epoch and counter, "0x2_0000001e", the way the
// console shows it.
func FormatZxid(z uint64) string {
	return fmt.Sprintf("0x%x_%08x", z>>32, z&0xffffffff)
}

// FormatSession names a session the way the console does: "s" and its id in
// hex, as ZooKeeper prints session ids.
func FormatSession(id int64) string {
	return "s" + strconv.FormatUint(uint64(id), 16)
}

// String: "session s7 created timeout=10s client=127.0.0.1:5123".
func (s Session) String() string {
	out := "session " + FormatSession(s.ID) + " " + string(s.Change)
	if s.Timeout > 0 {
		out += " timeout=" + s.Timeout.String()
	}
	if s.Client != "" {
		out += " client=" + s.Client
	}
	return out
}

// String: "NodeDeleted /lock/l-0000000003 -> 1 watcher (s7)".
func (w Watch) String() string {
	n := len(w.Sessions)
	s := fmt.Sprintf("%s %s -> %d %s", w.Type, w.Path, n, pick(n == 1, "watcher", "watchers"))
	if n == 0 {
		return s
	}
	names := make([]string, n)
	for i, id := range w.Sessions {
		names[i] = FormatSession(id)
	}
	return s + " (" + strings.Join(names, " ") + ")"
}

// String: "fault n1->n2 cut", or for a client connection
// "fault conn#3 s7->n1 frozen".
func (f Fault) String() string {
	if f.Conn != 0 {
		client := f.Client
		if client == "" {
			client = "?"
		}
		return fmt.Sprintf("fault conn#%d %s->%s %s", f.Conn, client, f.To, f.Desc)
	}
	return fmt.Sprintf("fault %s->%s %s", f.From, f.To, f.Desc)
}

// String: "WARN raft: failed to heartbeat peer=n2".
func (l Log) String() string {
	s := l.Level
	if l.Name != "" {
		s += " " + l.Name + ":"
	}
	s += " " + l.Msg
	if l.Args != "" {
		s += " " + l.Args
	}
	return s
}
