package zk

// MultiHeader precedes every op of a multi request or response; a header
// with Done set ends the list (§3.7).
type MultiHeader struct {
	Type OpCode
	Done bool
	Err  Code
}

// Encode implements Record.
func (h *MultiHeader) Encode(e *Encoder) { e.Int(int32(h.Type)); e.Bool(h.Done); e.Int(int32(h.Err)) }

// Decode implements Record.
func (h *MultiHeader) Decode(d *Decoder) {
	h.Type = OpCode(d.Int())
	h.Done = d.Bool()
	h.Err = Code(d.Int())
}

var multiDone = MultiHeader{Type: OpError, Done: true, Err: -1}

// MultiOp is one operation of a multi (14) or multiRead (22) request: its
// opcode and its request record (*CreateRequest, *CreateTTLRequest,
// *DeleteRequest, *SetDataRequest, *CheckVersionRequest, or for multiRead
// *GetDataRequest and *GetChildrenRequest).
type MultiOp struct {
	Type OpCode
	Req  Record
}

// MultiRequest is the body of multi and multiRead. Read selects which ops
// Decode accepts: set it before decoding (DecodeRequest does). A disallowed
// op fails decoding, which ZooKeeper answers with ErrMarshallingError.
type MultiRequest struct {
	Read bool
	Ops  []MultiOp
}

// Encode implements Record.
func (m *MultiRequest) Encode(e *Encoder) {
	for _, op := range m.Ops {
		h := MultiHeader{Type: op.Type, Err: -1}
		h.Encode(e)
		op.Req.Encode(e)
	}
	multiDone.Encode(e)
}

// Decode implements Record.
func (m *MultiRequest) Decode(d *Decoder) {
	m.Ops = nil
	for d.Err() == nil {
		var h MultiHeader
		h.Decode(d)
		if h.Done || d.Err() != nil {
			return
		}
		req := newMultiOpRecord(h.Type, m.Read)
		if req == nil {
			d.Fail("op %v not allowed in %s", h.Type, map[bool]string{false: "multi", true: "multiRead"}[m.Read])
			return
		}
		req.Decode(d)
		m.Ops = append(m.Ops, MultiOp{Type: h.Type, Req: req})
	}
}

func newMultiOpRecord(op OpCode, read bool) Record {
	if read {
		switch op {
		case OpGetData:
			return &GetDataRequest{}
		case OpGetChildren:
			return &GetChildrenRequest{}
		}
		return nil
	}
	switch op {
	case OpCreate, OpCreate2, OpCreateContainer:
		return &CreateRequest{}
	case OpCreateTTL:
		return &CreateTTLRequest{}
	case OpDelete:
		return &DeleteRequest{}
	case OpSetData:
		return &SetDataRequest{}
	case OpCheck:
		return &CheckVersionRequest{}
	}
	return nil
}

// MultiResult is the outcome of one op of a multi or multiRead. Type is the
// result type on the wire: the op's code, or OpError with Err set. Path is
// set for create results, Stat for create2-style, setData and getData
// results, Data for getData, Children for getChildren.
type MultiResult struct {
	Type     OpCode
	Err      Code
	Path     string
	Stat     *Stat
	Data     []byte
	Children []string
}

// MultiResponse is the body of a multi or multiRead reply. When a write
// multi fails, ZooKeeper still replies with header err OK and every result
// is an error result (§3.7).
type MultiResponse struct {
	Results []MultiResult
}

// Encode implements Record.
func (m *MultiResponse) Encode(e *Encoder) {
	for i := range m.Results {
		r := &m.Results[i]
		h := MultiHeader{Type: r.Type}
		if r.Type == OpError {
			h.Err = r.Err
		}
		h.Encode(e)
		stat := r.Stat
		if stat == nil {
			stat = &Stat{}
		}
		switch r.Type {
		case OpCreate:
			e.String(r.Path)
		case OpCreate2, OpCreateContainer, OpCreateTTL:
			e.String(r.Path)
			stat.Encode(e)
		case OpSetData:
			stat.Encode(e)
		case OpGetData:
			e.Buffer(r.Data)
			stat.Encode(e)
		case OpGetChildren:
			e.Strings(r.Children)
		case OpError:
			e.Int(int32(r.Err))
		}
	}
	multiDone.Encode(e)
}

// Decode implements Record. An unknown result type fails, as it does in Java.
func (m *MultiResponse) Decode(d *Decoder) {
	m.Results = nil
	for d.Err() == nil {
		var h MultiHeader
		h.Decode(d)
		if h.Done || d.Err() != nil {
			return
		}
		r := MultiResult{Type: h.Type}
		switch h.Type {
		case OpCreate:
			r.Path = d.String()
		case OpCreate2, OpCreateContainer, OpCreateTTL:
			r.Path = d.String()
			r.Stat = decodeStat(d)
		case OpDelete, OpCheck:
		case OpSetData:
			r.Stat = decodeStat(d)
		case OpGetData:
			r.Data = d.Buffer()
			r.Stat = decodeStat(d)
		case OpGetChildren:
			r.Children = d.Strings()
		case OpError:
			r.Err = Code(d.Int())
		default:
			d.Fail("invalid multi result type %v", h.Type)
			return
		}
		m.Results = append(m.Results, r)
	}
}

func decodeStat(d *Decoder) *Stat {
	s := new(Stat)
	s.Decode(d)
	return s
}
