package zk

// ReconfigRequest is the body of reconfig (16). Empty fields mean "none";
// CurConfigID -1 skips the config-version check. The reply is a
// GetDataResponse with the new /zookeeper/config.
type ReconfigRequest struct {
	JoiningServers string
	LeavingServers string
	NewMembers     string
	CurConfigID    int64
}

// Encode implements Record.
func (r *ReconfigRequest) Encode(e *Encoder) {
	e.String(r.JoiningServers)
	e.String(r.LeavingServers)
	e.String(r.NewMembers)
	e.Long(r.CurConfigID)
}

// Decode implements Record.
func (r *ReconfigRequest) Decode(d *Decoder) {
	r.JoiningServers = d.String()
	r.LeavingServers = d.String()
	r.NewMembers = d.String()
	r.CurConfigID = d.Long()
}

// GetAllChildrenNumberResponse answers getAllChildrenNumber (104): the number
// of descendants, recursively.
type GetAllChildrenNumberResponse struct{ TotalNumber int32 }

// Encode implements Record.
func (r *GetAllChildrenNumberResponse) Encode(e *Encoder) { e.Int(r.TotalNumber) }

// Decode implements Record.
func (r *GetAllChildrenNumberResponse) Decode(d *Decoder) { r.TotalNumber = d.Int() }

// WhoAmIResponse answers whoAmI (107) with the connection's identities.
type WhoAmIResponse struct{ ClientInfo []ClientInfo }

// Encode implements Record.
func (r *WhoAmIResponse) Encode(e *Encoder) {
	e.Int(int32(len(r.ClientInfo)))
	for i := range r.ClientInfo {
		r.ClientInfo[i].Encode(e)
	}
}

// Decode implements Record; a ClientInfo occupies at least 8 bytes.
func (r *WhoAmIResponse) Decode(d *Decoder) {
	n := d.Count(8)
	r.ClientInfo = nil
	if n > 0 {
		r.ClientInfo = make([]ClientInfo, n)
		for i := range r.ClientInfo {
			r.ClientInfo[i].Decode(d)
		}
	}
}

// SASLRecord is the body of a sasl (102) request (GetSASLRequest) and of its
// reply (SetSASLResponse): one token.
type SASLRecord struct{ Token []byte }

// Encode implements Record.
func (r *SASLRecord) Encode(e *Encoder) { e.Buffer(r.Token) }

// Decode implements Record.
func (r *SASLRecord) Decode(d *Decoder) { r.Token = d.Buffer() }

// DeleteContainerRequest is the hand-written record of deleteContainer (20),
// used only by a server's container reaper: the path as a buffer.
type DeleteContainerRequest struct{ Path []byte }

// Encode implements Record.
func (r *DeleteContainerRequest) Encode(e *Encoder) { e.Buffer(nonNil(r.Path)) }

// Decode implements Record.
func (r *DeleteContainerRequest) Decode(d *Decoder) { r.Path = nonNil(d.Buffer()) }

// The jute names of the sasl records.
type (
	GetSASLRequest  = SASLRecord
	SetSASLResponse = SASLRecord
)
