package zk

// RequestHeader precedes every request body except ConnectRequest.
type RequestHeader struct {
	Xid  int32
	Type OpCode
}

// Encode implements Record.
func (h *RequestHeader) Encode(e *Encoder) { e.Int(h.Xid); e.Int(int32(h.Type)) }

// Decode implements Record.
func (h *RequestHeader) Decode(d *Decoder) { h.Xid = d.Int(); h.Type = OpCode(d.Int()) }

// ReplyHeader precedes every reply body except ConnectResponse. When Err is
// not OK the server sends the header alone (§1.1).
type ReplyHeader struct {
	Xid  int32
	Zxid int64
	Err  Code
}

// Encode implements Record.
func (h *ReplyHeader) Encode(e *Encoder) { e.Int(h.Xid); e.Long(h.Zxid); e.Int(int32(h.Err)) }

// Decode implements Record.
func (h *ReplyHeader) Decode(d *Decoder) { h.Xid = d.Int(); h.Zxid = d.Long(); h.Err = Code(d.Int()) }

// ConnectRequest opens or resumes a session (§2.1). The trailing ReadOnly
// byte is optional on the wire (go-zookeeper/zk omits it); HasReadOnly
// records whether it was present, so a server can mirror the form in its
// ConnectResponse.
type ConnectRequest struct {
	ProtocolVersion int32
	LastZxidSeen    int64
	TimeOut         int32 // ms
	SessionID       int64
	Passwd          []byte
	ReadOnly        bool
	HasReadOnly     bool
}

// Encode implements Record; ReadOnly is written only when HasReadOnly.
func (r *ConnectRequest) Encode(e *Encoder) {
	e.Int(r.ProtocolVersion)
	e.Long(r.LastZxidSeen)
	e.Int(r.TimeOut)
	e.Long(r.SessionID)
	e.Buffer(nonNil(r.Passwd))
	if r.HasReadOnly {
		e.Bool(r.ReadOnly)
	}
}

// Decode implements Record; the ReadOnly byte is read if one is left.
func (r *ConnectRequest) Decode(d *Decoder) {
	r.ProtocolVersion = d.Int()
	r.LastZxidSeen = d.Long()
	r.TimeOut = d.Int()
	r.SessionID = d.Long()
	r.Passwd = nonNil(d.Buffer())
	r.HasReadOnly = d.Err() == nil && d.Remaining() > 0
	if r.HasReadOnly {
		r.ReadOnly = d.Bool()
	}
}

// ConnectResponse answers a ConnectRequest. TimeOut <= 0 means the session
// is expired or the password was wrong (§2.2).
type ConnectResponse struct {
	ProtocolVersion int32
	TimeOut         int32 // ms, negotiated
	SessionID       int64
	Passwd          []byte
	ReadOnly        bool
	HasReadOnly     bool
}

// Encode implements Record; ReadOnly is written only when HasReadOnly.
func (r *ConnectResponse) Encode(e *Encoder) {
	e.Int(r.ProtocolVersion)
	e.Int(r.TimeOut)
	e.Long(r.SessionID)
	e.Buffer(nonNil(r.Passwd))
	if r.HasReadOnly {
		e.Bool(r.ReadOnly)
	}
}

// Decode implements Record; the ReadOnly byte is read if one is left.
func (r *ConnectResponse) Decode(d *Decoder) {
	r.ProtocolVersion = d.Int()
	r.TimeOut = d.Int()
	r.SessionID = d.Long()
	r.Passwd = nonNil(d.Buffer())
	r.HasReadOnly = d.Err() == nil && d.Remaining() > 0
	if r.HasReadOnly {
		r.ReadOnly = d.Bool()
	}
}

// AuthPacket adds an identity to the connection (opcode 100). Type is 0.
type AuthPacket struct {
	Type   int32
	Scheme string
	Auth   []byte
}

// Encode implements Record.
func (a *AuthPacket) Encode(e *Encoder) { e.Int(a.Type); e.String(a.Scheme); e.Buffer(nonNil(a.Auth)) }

// Decode implements Record.
func (a *AuthPacket) Decode(d *Decoder) {
	a.Type = d.Int()
	a.Scheme = d.String()
	a.Auth = nonNil(d.Buffer())
}

// ErrorResponse is an error result inside a MultiResponse and the body of an
// addWatch reply.
type ErrorResponse struct {
	Err Code
}

// Encode implements Record.
func (r *ErrorResponse) Encode(e *Encoder) { e.Int(int32(r.Err)) }

// Decode implements Record.
func (r *ErrorResponse) Decode(d *Decoder) { r.Err = Code(d.Int()) }

// nonNil turns a nil password, auth or container path into an empty one:
// those buffers mean nothing as null, so they are never sent as null and a
// null received reads as empty (which also makes decode∘encode idempotent).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
