package event

import (
	"testing"
	"time"
)

func TestEventString(t *testing.T) {
	tests := []struct {
		ev   Event
		want string
	}{
		{Event{Seq: 42, Kind: KindRaftRPC, Member: "n1", RPC: RPC{Type: AppendEntries, From: "n1", To: "n3", Term: 2,
			First: 6, Last: 8, Entries: 3, Commit: 5, Outcome: OutcomeDelivered, OK: true, ReplyTerm: 2}},
			"#42 n1->n3 AppendEntries T2 idx 6..8 commit=5 => ok"},
		{Event{Seq: 1, Kind: KindRaftRPC, RPC: RPC{Type: AppendEntries, From: "n1", To: "n3", Term: 2,
			First: 6, Last: 6, Entries: 1, Commit: 5, Outcome: OutcomeHeld}},
			"#1 n1->n3 AppendEntries T2 idx 6 commit=5 => held"},
		{Event{Seq: 2, Kind: KindRaftRPC, RPC: RPC{Type: AppendEntries, From: "n1", To: "n2", Term: 4,
			Commit: 9, Outcome: OutcomeDelivered, OK: false, ReplyTerm: 5}},
			"#2 n1->n2 AppendEntries T4 commit=9 => rejected T5"},
		{Event{Seq: 3, Kind: KindRaftRPC, RPC: RPC{Type: Heartbeat, From: "n1", To: "n2", Term: 2,
			Delay: 200 * time.Millisecond, Outcome: OutcomeCut}},
			"#3 n1->n2 Heartbeat T2 +200ms => cut"},
		{Event{Seq: 4, Kind: KindRaftRPC, RPC: RPC{Type: PreVote, From: "n2", To: "n1", Term: 3,
			LogIndex: 7, LogTerm: 2, Outcome: OutcomeDelivered, ReplyTerm: 2}},
			"#4 n2->n1 PreVote T3 log=7/2 => denied"},
		{Event{Seq: 5, Kind: KindRaftRPC, RPC: RPC{Type: RequestVote, From: "n2", To: "n3", Term: 3,
			LogIndex: 7, LogTerm: 2, Outcome: OutcomeDelivered, OK: true, ReplyTerm: 3}},
			"#5 n2->n3 RequestVote T3 log=7/2 => granted"},
		{Event{Seq: 6, Kind: KindRaftRPC, RPC: RPC{Type: InstallSnapshot, From: "n1", To: "n2", Term: 2,
			LogIndex: 12, LogTerm: 2, Size: 2048, Outcome: OutcomeError, Err: "i/o timeout"}},
			"#6 n1->n2 InstallSnapshot T2 snap=12/2 size=2048 => error: i/o timeout"},
		{Event{Seq: 7, Kind: KindRaftRPC, RPC: RPC{Type: TimeoutNow, From: "n1", To: "n2",
			Outcome: OutcomeDelivered}},
			"#7 n1->n2 TimeoutNow => ok"},
		{Event{Seq: 8, Kind: KindRaftRPC, RPC: RPC{Type: Heartbeat, From: "n1", To: "n2", Term: 2,
			Outcome: OutcomeDropped}},
			"#8 n1->n2 Heartbeat T2 => dropped"},
		{Event{Seq: 9, Kind: KindRaftState, Member: "n2", State: StateChange{From: "follower", To: "candidate", Term: 3}},
			"#9 n2 follower->candidate T3"},
		{Event{Seq: 10, Kind: KindLeaderChange, Member: "n1", Leader: LeaderChange{Leader: "n3", Term: 4}},
			"#10 n1 leader=n3 T4"},
		{Event{Seq: 11, Kind: KindLeaderChange, Member: "n1", Leader: LeaderChange{Term: 4}},
			"#11 n1 leader=none T4"},
		{Event{Seq: 12, Kind: KindApplied, Member: "n1", Applied: Applied{Zxid: 2<<32 | 0x1e, Index: 7, Op: "create", Path: "/a"}},
			"#12 n1 applied 0x2_0000001e create /a idx 7"},
		{Event{Seq: 13, Kind: KindSession, Member: "n2", Session: Session{ID: 7, Change: SessionCreated,
			Timeout: 10 * time.Second, Client: "127.0.0.1:5123"}},
			"#13 n2 session s7 created timeout=10s client=127.0.0.1:5123"},
		{Event{Seq: 14, Kind: KindWatchFired, Watch: Watch{Type: "NodeDeleted", Path: "/lock/l-0000000003", Sessions: []int64{7}}},
			"#14 NodeDeleted /lock/l-0000000003 -> 1 watcher (s7)"},
		{Event{Seq: 15, Kind: KindWatchFired, Member: "n1", Watch: Watch{Type: "NodeChildrenChanged", Path: "/lock",
			Sessions: []int64{7, 0x1a}}},
			"#15 n1 NodeChildrenChanged /lock -> 2 watchers (s7 s1a)"},
		{Event{Seq: 16, Kind: KindWatchFired, Watch: Watch{Type: "NodeCreated", Path: "/x"}},
			"#16 NodeCreated /x -> 0 watchers"},
		{Event{Seq: 17, Kind: KindFault, Fault: Fault{From: "n1", To: "n2", Desc: "cut"}},
			"#17 fault n1->n2 cut"},
		{Event{Seq: 18, Kind: KindFault, Fault: Fault{To: "n1", Conn: 3, Client: "s7", Desc: "frozen"}},
			"#18 fault conn#3 s7->n1 frozen"},
		{Event{Seq: 19, Kind: KindMember, Member: "n2", Lifecycle: Lifecycle{Change: MemberCrashed}},
			"#19 n2 crashed"},
		{Event{Seq: 20, Kind: KindLog, Member: "n1", Log: Log{Level: "WARN", Name: "raft", Msg: "failed to heartbeat", Args: "peer=n2"}},
			"#20 n1 WARN raft: failed to heartbeat peer=n2"},
		{Event{Seq: 21}, "#21 kind(0)"},
	}
	for _, tt := range tests {
		if got := tt.ev.String(); got != tt.want {
			t.Errorf("String()\n got %q\nwant %q", got, tt.want)
		}
	}
}

func TestFormatZxid(t *testing.T) {
	tests := []struct {
		z    uint64
		want string
	}{
		{0, "0x0_00000000"},
		{2<<32 | 0x1e, "0x2_0000001e"},
		{0xabc<<32 | 0xffffffff, "0xabc_ffffffff"},
	}
	for _, tt := range tests {
		if got := FormatZxid(tt.z); got != tt.want {
			t.Errorf("FormatZxid(%#x) = %q, want %q", tt.z, got, tt.want)
		}
	}
}
