package zk

// WatcherEvent is the body of a notification (xid -1). Path is the server
// path; clients strip their chroot.
type WatcherEvent struct {
	Type  EventType
	State KeeperState
	Path  string
}

// Encode implements Record.
func (w *WatcherEvent) Encode(e *Encoder) {
	e.Int(int32(w.Type))
	e.Int(int32(w.State))
	e.String(w.Path)
}

// Decode implements Record.
func (w *WatcherEvent) Decode(d *Decoder) {
	w.Type = EventType(d.Int())
	w.State = KeeperState(d.Int())
	w.Path = d.String()
}

// SetWatches re-registers one-shot watches after a reconnect (opcode 101).
// RelativeZxid is the last zxid the client saw; the server sends catch-up
// events for changes after it (§4.4).
type SetWatches struct {
	RelativeZxid int64
	DataWatches  []string
	ExistWatches []string
	ChildWatches []string
}

// Encode implements Record.
func (s *SetWatches) Encode(e *Encoder) {
	e.Long(s.RelativeZxid)
	e.Strings(s.DataWatches)
	e.Strings(s.ExistWatches)
	e.Strings(s.ChildWatches)
}

// Decode implements Record.
func (s *SetWatches) Decode(d *Decoder) {
	s.RelativeZxid = d.Long()
	s.DataWatches = d.Strings()
	s.ExistWatches = d.Strings()
	s.ChildWatches = d.Strings()
}

// SetWatches2 is SetWatches plus persistent and persistent-recursive watches
// (opcode 105, ZooKeeper 3.6+). Those two get no catch-up events.
type SetWatches2 struct {
	RelativeZxid               int64
	DataWatches                []string
	ExistWatches               []string
	ChildWatches               []string
	PersistentWatches          []string
	PersistentRecursiveWatches []string
}

// Encode implements Record.
func (s *SetWatches2) Encode(e *Encoder) {
	e.Long(s.RelativeZxid)
	e.Strings(s.DataWatches)
	e.Strings(s.ExistWatches)
	e.Strings(s.ChildWatches)
	e.Strings(s.PersistentWatches)
	e.Strings(s.PersistentRecursiveWatches)
}

// Decode implements Record.
func (s *SetWatches2) Decode(d *Decoder) {
	s.RelativeZxid = d.Long()
	s.DataWatches = d.Strings()
	s.ExistWatches = d.Strings()
	s.ChildWatches = d.Strings()
	s.PersistentWatches = d.Strings()
	s.PersistentRecursiveWatches = d.Strings()
}

// AddWatchRequest adds a persistent or persistent-recursive watch (opcode
// 106); the node need not exist. The reply body is an ErrorResponse.
type AddWatchRequest struct {
	Path string
	Mode AddWatchMode
}

// Encode implements Record.
func (r *AddWatchRequest) Encode(e *Encoder) { e.String(r.Path); e.Int(int32(r.Mode)) }

// Decode implements Record.
func (r *AddWatchRequest) Decode(d *Decoder) { r.Path = d.Path(); r.Mode = AddWatchMode(d.Int()) }

// WatchesRequest is the body of checkWatches (17) and removeWatches (18).
// Both have empty replies; ErrNoWatcher when no such watch exists.
type WatchesRequest struct {
	Path string
	Type WatcherType
}

// Encode implements Record.
func (r *WatchesRequest) Encode(e *Encoder) { e.String(r.Path); e.Int(int32(r.Type)) }

// Decode implements Record.
func (r *WatchesRequest) Decode(d *Decoder) { r.Path = d.Path(); r.Type = WatcherType(d.Int()) }

// The jute names of the two watch-removal requests.
type (
	CheckWatchesRequest  = WatchesRequest
	RemoveWatchesRequest = WatchesRequest
)
