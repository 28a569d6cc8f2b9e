package tree

import "fmt"

// A txn's encoding: a format byte, then fields under presence masks, so that
// zero fields cost nothing and nil slices stay nil (and empty ones empty):
// a decoded txn equals the encoded one field for field.
//
//	txn: 0x01, uvarint mask, [varint zxid] [varint time] [varint session] [auths], op
//	op:  uvarint mask, then each present field in Op's field order

const txnFormat = 1

const (
	txZxid = 1 << iota
	txTime
	txSession
	txAuth
)

const (
	opType = 1 << iota
	opPath
	opData
	opACL
	opFlags
	opTTL
	opVersion
	opOps
	opSessionID
	opTimeout
	opPassword
	opAll = 1<<iota - 1
)

// maxOpDepth bounds nesting (a multi's ops inside an op): Apply accepts one
// level, the codec allows a few more rather than reject what it was given.
const maxOpDepth = 4

// AppendTxn appends the encoding of t to dst. Ops nested more than four
// levels deep (Apply accepts one) are encoded but do not decode.
func AppendTxn(dst []byte, t *Txn) []byte {
	var mask uint64
	if t.Zxid != 0 {
		mask |= txZxid
	}
	if t.Time != 0 {
		mask |= txTime
	}
	if t.Session != 0 {
		mask |= txSession
	}
	if t.Auth != nil {
		mask |= txAuth
	}
	dst = append(dst, txnFormat)
	dst = appendUvarint(dst, mask)
	if mask&txZxid != 0 {
		dst = appendVarint(dst, int64(t.Zxid))
	}
	if mask&txTime != 0 {
		dst = appendVarint(dst, t.Time)
	}
	if mask&txSession != 0 {
		dst = appendVarint(dst, t.Session)
	}
	if mask&txAuth != 0 {
		dst = appendUvarint(dst, uint64(len(t.Auth)))
		for _, id := range t.Auth {
			dst = appendString(dst, id.Scheme)
			dst = appendString(dst, id.ID)
		}
	}
	return appendOp(dst, &t.Op)
}

func appendOp(dst []byte, op *Op) []byte {
	var mask uint64
	set := func(bit uint64, present bool) {
		if present {
			mask |= bit
		}
	}
	set(opType, op.Type != 0)
	set(opPath, op.Path != "")
	set(opData, op.Data != nil)
	set(opACL, op.ACL != nil)
	set(opFlags, op.Flags != 0)
	set(opTTL, op.TTL != 0)
	set(opVersion, op.Version != 0)
	set(opOps, op.Ops != nil)
	set(opSessionID, op.SessionID != 0)
	set(opTimeout, op.Timeout != 0)
	set(opPassword, op.Password != nil)
	dst = appendUvarint(dst, mask)
	if mask&opType != 0 {
		dst = appendVarint(dst, int64(op.Type))
	}
	if mask&opPath != 0 {
		dst = appendString(dst, op.Path)
	}
	if mask&opData != 0 {
		dst = appendBytes(dst, op.Data)
	}
	if mask&opACL != 0 {
		dst = appendACLs(dst, op.ACL)
	}
	if mask&opFlags != 0 {
		dst = appendVarint(dst, int64(op.Flags))
	}
	if mask&opTTL != 0 {
		dst = appendVarint(dst, op.TTL)
	}
	if mask&opVersion != 0 {
		dst = appendVarint(dst, int64(op.Version))
	}
	if mask&opOps != 0 {
		dst = appendUvarint(dst, uint64(len(op.Ops)))
		for i := range op.Ops {
			dst = appendOp(dst, &op.Ops[i])
		}
	}
	if mask&opSessionID != 0 {
		dst = appendVarint(dst, op.SessionID)
	}
	if mask&opTimeout != 0 {
		dst = appendVarint(dst, int64(op.Timeout))
	}
	if mask&opPassword != 0 {
		dst = appendBytes(dst, op.Password)
	}
	return dst
}

// DecodeTxn decodes what AppendTxn wrote. Anything else gives an error,
// never a panic, and it allocates no more than the input's length can
// justify. The result shares no memory with b.
func DecodeTxn(b []byte) (*Txn, error) {
	if len(b) == 0 || b[0] != txnFormat {
		return nil, fmt.Errorf("tree: decode txn: %w", errCorrupt)
	}
	r := &reader{b: b[1:]}
	t := &Txn{}
	mask := r.uvarint()
	if mask&^uint64(txZxid|txTime|txSession|txAuth) != 0 {
		r.fail()
	}
	if mask&txZxid != 0 {
		t.Zxid = Zxid(r.varint())
	}
	if mask&txTime != 0 {
		t.Time = r.varint()
	}
	if mask&txSession != 0 {
		t.Session = r.varint()
	}
	if mask&txAuth != 0 {
		n := r.count(2)
		if r.err == nil {
			t.Auth = make([]ID, n)
			for i := range t.Auth {
				t.Auth[i] = ID{r.string(), r.string()}
			}
		}
	}
	decodeOp(r, &t.Op, 0)
	if r.err == nil && len(r.b) != 0 {
		r.fail()
	}
	if r.err != nil {
		return nil, fmt.Errorf("tree: decode txn: %w", r.err)
	}
	return t, nil
}

func decodeOp(r *reader, op *Op, depth int) {
	mask := r.uvarint()
	if mask&^uint64(opAll) != 0 {
		r.fail()
	}
	if r.err != nil {
		return
	}
	if mask&opType != 0 {
		op.Type = OpType(r.int32())
	}
	if mask&opPath != 0 {
		op.Path = r.string()
	}
	if mask&opData != 0 {
		op.Data = r.bytes()
	}
	if mask&opACL != 0 {
		op.ACL = r.acls()
	}
	if mask&opFlags != 0 {
		op.Flags = CreateMode(r.int32())
	}
	if mask&opTTL != 0 {
		op.TTL = r.varint()
	}
	if mask&opVersion != 0 {
		op.Version = r.int32()
	}
	if mask&opOps != 0 {
		if depth >= maxOpDepth {
			r.fail()
			return
		}
		n := r.count(1)
		if r.err != nil {
			return
		}
		op.Ops = make([]Op, n)
		for i := range op.Ops {
			decodeOp(r, &op.Ops[i], depth+1)
		}
	}
	if mask&opSessionID != 0 {
		op.SessionID = r.varint()
	}
	if mask&opTimeout != 0 {
		op.Timeout = r.int32()
	}
	if mask&opPassword != 0 {
		op.Password = r.bytes()
	}
}

// TxnSession reads the session of an encoded txn without decoding the rest:
// the leader checks it on every proposal. It returns 0 for a txn of the
// ensemble itself or one that does not decode.
func TxnSession(b []byte) int64 {
	if len(b) == 0 || b[0] != txnFormat {
		return 0
	}
	r := &reader{b: b[1:]}
	mask := r.uvarint()
	if mask&txSession == 0 {
		return 0
	}
	if mask&txZxid != 0 {
		r.varint()
	}
	if mask&txTime != 0 {
		r.varint()
	}
	s := r.varint()
	if r.err != nil {
		return 0
	}
	return s
}
