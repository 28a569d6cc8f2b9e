package zk

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

var (
	testStat = Stat{Czxid: 0x100000001, Mzxid: 2, Ctime: 1795314925953, Mtime: 1795314925954, Version: 5,
		Cversion: -1, Aversion: 7, EphemeralOwner: 0x1000009f33d0006, DataLength: 9, NumChildren: 10, Pzxid: 11}
	testACL = []ACL{
		{Perms: PermAll, ID: ID{Scheme: "world", ID: "anyone"}},
		{Perms: PermRead | PermAdmin, ID: ID{Scheme: "digest", ID: "alice:x"}},
	}
	testPasswd = []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
)

// recordCase is one record value and how to make an empty one to decode
// into (multi requests must know whether they are read or write multis).
type recordCase struct {
	name  string
	rec   Record
	empty func() Record
	// optionalTail is the number of trailing bytes whose absence is still a
	// valid record (ConnectRequest/Response's readOnly byte).
	optionalTail int
}

func (rc recordCase) newEmpty() Record {
	if rc.empty != nil {
		return rc.empty()
	}
	return reflect.New(reflect.TypeOf(rc.rec).Elem()).Interface().(Record)
}

// recordCases holds every record of §2.1, §3.4, §3.5 and §3.7, in both
// directions, with every field set to something non-default.
func recordCases() []recordCase {
	return []recordCase{
		{name: "ConnectRequest", rec: &ConnectRequest{LastZxidSeen: 0x1f, TimeOut: 10000, SessionID: 0x1000009f33d0006, Passwd: testPasswd, ReadOnly: true, HasReadOnly: true}, optionalTail: 1},
		{name: "ConnectRequest/without readOnly", rec: &ConnectRequest{TimeOut: 4000, Passwd: make([]byte, 16)}},
		{name: "ConnectResponse", rec: &ConnectResponse{TimeOut: 4000, SessionID: 0x1000006e7d10000, Passwd: testPasswd, ReadOnly: true, HasReadOnly: true}, optionalTail: 1},
		{name: "ConnectResponse/without readOnly", rec: &ConnectResponse{TimeOut: 4000, SessionID: 7, Passwd: testPasswd}},
		{name: "RequestHeader", rec: &RequestHeader{Xid: 77, Type: OpCreate2}},
		{name: "ReplyHeader", rec: &ReplyHeader{Xid: -1, Zxid: -1, Err: ErrNoNode}},
		{name: "Stat", rec: &Stat{Czxid: 1, Mzxid: 2, Ctime: 3, Mtime: 4, Version: 5, Cversion: 6, Aversion: 7, EphemeralOwner: 8, DataLength: 9, NumChildren: 10, Pzxid: 11}},
		{name: "ID", rec: &ID{Scheme: "ip", ID: "127.0.0.1/8"}},
		{name: "ACL", rec: &ACL{Perms: PermCreate | PermDelete, ID: ID{Scheme: "auth", ID: ""}}},
		{name: "ClientInfo", rec: &ClientInfo{AuthScheme: "digest", User: "alice"}},
		{name: "CreateRequest", rec: &CreateRequest{Path: "/a/b-", Data: []byte("data"), ACL: testACL, Flags: ModeEphemeralSequential}},
		{name: "CreateRequest/null data", rec: &CreateRequest{Path: "/a", ACL: testACL, Flags: ModeContainer}},
		{name: "CreateRequest/empty data", rec: &CreateRequest{Path: "/a", Data: []byte{}, ACL: testACL}},
		{name: "CreateTTLRequest", rec: &CreateTTLRequest{Path: "/ttl", Data: []byte{0}, ACL: testACL, Flags: ModePersistentWithTTL, TTL: MaxTTL}},
		{name: "PathResponse", rec: &PathResponse{Path: "/a/b-0000000003"}},
		{name: "Create2Response", rec: &Create2Response{Path: "/a", Stat: testStat}},
		{name: "DeleteRequest", rec: &DeleteRequest{Path: "/a", Version: -1}},
		{name: "CheckVersionRequest", rec: &CheckVersionRequest{Path: "/a", Version: 3}},
		{name: "PathWatchRequest", rec: &PathWatchRequest{Path: "/a", Watch: true}},
		{name: "PathRequest", rec: &PathRequest{Path: "/zookeeper/config"}},
		{name: "StatResponse", rec: &StatResponse{Stat: testStat}},
		{name: "GetDataResponse", rec: &GetDataResponse{Data: []byte("hello"), Stat: testStat}},
		{name: "GetDataResponse/null data", rec: &GetDataResponse{Stat: testStat}},
		{name: "SetDataRequest", rec: &SetDataRequest{Path: "/a", Data: []byte("x"), Version: 4}},
		{name: "GetACLResponse", rec: &GetACLResponse{ACL: testACL, Stat: testStat}},
		{name: "SetACLRequest", rec: &SetACLRequest{Path: "/a", ACL: testACL, Version: 2}},
		{name: "ChildrenResponse", rec: &ChildrenResponse{Children: []string{"a", "b", "ü"}}},
		{name: "ChildrenResponse/empty", rec: &ChildrenResponse{}},
		{name: "Children2Response", rec: &Children2Response{Children: []string{"x"}, Stat: testStat}},
		{name: "WatcherEvent", rec: &WatcherEvent{Type: EventNodeCreated, State: KeeperSyncConnected, Path: "/w"}},
		{name: "SetWatches", rec: &SetWatches{RelativeZxid: 0x27, DataWatches: []string{"/d"}, ExistWatches: []string{"/e1", "/e2"}, ChildWatches: []string{"/c"}}},
		{name: "SetWatches2", rec: &SetWatches2{RelativeZxid: 0x27, DataWatches: []string{"/d"}, ChildWatches: []string{"/c"}, PersistentWatches: []string{"/p"}, PersistentRecursiveWatches: []string{"/r", "/r2"}}},
		{name: "AddWatchRequest", rec: &AddWatchRequest{Path: "/r", Mode: AddWatchPersistentRecursive}},
		{name: "WatchesRequest", rec: &WatchesRequest{Path: "/r", Type: WatcherAny}},
		{name: "AuthPacket", rec: &AuthPacket{Scheme: "digest", Auth: []byte("alice:secret")}},
		{name: "ErrorResponse", rec: &ErrorResponse{Err: ErrNoWatcher}},
		{name: "ReconfigRequest", rec: &ReconfigRequest{JoiningServers: "server.4=h:2888:3888;2181", LeavingServers: "2", NewMembers: "", CurConfigID: -1}},
		{name: "GetAllChildrenNumberResponse", rec: &GetAllChildrenNumberResponse{TotalNumber: 4}},
		{name: "WhoAmIResponse", rec: &WhoAmIResponse{ClientInfo: []ClientInfo{{"ip", "127.0.0.1"}, {"digest", "alice"}}}},
		{name: "SASLRecord", rec: &SASLRecord{Token: []byte{0xde, 0xad}}},
		{name: "DeleteContainerRequest", rec: &DeleteContainerRequest{Path: []byte("/c")}},
		{name: "MultiHeader", rec: &MultiHeader{Type: OpError, Done: true, Err: -1}},
		{name: "MultiRequest", rec: &MultiRequest{Ops: []MultiOp{
			{OpCreate, &CreateRequest{Path: "/m", Data: []byte("1"), ACL: testACL, Flags: ModePersistent}},
			{OpCreate2, &CreateRequest{Path: "/m2", ACL: testACL}},
			{OpCreateContainer, &CreateRequest{Path: "/mc", ACL: testACL, Flags: ModeContainer}},
			{OpCreateTTL, &CreateTTLRequest{Path: "/mt", ACL: testACL, Flags: ModePersistentWithTTL, TTL: 1000}},
			{OpSetData, &SetDataRequest{Path: "/m", Data: []byte("2"), Version: 0}},
			{OpCheck, &CheckVersionRequest{Path: "/m", Version: 1}},
			{OpDelete, &DeleteRequest{Path: "/m", Version: 1}},
		}}},
		{name: "MultiRequest/empty", rec: &MultiRequest{}},
		{name: "MultiRequest/read", rec: &MultiRequest{Read: true, Ops: []MultiOp{
			{OpGetData, &GetDataRequest{Path: "/a"}},
			{OpGetChildren, &GetChildrenRequest{Path: "/"}},
		}}, empty: func() Record { return &MultiRequest{Read: true} }},
		{name: "MultiResponse", rec: &MultiResponse{Results: []MultiResult{
			{Type: OpCreate, Path: "/m"},
			{Type: OpCreate2, Path: "/m2", Stat: &testStat},
			{Type: OpCreateContainer, Path: "/mc", Stat: &testStat},
			{Type: OpCreateTTL, Path: "/mt", Stat: &testStat},
			{Type: OpSetData, Stat: &testStat},
			{Type: OpCheck},
			{Type: OpDelete},
			{Type: OpGetData, Data: []byte("d"), Stat: &testStat},
			{Type: OpGetChildren, Children: []string{"a", "b"}},
			{Type: OpError, Err: ErrNoNode},
		}}},
		{name: "MultiResponse/failed", rec: &MultiResponse{Results: []MultiResult{
			{Type: OpError, Err: OK}, {Type: OpError, Err: ErrBadVersion}, {Type: OpError, Err: ErrRuntimeInconsistency},
		}}},
	}
}

func TestRecordRoundTrip(t *testing.T) {
	for _, rc := range recordCases() {
		t.Run(rc.name, func(t *testing.T) {
			b := Marshal(rc.rec)
			got := rc.newEmpty()
			if err := Unmarshal(b, got); err != nil {
				t.Fatalf("decode % x: %v", b, err)
			}
			if !reflect.DeepEqual(got, rc.rec) {
				t.Fatalf("round trip changed the record\n got %#v\nwant %#v", got, rc.rec)
			}
			if again := Marshal(got); !bytes.Equal(again, b) {
				t.Fatalf("re-encoding differs\n got % x\nwant % x", again, b)
			}
		})
	}
}

// Every proper prefix of an encoded record is malformed, except that the
// optional readOnly byte may be missing.
func TestRecordTruncated(t *testing.T) {
	for _, rc := range recordCases() {
		t.Run(rc.name, func(t *testing.T) {
			b := Marshal(rc.rec)
			for n := 0; n < len(b); n++ {
				if n >= len(b)-rc.optionalTail {
					continue
				}
				err := Unmarshal(b[:n], rc.newEmpty())
				if !errors.Is(err, ErrMarshallingError) {
					t.Fatalf("prefix of %d/%d bytes: err = %v, want a marshalling error", n, len(b), err)
				}
			}
		})
	}
}

// Every opcode a client may send has a request record of the right shape,
// and DecodeRequest decodes what AppendFrame encodes.
func TestDecodeRequestEveryOpcode(t *testing.T) {
	cases := []struct {
		op   OpCode
		body Record
	}{
		{OpCreate, &CreateRequest{Path: "/a", ACL: testACL}},
		{OpCreate2, &CreateRequest{Path: "/a", ACL: testACL}},
		{OpCreateContainer, &CreateRequest{Path: "/a", ACL: testACL, Flags: ModeContainer}},
		{OpCreateTTL, &CreateTTLRequest{Path: "/a", ACL: testACL, Flags: ModePersistentWithTTL, TTL: 5}},
		{OpDelete, &DeleteRequest{Path: "/a", Version: -1}},
		{OpExists, &PathWatchRequest{Path: "/a", Watch: true}},
		{OpGetData, &PathWatchRequest{Path: "/a"}},
		{OpSetData, &SetDataRequest{Path: "/a", Data: []byte("x"), Version: -1}},
		{OpGetACL, &PathRequest{Path: "/a"}},
		{OpSetACL, &SetACLRequest{Path: "/a", ACL: testACL, Version: -1}},
		{OpGetChildren, &PathWatchRequest{Path: "/a", Watch: true}},
		{OpSync, &PathRequest{Path: "/a"}},
		{OpPing, nil},
		{OpGetChildren2, &PathWatchRequest{Path: "/a"}},
		{OpMulti, &MultiRequest{Ops: []MultiOp{{OpCheck, &CheckVersionRequest{Path: "/a", Version: -1}}}}},
		{OpReconfig, &ReconfigRequest{CurConfigID: -1}},
		{OpCheckWatches, &WatchesRequest{Path: "/a", Type: WatcherData}},
		{OpRemoveWatches, &WatchesRequest{Path: "/a", Type: WatcherChildren}},
		{OpMultiRead, &MultiRequest{Read: true, Ops: []MultiOp{{OpGetData, &PathWatchRequest{Path: "/a"}}}}},
		{OpAuth, &AuthPacket{Scheme: "digest", Auth: []byte("u:p")}},
		{OpSetWatches, &SetWatches{RelativeZxid: 1, DataWatches: []string{"/a"}}},
		{OpSASL, &SASLRecord{Token: []byte("t")}},
		{OpGetEphemerals, &PathRequest{Path: "/"}},
		{OpGetAllChildrenNumber, &PathRequest{Path: "/"}},
		{OpSetWatches2, &SetWatches2{PersistentWatches: []string{"/p"}}},
		{OpAddWatch, &AddWatchRequest{Path: "/a", Mode: AddWatchPersistent}},
		{OpWhoAmI, nil},
		{OpCloseSession, nil},
	}
	for _, tc := range cases {
		t.Run(tc.op.String(), func(t *testing.T) {
			recs := []Record{&RequestHeader{Xid: 9, Type: tc.op}}
			if tc.body != nil {
				recs = append(recs, tc.body)
			}
			frame := AppendFrame(nil, recs...)
			h, rec, err := DecodeRequest(frame[4:], 0)
			if err != nil {
				t.Fatal(err)
			}
			if h.Xid != 9 || h.Type != tc.op {
				t.Fatalf("header %+v", h)
			}
			if tc.body == nil {
				if rec != nil {
					t.Fatalf("body-less op decoded a %T", rec)
				}
				return
			}
			if !reflect.DeepEqual(rec, tc.body) {
				t.Fatalf("got %#v want %#v", rec, tc.body)
			}
		})
	}
}

func TestDecodeRequestRejects(t *testing.T) {
	cases := []struct {
		name    string
		payload []byte
		want    error
	}{
		{"unknown opcode", Marshal(&RequestHeader{Xid: 1, Type: 200}), ErrUnimplemented},
		{"top-level check", Marshal(&RequestHeader{Xid: 1, Type: OpCheck}, &CheckVersionRequest{Path: "/a"}), ErrUnimplemented},
		{"notification", Marshal(&RequestHeader{Xid: 1, Type: OpNotification}), ErrUnimplemented},
		{"createSession", Marshal(&RequestHeader{Xid: 1, Type: OpCreateSession}), ErrUnimplemented},
		{"deleteContainer", Marshal(&RequestHeader{Xid: 1, Type: OpDeleteContainer}, &DeleteContainerRequest{Path: []byte("/a")}), ErrUnimplemented},
		{"short header", []byte{0, 0, 0, 1, 0, 0}, ErrMarshallingError},
		{"truncated body", Marshal(&RequestHeader{Xid: 1, Type: OpGetData}, &PathRequest{Path: "/abc"})[:12], ErrMarshallingError},
		{"read op in multi", Marshal(&RequestHeader{Xid: 1, Type: OpMulti}, &MultiRequest{Read: true, Ops: []MultiOp{{OpGetData, &PathWatchRequest{Path: "/a"}}}}), ErrMarshallingError},
		{"write op in multiRead", Marshal(&RequestHeader{Xid: 1, Type: OpMultiRead}, &MultiRequest{Ops: []MultiOp{{OpDelete, &DeleteRequest{Path: "/a"}}}}), ErrMarshallingError},
		{"getChildren2 in multiRead", Marshal(&RequestHeader{Xid: 1, Type: OpMultiRead}, &MultiRequest{Read: true, Ops: []MultiOp{{OpGetChildren2, &PathWatchRequest{Path: "/a"}}}}), ErrMarshallingError},
		{"multi without done", Marshal(&RequestHeader{Xid: 1, Type: OpMulti}, &MultiHeader{Type: OpDelete, Err: -1}, &DeleteRequest{Path: "/a"}), ErrMarshallingError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, _, err := DecodeRequest(tc.payload, 0)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if len(tc.payload) >= 8 && h.Xid != 1 {
				t.Fatalf("header not returned with the error: %+v", h)
			}
		})
	}
}

// Every opcode with a reply body has a response record, and the body-less
// ones have none.
func TestNewResponse(t *testing.T) {
	withBody := []OpCode{OpCreate, OpCreate2, OpCreateContainer, OpCreateTTL, OpExists, OpGetData, OpSetData,
		OpGetACL, OpSetACL, OpGetChildren, OpSync, OpGetChildren2, OpMulti, OpReconfig, OpMultiRead, OpSASL,
		OpGetEphemerals, OpGetAllChildrenNumber, OpAddWatch, OpWhoAmI}
	without := []OpCode{OpDelete, OpPing, OpCheckWatches, OpRemoveWatches, OpAuth, OpSetWatches, OpSetWatches2, OpCloseSession}
	for _, op := range withBody {
		if NewResponse(op) == nil {
			t.Errorf("%v: no response record", op)
		}
	}
	for _, op := range without {
		if r := NewResponse(op); r != nil {
			t.Errorf("%v: unexpected response record %T", op, r)
		}
	}
}
