package zk

// CreateRequest is the body of create (1), create2 (15) and
// createContainer (19).
type CreateRequest struct {
	Path  string
	Data  []byte
	ACL   []ACL
	Flags CreateMode
}

// Encode implements Record.
func (r *CreateRequest) Encode(e *Encoder) {
	e.String(r.Path)
	e.Buffer(r.Data)
	encodeACLs(e, r.ACL)
	e.Int(int32(r.Flags))
}

// Decode implements Record.
func (r *CreateRequest) Decode(d *Decoder) {
	r.Path = d.Path()
	r.Data = d.Buffer()
	r.ACL = decodeACLs(d)
	r.Flags = CreateMode(d.Int())
}

// CreateTTLRequest is the body of createTTL (21); TTL is in milliseconds.
type CreateTTLRequest struct {
	Path  string
	Data  []byte
	ACL   []ACL
	Flags CreateMode
	TTL   int64
}

// Encode implements Record.
func (r *CreateTTLRequest) Encode(e *Encoder) {
	e.String(r.Path)
	e.Buffer(r.Data)
	encodeACLs(e, r.ACL)
	e.Int(int32(r.Flags))
	e.Long(r.TTL)
}

// Decode implements Record.
func (r *CreateTTLRequest) Decode(d *Decoder) {
	r.Path = d.Path()
	r.Data = d.Buffer()
	r.ACL = decodeACLs(d)
	r.Flags = CreateMode(d.Int())
	r.TTL = d.Long()
}

// PathResponse answers create (the actual path, with any sequence suffix)
// and sync (the path echoed).
type PathResponse struct{ Path string }

// Encode implements Record.
func (r *PathResponse) Encode(e *Encoder) { e.String(r.Path) }

// Decode implements Record.
func (r *PathResponse) Decode(d *Decoder) { r.Path = d.String() }

// Create2Response answers create2, createContainer and createTTL with the
// actual path and the new node's stat.
type Create2Response struct {
	Path string
	Stat Stat
}

// Encode implements Record.
func (r *Create2Response) Encode(e *Encoder) { e.String(r.Path); r.Stat.Encode(e) }

// Decode implements Record.
func (r *Create2Response) Decode(d *Decoder) { r.Path = d.String(); r.Stat.Decode(d) }

// DeleteRequest is the body of delete (2).
type DeleteRequest struct {
	Path    string
	Version int32
}

// Encode implements Record.
func (r *DeleteRequest) Encode(e *Encoder) { e.String(r.Path); e.Int(r.Version) }

// Decode implements Record.
func (r *DeleteRequest) Decode(d *Decoder) { r.Path = d.Path(); r.Version = d.Int() }

// CheckVersionRequest is the body of check (13), valid only inside a multi.
// Version -1 only asserts that the node exists.
type CheckVersionRequest struct {
	Path    string
	Version int32
}

// Encode implements Record.
func (r *CheckVersionRequest) Encode(e *Encoder) { e.String(r.Path); e.Int(r.Version) }

// Decode implements Record.
func (r *CheckVersionRequest) Decode(d *Decoder) { r.Path = d.Path(); r.Version = d.Int() }

// PathWatchRequest is the body of exists (3), getData (4), getChildren (8)
// and getChildren2 (12): a path and whether to leave a watch.
type PathWatchRequest struct {
	Path  string
	Watch bool
}

// Encode implements Record.
func (r *PathWatchRequest) Encode(e *Encoder) { e.String(r.Path); e.Bool(r.Watch) }

// Decode implements Record.
func (r *PathWatchRequest) Decode(d *Decoder) { r.Path = d.Path(); r.Watch = d.Bool() }

// PathRequest is the body of getACL (6), sync (9), getEphemerals (103) and
// getAllChildrenNumber (104): a single path.
type PathRequest struct{ Path string }

// Encode implements Record.
func (r *PathRequest) Encode(e *Encoder) { e.String(r.Path) }

// Decode implements Record.
func (r *PathRequest) Decode(d *Decoder) { r.Path = d.Path() }

// StatResponse answers exists, setData and setACL.
type StatResponse struct{ Stat Stat }

// Encode implements Record.
func (r *StatResponse) Encode(e *Encoder) { r.Stat.Encode(e) }

// Decode implements Record.
func (r *StatResponse) Decode(d *Decoder) { r.Stat.Decode(d) }

// GetDataResponse answers getData and reconfig. Data is nil when the node
// holds null data.
type GetDataResponse struct {
	Data []byte
	Stat Stat
}

// Encode implements Record.
func (r *GetDataResponse) Encode(e *Encoder) { e.Buffer(r.Data); r.Stat.Encode(e) }

// Decode implements Record.
func (r *GetDataResponse) Decode(d *Decoder) { r.Data = d.Buffer(); r.Stat.Decode(d) }

// SetDataRequest is the body of setData (5).
type SetDataRequest struct {
	Path    string
	Data    []byte
	Version int32
}

// Encode implements Record.
func (r *SetDataRequest) Encode(e *Encoder) { e.String(r.Path); e.Buffer(r.Data); e.Int(r.Version) }

// Decode implements Record.
func (r *SetDataRequest) Decode(d *Decoder) {
	r.Path = d.Path()
	r.Data = d.Buffer()
	r.Version = d.Int()
}

// GetACLResponse answers getACL (6).
type GetACLResponse struct {
	ACL  []ACL
	Stat Stat
}

// Encode implements Record.
func (r *GetACLResponse) Encode(e *Encoder) { encodeACLs(e, r.ACL); r.Stat.Encode(e) }

// Decode implements Record.
func (r *GetACLResponse) Decode(d *Decoder) { r.ACL = decodeACLs(d); r.Stat.Decode(d) }

// SetACLRequest is the body of setACL (7); Version is matched against the
// node's aversion.
type SetACLRequest struct {
	Path    string
	ACL     []ACL
	Version int32
}

// Encode implements Record.
func (r *SetACLRequest) Encode(e *Encoder) { e.String(r.Path); encodeACLs(e, r.ACL); e.Int(r.Version) }

// Decode implements Record.
func (r *SetACLRequest) Decode(d *Decoder) {
	r.Path = d.Path()
	r.ACL = decodeACLs(d)
	r.Version = d.Int()
}

// ChildrenResponse answers getChildren (8), and getEphemerals (103) whose
// vector has the same shape.
type ChildrenResponse struct{ Children []string }

// Encode implements Record.
func (r *ChildrenResponse) Encode(e *Encoder) { e.Strings(r.Children) }

// Decode implements Record.
func (r *ChildrenResponse) Decode(d *Decoder) { r.Children = d.Strings() }

// Children2Response answers getChildren2 (12).
type Children2Response struct {
	Children []string
	Stat     Stat
}

// Encode implements Record.
func (r *Children2Response) Encode(e *Encoder) { e.Strings(r.Children); r.Stat.Encode(e) }

// Decode implements Record.
func (r *Children2Response) Decode(d *Decoder) { r.Children = d.Strings(); r.Stat.Decode(d) }

// The jute names of records that share a shape with one defined above.
type (
	ExistsRequest               = PathWatchRequest
	GetDataRequest              = PathWatchRequest
	GetChildrenRequest          = PathWatchRequest
	GetChildren2Request         = PathWatchRequest
	GetACLRequest               = PathRequest
	SyncRequest                 = PathRequest
	GetEphemeralsRequest        = PathRequest
	GetAllChildrenNumberRequest = PathRequest
	CreateResponse              = PathResponse
	SyncResponse                = PathResponse
	ExistsResponse              = StatResponse
	SetDataResponse             = StatResponse
	SetACLResponse              = StatResponse
	GetChildrenResponse         = ChildrenResponse
	GetEphemeralsResponse       = ChildrenResponse
	ReconfigResponse            = GetDataResponse
)
