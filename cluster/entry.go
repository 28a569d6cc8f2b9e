package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"

	"coordtui/tree"
)

// entryFormat is the first byte of every raft command coordtui writes. A
// member that reads an entry of a format it does not know must not guess.
const entryFormat byte = 1

// maxEntryTxns bounds how many client writes share one raft entry (group
// commit). All of them get their own zxid; they share the entry's time.
const maxEntryTxns = 256

// proposal is one write waiting to be packed into a raft entry: the encoded
// tree.Txn (without zxid and time, which the entry and the FSM supply) and
// who is waiting for its result.
type proposal struct {
	origin uint64 // member whose client asked; it alone answers the client
	reqID  uint64 // unique per origin, so the origin finds its waiter
	txn    []byte // tree.AppendTxn encoding
}

// appendEntry encodes proposals as one raft command stamped with the
// leader's clock: ctime, mtime and TTL ages come from here, so every replica
// computes the same tree.
func appendEntry(dst []byte, timeMs int64, props []proposal) []byte {
	dst = append(dst, entryFormat)
	dst = binary.AppendVarint(dst, timeMs)
	dst = binary.AppendUvarint(dst, uint64(len(props)))
	for _, p := range props {
		dst = binary.AppendUvarint(dst, p.origin)
		dst = binary.AppendUvarint(dst, p.reqID)
		dst = binary.AppendUvarint(dst, uint64(len(p.txn)))
		dst = append(dst, p.txn...)
	}
	return dst
}

var errBadEntry = errors.New("cluster: malformed log entry")

// decodeEntry is the inverse of appendEntry. It never trusts a count or a
// length beyond the bytes that are there.
func decodeEntry(b []byte) (timeMs int64, props []proposal, err error) {
	if len(b) < 1 || b[0] != entryFormat {
		return 0, nil, fmt.Errorf("%w: format %v", errBadEntry, b[:min(1, len(b))])
	}
	b = b[1:]
	timeMs, n := binary.Varint(b)
	if n <= 0 {
		return 0, nil, errBadEntry
	}
	b = b[n:]
	count, n := binary.Uvarint(b)
	if n <= 0 || count > uint64(len(b)) || count > maxEntryTxns {
		return 0, nil, errBadEntry
	}
	b = b[n:]
	props = make([]proposal, 0, count)
	for range count {
		var p proposal
		var l uint64
		for _, dst := range []*uint64{&p.origin, &p.reqID, &l} {
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return 0, nil, errBadEntry
			}
			*dst, b = v, b[n:]
		}
		if l > uint64(len(b)) {
			return 0, nil, errBadEntry
		}
		p.txn, b = b[:l:l], b[l:]
		props = append(props, p)
	}
	if len(b) != 0 {
		return 0, nil, errBadEntry
	}
	return timeMs, props, nil
}

// decodeProposal turns one packed proposal into the Txn the tree applies.
func decodeProposal(p proposal, timeMs int64) (*tree.Txn, error) {
	txn, err := tree.DecodeTxn(p.txn)
	if err != nil {
		return nil, err
	}
	txn.Time = timeMs
	return txn, nil
}
