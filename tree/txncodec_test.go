package tree

import "testing"

func TestTxnSessionPeeksWithoutDecoding(t *testing.T) {
	for _, txn := range []*Txn{
		{Session: 0x1a0000000004, Op: Op{Type: OpSetData, Path: "/a"}},
		{Zxid: 7, Time: 1700000000000, Session: -5, Auth: []ID{{Scheme: "digest", ID: "u:x"}}, Op: Op{Type: OpError}},
		{Time: 3, Op: Op{Type: OpCloseSession, SessionID: 9}},
	} {
		if got := TxnSession(AppendTxn(nil, txn)); got != txn.Session {
			t.Errorf("TxnSession(%+v) = %d", txn, got)
		}
	}
	if got := TxnSession(nil); got != 0 {
		t.Errorf("empty: %d", got)
	}
	if got := TxnSession([]byte{txnFormat, txSession}); got != 0 {
		t.Errorf("truncated: %d", got)
	}
}
