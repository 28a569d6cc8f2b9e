package event

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// The admin API's schema, pinned: header fields, the kind by name, one
// payload object, zero fields left out.
func TestJSONSchema(t *testing.T) {
	ev := Event{Seq: 42, Time: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC), Kind: KindRaftRPC, Member: "n1",
		RPC: RPC{Type: AppendEntries, From: "n1", To: "n3", Term: 2, LogIndex: 5, LogTerm: 2,
			First: 6, Last: 8, Entries: 3, Commit: 5, Outcome: OutcomeDelivered, OK: true, ReplyTerm: 2,
			Delay: 200 * time.Millisecond}}
	got, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"seq":42,"time":"2025-01-02T03:04:05.000000006Z","kind":"raft_rpc","member":"n1",` +
		`"rpc":{"type":"AppendEntries","from":"n1","to":"n3","term":2,"log_index":5,"log_term":2,` +
		`"first":6,"last":8,"entries":3,"commit":5,"outcome":"delivered","ok":true,"reply_term":2,` +
		`"delay_ns":200000000}}`
	if string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	events := []Event{
		{Kind: KindRaftState, Member: "n2", State: StateChange{From: "follower", To: "candidate", Term: 3}},
		{Kind: KindLeaderChange, Member: "n1", Leader: LeaderChange{Leader: "n3", Term: 4}},
		{Kind: KindRaftRPC, RPC: RPC{Type: Heartbeat, From: "n1", To: "n2", Term: 2, Outcome: OutcomeCut, Err: "link cut"}},
		{Kind: KindApplied, Member: "n1", Applied: Applied{Zxid: 2<<32 | 1, Index: 7, Op: "create", Path: "/a"}},
		{Kind: KindSession, Member: "n1", Session: Session{ID: -5, Change: SessionExpired, Timeout: time.Second}},
		{Kind: KindWatchFired, Watch: Watch{Type: "NodeDeleted", Path: "/a", Sessions: []int64{1, 2}}},
		{Kind: KindFault, Fault: Fault{To: "n1", Conn: 9, Client: "s3", Desc: "cut"}},
		{Kind: KindMember, Member: "n3", Lifecycle: Lifecycle{Change: MemberRestarted}},
		{Kind: KindLog, Member: "n1", Log: Log{Level: "INFO", Name: "raft", Msg: "entering follower state", Args: "term=1"}},
	}
	for i, ev := range events {
		ev.Seq, ev.Time = uint64(i+1), at
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("%v: %v", ev.Kind, err)
		}
		// Exactly the header plus the one payload, so a reader can dispatch on
		// the key as well as on "kind".
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(b, &keys); err != nil {
			t.Fatal(err)
		}
		want := 4
		if ev.Member == "" {
			want = 3
		}
		if len(keys) != want+1 {
			t.Errorf("%v: %d keys in %s, want header + 1 payload", ev.Kind, len(keys), b)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%v: %v", ev.Kind, err)
		}
		if !reflect.DeepEqual(back, ev) {
			t.Errorf("round trip of %s\n got %+v\nwant %+v", b, back, ev)
		}
	}
}

func TestJSONRejectsUnknownKind(t *testing.T) {
	if _, err := json.Marshal(Event{Seq: 1}); err == nil {
		t.Error("marshalling the zero Kind succeeded")
	}
	var ev Event
	if err := json.Unmarshal([]byte(`{"seq":1,"kind":"gossip"}`), &ev); err == nil {
		t.Error("unmarshalling an unknown kind succeeded")
	}
}
