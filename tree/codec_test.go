package tree

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"testing"
)

// sampleTxns covers every field of Txn and Op, nil and empty slices apart.
func sampleTxns() []*Txn {
	return []*Txn{
		{},
		{Zxid: MakeZxid(3, 9), Time: 1_700_000_000_123, Session: -0x7f00000000000001, Auth: []ID{{"ip", "127.0.0.1"}, {"digest", "a:b"}},
			Op: mkCreate("/a/b-", "data", EphemeralSequential)},
		{Zxid: 1, Auth: []ID{}, Op: Op{Type: OpCreate, Path: "/x", Data: []byte{}, ACL: []ACL{}}},
		{Zxid: 2, Op: Op{Type: OpCreateTTL, Path: "/t", ACL: CreatorAllACL, Flags: PersistentWithTTL, TTL: 1<<40 - 1}},
		{Zxid: 3, Op: Op{Type: OpSetData, Path: "/x", Data: bytes.Repeat([]byte{0, 0xff}, 300), Version: -1}},
		{Zxid: 4, Op: Op{Type: OpSetACL, Path: "/x", ACL: []ACL{{PermAll, ID{"", ""}}, {-7, ID{"world", "anyone"}}}, Version: 1<<31 - 1}},
		{Zxid: 5, Op: Op{Type: OpMulti, Ops: []Op{}}},
		{Zxid: 6, Op: Op{Type: OpMulti, Ops: []Op{mkCreate("/m", "", Persistent), mkDelete("/m", 0), {Type: OpCheck, Path: "/", Version: -1}}}},
		{Zxid: 7, Op: Op{Type: OpCreateSession, SessionID: 0x0100017f3a2b0001, Timeout: 30000, Password: make([]byte, 16)}},
		{Zxid: 8, Op: Op{Type: OpCloseSession, SessionID: 12}},
		{Zxid: 9, Op: Op{Type: OpCreateSession, Password: []byte{}}},
		{Zxid: -1, Time: -5, Op: Op{Type: OpError, Path: "\x00\xff", Flags: -3, TTL: -1 << 63}},
	}
}

func TestTxnCodec(t *testing.T) {
	for i, txn := range sampleTxns() {
		enc := AppendTxn([]byte("prefix"), txn)
		if string(enc[:6]) != "prefix" {
			t.Fatalf("txn %d: AppendTxn clobbered dst", i)
		}
		got, err := DecodeTxn(enc[6:])
		if err != nil || !reflect.DeepEqual(got, txn) {
			t.Fatalf("txn %d: round trip %v\n got %+v\nwant %+v", i, err, got, txn)
		}
		// The decoded txn owns its memory.
		if txn.Op.Data != nil && len(txn.Op.Data) > 0 {
			enc[len(enc)-1] ^= 0xff
			if !reflect.DeepEqual(got.Op, txn.Op) {
				t.Fatalf("txn %d: decoded data aliases the input", i)
			}
		}
	}
	// Compact: a plain create costs little beyond its path, data and ACL.
	enc := AppendTxn(nil, &Txn{Zxid: MakeZxid(2, 100), Time: 1_700_000_000_000, Session: 0x100000000000001, Op: mkCreate("/app/node", "0123456789", Persistent)})
	if len(enc) > 60 {
		t.Errorf("a small create encodes in %d bytes", len(enc))
	}
	// Nesting deeper than the codec allows encodes but does not decode.
	deep := Op{Type: OpMulti}
	for i := 0; i < maxOpDepth+1; i++ {
		deep = Op{Type: OpMulti, Ops: []Op{deep}}
	}
	if _, err := DecodeTxn(AppendTxn(nil, &Txn{Op: deep})); err == nil {
		t.Error("decoded ops nested too deep")
	}
}

func TestDecodeTxnGarbage(t *testing.T) {
	good := AppendTxn(nil, sampleTxns()[1])
	cases := map[string][]byte{
		"empty":          nil,
		"format":         {2, 0, 0},
		"unknown bit":    {1, 0x10, 0},
		"op unknown bit": {1, 0, 0x80, 0x10},
		"truncated":      good[:len(good)-1],
		"trailing":       append(append([]byte{}, good...), 0),
		"huge count":     {1, txAuth, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"huge string":    {1, 0, opPath, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"int32 overflow": {1, 0, opVersion, 0x80, 0x80, 0x80, 0x80, 0x40},
		"bad varint":     {1, txZxid, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	}
	for name, b := range cases {
		if txn, err := DecodeTxn(b); err == nil || !errors.Is(err, errCorrupt) {
			t.Errorf("%s: decoded %+v, %v", name, txn, err)
		}
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.session(1)
	h.session(-0x7f00000000000001)
	alice := ID{"digest", DigestID("alice", "pw")}
	h.ok(mkCreate("/a", "x", Persistent))
	h.do(0, []ID{alice}, Op{Type: OpCreate, Path: "/a/secret", ACL: CreatorAllACL})
	h.do(1, nil, mkCreate("/a/e", "", EphemeralSequential))
	h.ok(Op{Type: OpCreateContainer, Path: "/c", ACL: ReadACL})
	h.ok(Op{Type: OpCreateTTL, Path: "/t", Flags: PersistentSequentialWithTTL, TTL: 99, ACL: OpenACL})
	h.ok(Op{Type: OpCreate, Path: "/nil", ACL: OpenACL})
	h.ok(Op{Type: OpReconfig, Data: []byte("version=1")})
	snap := h.tr.AppendSnapshot([]byte("xx"))[2:]
	back := mustRestore(t, snap)
	checkInvariants(t, back)
	if back.Digest() != h.tr.Digest() || back.LastZxid() != h.tr.LastZxid() {
		t.Fatal("restored tree differs")
	}
	sameReads(t, h.tr, back, nil)
	if !bytes.Equal(back.AppendSnapshot(nil), snap) {
		t.Fatal("re-snapshot differs")
	}
	if ps := back.ReapCandidates(1 << 50); len(ps) != 1 || ps[0] != "/t0000000002" {
		t.Fatalf("reap index after restore: %v", ps)
	}
	// The same state reached another way gives the same bytes: the ACL
	// slots differ between these two trees, the snapshots do not show it.
	a := []ACL{{PermAll, ID{"ip", "10.0.0.1"}}}
	b := []ACL{{PermAll, ID{"ip", "10.0.0.2"}}}
	build := func(first []ACL) *Tree {
		tr := New()
		for i, op := range []Op{
			{Type: OpCreate, Path: "/p", ACL: first}, {Type: OpCreate, Path: "/q", ACL: b},
			{Type: OpDelete, Path: "/p", Version: -1}, {Type: OpCreate, Path: "/p", ACL: b},
		} {
			if r := tr.Apply(&Txn{Zxid: Zxid(i + 1), Op: op}); r.Err != OK {
				t.Fatal(r.Err)
			}
		}
		return tr
	}
	x, y := build(a), build(b)
	if x.lookup("/p").acl == y.lookup("/p").acl {
		t.Fatal("the test meant the slots to differ")
	}
	if x.Digest() != y.Digest() || !bytes.Equal(x.AppendSnapshot(nil), y.AppendSnapshot(nil)) {
		t.Fatal("equal states give different snapshots")
	}
	if len(snap) > 600 {
		t.Errorf("snapshot of a small tree is %d bytes", len(snap))
	}
}

func TestRestoreGarbage(t *testing.T) {
	h := newHarness(t)
	h.session(3)
	h.do(3, nil, mkCreate("/e", "", Ephemeral))
	h.ok(mkCreate("/b", "", Persistent))
	snap := h.tr.AppendSnapshot(nil)
	if _, err := RestoreSnapshot(snap); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(snap); i++ {
		bad := append([]byte{}, snap...)
		bad[i] ^= 0x20
		if _, err := RestoreSnapshot(bad); err == nil {
			t.Fatalf("flipped byte %d restored", i)
		}
	}
	for n := 0; n < len(snap); n++ {
		if _, err := RestoreSnapshot(snap[:n]); err == nil {
			t.Fatalf("a %d-byte prefix restored", n)
		}
	}
	// Well-formed (the checksum is right) but wrong inside: re-seal and retry.
	reseal := func(body []byte) []byte {
		return binary.LittleEndian.AppendUint32(body, crc32.Checksum(body, castagnoli))
	}
	body := snap[:len(snap)-4]
	for name, b := range map[string][]byte{
		"digest":   append(append([]byte{}, body[:len(body)-8]...), 1, 2, 3, 4, 5, 6, 7, 8),
		"trailing": append(append(append([]byte{}, body[:len(body)-8]...), 0), body[len(body)-8:]...),
	} {
		if _, err := RestoreSnapshot(reseal(b)); err == nil {
			t.Errorf("%s: restored", name)
		}
	}
}
