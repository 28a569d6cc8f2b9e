package tree

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"reflect"
	"testing"
)

// The fuzz targets run their seeds as ordinary tests; `go test -fuzz
// FuzzDecodeTxn ./tree` explores further.

func FuzzDecodeTxn(f *testing.F) {
	for _, txn := range sampleTxns() {
		f.Add(AppendTxn(nil, txn))
	}
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		txn, err := DecodeTxn(b)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to something that decodes the same.
		again, err := DecodeTxn(AppendTxn(nil, txn))
		if err != nil || !reflect.DeepEqual(again, txn) {
			t.Fatalf("re-encoding changed the txn: %v", err)
		}
		// And applying it to a tree keeps the tree sound.
		tr := New()
		tr.Apply(&Txn{Zxid: 1, Op: Op{Type: OpCreateSession, SessionID: txn.Session | 1}})
		txn.Zxid = 2
		tr.Apply(txn)
		checkInvariants(t, tr)
	})
}

func FuzzRestoreSnapshot(f *testing.F) {
	h := newHarness(f)
	f.Add(h.tr.AppendSnapshot(nil))
	h.session(7)
	h.do(7, nil, mkCreate("/e", "eph", Ephemeral))
	h.ok(Op{Type: OpCreateContainer, Path: "/c", ACL: OpenACL})
	h.ok(Op{Type: OpCreateTTL, Path: "/c/t", Flags: PersistentWithTTL, TTL: 5, ACL: ReadACL})
	h.ok(Op{Type: OpCreate, Path: "/d", ACL: []ACL{{PermAll, ID{"digest", DigestID("u", "p")}}}})
	f.Add(h.tr.AppendSnapshot(nil))
	f.Add([]byte("ZKT\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		// As given, and re-sealed with a valid checksum so that mutations
		// reach the parser behind it.
		inputs := [][]byte{b}
		if len(b) >= 4 {
			body := b[: len(b)-4 : len(b)-4]
			inputs = append(inputs, binary.LittleEndian.AppendUint32(body, crc32.Checksum(body, castagnoli)))
		}
		for _, in := range inputs {
			tr, err := RestoreSnapshot(in)
			if err != nil {
				continue
			}
			checkInvariants(t, tr)
			if !bytes.Equal(tr.AppendSnapshot(nil), in) {
				t.Fatal("a restored snapshot does not re-encode to itself")
			}
		}
	})
}
