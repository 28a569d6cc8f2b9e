package zk

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// unhex decodes hex with spaces, "|" separators and "00×16" runs as used in
// ZK-PROTOCOL.md Appendix A.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.ReplaceAll(s, "00×16", strings.Repeat("00", 16))
	s = strings.NewReplacer(" ", "", "|", "", "\n", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// The byte examples of ZK-PROTOCOL.md Appendix A (and §3.7), observed on a
// real ZooKeeper 3.8.0: encoding must match byte for byte, and decoding the
// bytes must give back the records.
func TestAppendixA(t *testing.T) {
	passwd := unhex(t, "0102030405060708090a0b0c0d0e0f10")
	cases := []struct {
		name  string
		hex   string
		frame bool // hex includes the 4-byte length
		recs  []Record
	}{
		{"ping request", "00000008 fffffffe 0000000b", true,
			[]Record{&RequestHeader{Xid: XidPing, Type: OpPing}}},
		{"ping reply", "00000010 fffffffe 0000000000000002 00000000", true,
			[]Record{&ReplyHeader{Xid: XidPing, Zxid: 2}}},
		{"getData /p nowatch", "0000000f 00000001 00000004 00000002 2f70 00", true,
			[]Record{&RequestHeader{Xid: 1, Type: OpGetData}, &GetDataRequest{Path: "/p"}}},
		{"error reply -101", "00000010 00000005 0000000000000005 ffffff9b", true,
			[]Record{&ReplyHeader{Xid: 5, Zxid: 5, Err: ErrNoNode}}},
		{"ConnectRequest new session with readOnly", "0000002d 00000000 0000000000000000 00002710 0000000000000000 00000010 00×16 00", true,
			[]Record{&ConnectRequest{TimeOut: 10000, Passwd: make([]byte, 16), HasReadOnly: true}}},
		{"ConnectRequest without readOnly (go-zk)", "0000002c 00000000 0000000000000000 00002710 0000000000000000 00000010 00×16", true,
			[]Record{&ConnectRequest{TimeOut: 10000, Passwd: make([]byte, 16)}}},
		{"ConnectResponse", "00000025 00000000 00000fa0 01000006e7d10000 00000010 0102030405060708090a0b0c0d0e0f10 00", true,
			[]Record{&ConnectResponse{TimeOut: 4000, SessionID: 0x01000006e7d10000, Passwd: passwd, HasReadOnly: true}}},
		{"ConnectResponse expired", "00000025 00000000 00000000 0000000000000000 00000010 00×16 00", true,
			[]Record{&ConnectResponse{Passwd: make([]byte, 16), HasReadOnly: true}}},
		{"notification NodeCreated /w", "0000001e ffffffff ffffffffffffffff 00000000 00000001 00000003 00000002 2f77", true,
			[]Record{&ReplyHeader{Xid: XidNotification, Zxid: -1}, &WatcherEvent{Type: EventNodeCreated, State: KeeperSyncConnected, Path: "/w"}}},
		{"addWatch reply body", "00000000", false,
			[]Record{&ErrorResponse{Err: OK}}},
		{"failed multi body", "ffffffff00 00000000 00000000 | ffffffff00 ffffff99 ffffff99 | ffffffff00 fffffffe fffffffe | ffffffff01 ffffffff", false,
			[]Record{&MultiResponse{Results: []MultiResult{
				{Type: OpError, Err: OK}, {Type: OpError, Err: ErrBadVersion}, {Type: OpError, Err: ErrRuntimeInconsistency}}}}},
		{"empty multi body", "ffffffff 01 ffffffff", false,
			[]Record{&MultiResponse{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := unhex(t, tc.hex)
			got := Marshal(tc.recs...)
			if tc.frame {
				got = AppendFrame(nil, tc.recs...)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("encoding\n got % x\nwant % x", got, want)
			}
			body := want
			if tc.frame {
				body = want[4:]
			}
			var decoded []Record
			for _, r := range tc.recs {
				decoded = append(decoded, reflect.New(reflect.TypeOf(r).Elem()).Interface().(Record))
			}
			if err := Unmarshal(body, decoded...); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(decoded, tc.recs) {
				t.Fatalf("decoding\n got %#v\nwant %#v", decoded, tc.recs)
			}
		})
	}
}

// Nulls: kazoo sends -1 for empty strings, ZooKeeper -1 for null data; a
// null vector must not crash anything. Encoders never write a null string
// or vector.
func TestNulls(t *testing.T) {
	var req CreateRequest
	// A null path is refused, as ZooKeeper refuses it.
	if err := Unmarshal(unhex(t, "ffffffff ffffffff ffffffff 00000001"), &req); !errors.Is(err, ErrMarshallingError) {
		t.Fatalf("null path: %v", err)
	}
	b := unhex(t, "00000000 ffffffff ffffffff 00000001")
	if err := Unmarshal(b, &req); err != nil {
		t.Fatal(err)
	}
	if req.Path != "" || req.Data != nil || req.ACL != nil || req.Flags != ModeEphemeral {
		t.Fatalf("nulls decoded as %#v", req)
	}
	var a AuthPacket
	if err := Unmarshal(unhex(t, "00000000 ffffffff ffffffff"), &a); err != nil || a.Scheme != "" || a.Auth == nil || len(a.Auth) != 0 {
		t.Fatalf("auth with nulls: %#v %v", a, err)
	}
	enc := Marshal(&CreateRequest{}, &ChildrenResponse{}, &WhoAmIResponse{}, &GetDataResponse{Data: []byte{}})
	want := unhex(t, "00000000 ffffffff 00000000 00000000 | 00000000 | 00000000 | 00000000"+strings.Repeat("00", StatSize))
	if !bytes.Equal(enc, want) {
		t.Fatalf("empty values\n got % x\nwant % x", enc, want)
	}
}
