package zk

import "fmt"

// NewRequest returns an empty request record for a client opcode, nil for
// the opcodes whose request has no body (ping, closeSession, whoAmI), and
// ok=false for opcodes a client may not send at top level: notification,
// check (only inside a multi), deleteContainer and createSession (internal),
// and unknown values.
func NewRequest(op OpCode) (rec Record, ok bool) {
	switch op {
	case OpCreate, OpCreate2, OpCreateContainer:
		return &CreateRequest{}, true
	case OpCreateTTL:
		return &CreateTTLRequest{}, true
	case OpDelete:
		return &DeleteRequest{}, true
	case OpExists, OpGetData, OpGetChildren, OpGetChildren2:
		return &PathWatchRequest{}, true
	case OpSetData:
		return &SetDataRequest{}, true
	case OpGetACL, OpSync, OpGetEphemerals, OpGetAllChildrenNumber:
		return &PathRequest{}, true
	case OpSetACL:
		return &SetACLRequest{}, true
	case OpMulti:
		return &MultiRequest{}, true
	case OpMultiRead:
		return &MultiRequest{Read: true}, true
	case OpReconfig:
		return &ReconfigRequest{}, true
	case OpCheckWatches, OpRemoveWatches:
		return &WatchesRequest{}, true
	case OpAuth:
		return &AuthPacket{}, true
	case OpSetWatches:
		return &SetWatches{}, true
	case OpSetWatches2:
		return &SetWatches2{}, true
	case OpSASL:
		return &SASLRecord{}, true
	case OpAddWatch:
		return &AddWatchRequest{}, true
	case OpPing, OpCloseSession, OpWhoAmI:
		return nil, true
	}
	return nil, false
}

// NewResponse returns an empty success-reply record for a client opcode, and
// nil for the opcodes whose reply has no body (delete, ping, auth,
// setWatches, setWatches2, checkWatches, removeWatches, closeSession) or that
// are not client opcodes.
func NewResponse(op OpCode) Record {
	switch op {
	case OpCreate, OpSync:
		return &PathResponse{}
	case OpCreate2, OpCreateContainer, OpCreateTTL:
		return &Create2Response{}
	case OpExists, OpSetData, OpSetACL:
		return &StatResponse{}
	case OpGetData, OpReconfig:
		return &GetDataResponse{}
	case OpGetACL:
		return &GetACLResponse{}
	case OpGetChildren, OpGetEphemerals:
		return &ChildrenResponse{}
	case OpGetChildren2:
		return &Children2Response{}
	case OpMulti, OpMultiRead:
		return &MultiResponse{}
	case OpSASL:
		return &SASLRecord{}
	case OpGetAllChildrenNumber:
		return &GetAllChildrenNumberResponse{}
	case OpAddWatch:
		return &ErrorResponse{}
	case OpWhoAmI:
		return &WhoAmIResponse{}
	}
	return nil
}

// DecodeRequest decodes a request frame payload (RequestHeader and body), as
// a server does for every frame after the ConnectRequest. max bounds every
// length (DefaultMaxPacket when <= 0). The record is nil for body-less
// requests. Errors wrap ErrUnimplemented for an opcode a client may not send
// (ZooKeeper answers -6 and closes the connection) and ErrMarshallingError
// for a malformed body (answered with -5; the connection stays). The header
// is returned whenever it could be read, so the server can echo the xid.
func DecodeRequest(payload []byte, max int) (RequestHeader, Record, error) {
	d := NewDecoder(payload, max)
	var h RequestHeader
	h.Decode(d)
	if err := d.Err(); err != nil {
		return h, nil, err
	}
	rec, ok := NewRequest(h.Type)
	if !ok {
		return h, nil, fmt.Errorf("%w: opcode %d", ErrUnimplemented, int32(h.Type))
	}
	if rec != nil {
		rec.Decode(d)
	}
	return h, rec, d.Err()
}

// DecodeConnectRequest decodes the first frame of a client connection.
// HasReadOnly tells whether the client sent the optional readOnly byte.
func DecodeConnectRequest(payload []byte, max int) (*ConnectRequest, error) {
	d := NewDecoder(payload, max)
	var r ConnectRequest
	r.Decode(d)
	return &r, d.Err()
}
