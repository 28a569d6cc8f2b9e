package cluster

import (
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/hashicorp/raft"

	"coordtui/tree"
)

// Applied describes one transaction as every replica applied it.
type Applied struct {
	Index  uint64    // raft index of the entry that carried it
	Txn    *tree.Txn // Zxid and Time filled in
	Result tree.Result
	Origin uint64 // member whose client asked (0: the ensemble itself)
	ReqID  uint64
}

// String describes the transaction in one stable line, as the zxid log shows it.
func (a *Applied) String() string {
	s := fmt.Sprintf("%s s=%#x %s %s", a.Txn.Zxid, a.Txn.Session, a.Txn.Op.Type, a.Txn.Op.Path)
	if a.Result.Err != tree.OK {
		s += " -> " + a.Result.Err.String()
	}
	return s
}

// applyHook sees every applied transaction, in log order, on the FSM
// goroutine, while the tree is locked for writing. It must not block: a
// hook that queues watch notifications here gets them ahead of any reply
// that reflects the change, which is the ordering ZooKeeper promises.
type applyHook func(t *tree.Tree, a *Applied)

// fsm is the raft state machine around one tree. Apply must be
// deterministic: every input comes from the log entry.
type fsm struct {
	mu sync.RWMutex // guards t
	t  *tree.Tree

	hooks []applyHook // fixed before raft starts

	waitMu  sync.Mutex
	waiters map[uint64]chan *Applied // by reqID, for proposals this member made
	self    uint64
}

func newFSM(self uint64) *fsm {
	return &fsm{t: tree.New(), waiters: make(map[uint64]chan *Applied), self: self}
}

// view runs fn with the tree locked for reading. fn must not keep t.
func (f *fsm) view(fn func(t *tree.Tree)) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	fn(f.t)
}

// await registers interest in the result of a proposal this member is about
// to make. The channel gets exactly one value, or none if the proposal never
// commits; call cancel when giving up.
func (f *fsm) await(reqID uint64) (ch <-chan *Applied, cancel func()) {
	c := make(chan *Applied, 1)
	f.waitMu.Lock()
	f.waiters[reqID] = c
	f.waitMu.Unlock()
	return c, func() {
		f.waitMu.Lock()
		delete(f.waiters, reqID)
		f.waitMu.Unlock()
	}
}

func (f *fsm) deliver(a *Applied) {
	if a.Origin != f.self {
		return
	}
	f.waitMu.Lock()
	c, ok := f.waiters[a.ReqID]
	delete(f.waiters, a.ReqID)
	f.waitMu.Unlock()
	if ok {
		c <- a
	}
}

// Apply implements raft.FSM.
func (f *fsm) Apply(l *raft.Log) interface{} {
	return f.ApplyBatch([]*raft.Log{l})[0]
}

// ApplyBatch implements raft.BatchingFSM. A committed entry that cannot be
// decoded means the replicas can no longer agree: that is the one place the
// package panics.
func (f *fsm) ApplyBatch(logs []*raft.Log) []interface{} {
	out := make([]interface{}, len(logs))
	var done []*Applied
	f.mu.Lock()
	for i, l := range logs {
		if l.Type != raft.LogCommand {
			continue
		}
		timeMs, props, err := decodeEntry(l.Data)
		if err != nil {
			panic(fmt.Sprintf("cluster: committed entry %d undecodable: %v", l.Index, err))
		}
		for _, p := range props {
			a := &Applied{Index: l.Index, Origin: p.origin, ReqID: p.reqID}
			if len(p.txn) == 0 {
				// A sync marker: ordered with the writes, changes nothing,
				// consumes no zxid (ZooKeeper's sync does not either).
				a.Txn = &tree.Txn{Zxid: f.t.LastZxid(), Time: timeMs, Op: tree.Op{Type: tree.OpSync}}
				done = append(done, a)
				continue
			}
			txn, err := decodeProposal(p, timeMs)
			if err != nil {
				panic(fmt.Sprintf("cluster: committed txn in entry %d undecodable: %v", l.Index, err))
			}
			txn.Zxid = tree.NextZxid(f.t.LastZxid(), uint32(l.Term))
			if txn.Op.Type == tree.OpReconfig && txn.Session == 0 {
				// ZooKeeper's config ends with its version: the zxid that
				// wrote it. Known only here, and the same on every replica.
				txn.Op.Data = fmt.Appendf(slices.Clip(txn.Op.Data), "version=%x", int64(txn.Zxid))
			}
			a.Txn = txn
			a.Result = f.t.Apply(txn)
			for _, h := range f.hooks {
				h(f.t, a)
			}
			done = append(done, a)
		}
		out[i] = len(props)
	}
	f.mu.Unlock()
	for _, a := range done {
		f.deliver(a)
	}
	return out
}

// Snapshot implements raft.FSM. It runs on the FSM goroutine, so the copy it
// takes is exactly the state after the last applied entry.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	f.mu.RLock()
	data := f.t.AppendSnapshot(nil)
	f.mu.RUnlock()
	return snapshot(data), nil
}

// Restore implements raft.FSM.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return fmt.Errorf("cluster: reading snapshot: %w", err)
	}
	t, err := tree.RestoreSnapshot(data)
	if err != nil {
		return fmt.Errorf("cluster: restoring snapshot: %w", err)
	}
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
	return nil
}

type snapshot []byte

func (s snapshot) Persist(sink raft.SnapshotSink) error {
	if _, err := sink.Write(s); err != nil {
		sink.Cancel()
		return err
	}
	return sink.Close()
}

func (s snapshot) Release() {}

var _ raft.BatchingFSM = (*fsm)(nil)
