package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/raft"

	"coordtui/tree"
)

// Session ownership, as ZooKeeper's leader keeps it: the member a session's
// client last (re)attached to owns it. When a client resumes its session on
// another member, the leader records the new owner and tells the others,
// which close the session's old connection (the client has left it). A
// write that still arrives from the member it left is refused: the leader
// commits an error transaction in its place (it takes a zxid, as
// ZooKeeper's does) and the member that sent it closes that connection
// without a reply — ZooKeeper's SESSIONMOVED, a connection-level error.
//
// The owner table lives only in the leader's memory; a new leader starts
// with none and accepts writes from anywhere until clients re-attach.

const (
	msgOwner byte = 5 // body: ids [session, member]; answered by msgResult
	msgMoved byte = 6 // body: ids [session, new owner]; no answer
)

// ErrSessionMoved: the session has attached to another member since this
// write was sent; the leader refused it and nothing changed.
var ErrSessionMoved = errors.New("cluster: session moved to another member")

// owners is the leader's table of session owners.
type owners struct {
	mu sync.Mutex
	m  map[int64]uint64
}

// set records that member owns id and returns the previous owner (0: not
// known).
func (o *owners) set(id int64, member uint64) uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[int64]uint64{}
	}
	prev := o.m[id]
	o.m[id] = member
	return prev
}

// elsewhere reports that id is known to be owned by a member other than
// origin.
func (o *owners) elsewhere(id int64, origin uint64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	owner, ok := o.m[id]
	return ok && owner != origin
}

// keep forgets every session live does not report (closed or expired).
func (o *owners) keep(live func(int64) bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for id := range o.m {
		if !live(id) {
			delete(o.m, id)
		}
	}
}

func (o *owners) reset() {
	o.mu.Lock()
	clear(o.m)
	o.mu.Unlock()
}

// AddMovedHook registers fn to be called with a session id when that
// session's client has re-attached to another member: the member closes
// the session's connection here. fn runs on a peer goroutine and must not
// block.
func (n *Node) AddMovedHook(fn func(session int64)) {
	n.movedMu.Lock()
	n.movedHooks = append(n.movedHooks, fn)
	n.movedMu.Unlock()
}

func (n *Node) moved(session int64) {
	n.movedMu.Lock()
	hooks := n.movedHooks
	n.movedMu.Unlock()
	for _, fn := range hooks {
		fn(session)
	}
}

// Revalidate tells the leader that session id's client is now on this
// member, as a ZooKeeper learner revalidates a resumed session, and renews
// its timeout. It blocks until the leader has recorded it; a member that
// cannot reach a leader returns an error and the client should try
// another.
func (n *Node) Revalidate(ctx context.Context, id int64) error {
	n.sessions.touch(id)
	addr, lid := n.raft.LeaderWithID()
	switch {
	case lid == "":
		return ErrNoLeader
	case lid == n.id:
		n.own(id, n.cfg.ID)
		return nil
	}
	leader := MemberID(lid)
	if err := n.deliver(leader); err != nil {
		return fmt.Errorf("%w: %v", ErrLeaderUnreachable, err)
	}
	if err := n.peer(string(addr)).call(ctx, msgOwner, encodeIDs([]int64{id, int64(n.cfg.ID)})); err != nil {
		return err
	}
	return n.deliverFrom(leader)
}

// own records, on the leader, that member owns id, and tells the member it
// left (every other member when that is not known) to close the session's
// connection there.
func (n *Node) own(id int64, member uint64) {
	prev := n.owners.set(id, member)
	if prev == member {
		return
	}
	f := n.raft.GetConfiguration()
	if f.Error() != nil {
		return
	}
	body := encodeIDs([]int64{id, int64(member)})
	for _, srv := range f.Configuration().Servers {
		to := MemberID(srv.ID)
		if to == member || (prev != 0 && to != prev) {
			continue
		}
		if to == n.cfg.ID {
			n.moved(id)
			continue
		}
		if n.deliver(to) == nil {
			_ = n.peer(string(srv.Address)).send(msgMoved, body, nil)
		}
	}
}

// servePeerOwner answers a member's msgOwner on the leader.
func (n *Node) servePeerOwner(body []byte) error {
	ids, err := decodeIDs(body)
	if err != nil || len(ids) != 2 {
		return errBadEntry
	}
	if n.raft.State() != raft.Leader {
		return ErrNotLeader
	}
	n.sessions.touch(ids[0])
	n.own(ids[0], uint64(ids[1]))
	return nil
}

// servePeerMoved handles the leader's msgMoved on a member.
func (n *Node) servePeerMoved(body []byte) {
	ids, err := decodeIDs(body)
	if err != nil || len(ids) != 2 || uint64(ids[1]) == n.cfg.ID {
		return
	}
	n.moved(ids[0])
}

// refuseMoved is proposeLocal for a write whose session has moved away
// from p's origin: an error transaction takes its place, so the refusal is
// ordered in the log as ZooKeeper's is, and the origin is told
// ErrSessionMoved once it commits. The origin's waiter is not woken by it
// (reqID 0), so the write's caller sees the error and nothing else.
func (n *Node) refuseMoved(p proposal, session int64) <-chan error {
	errTxn := proposal{origin: p.origin, txn: tree.AppendTxn(nil, &tree.Txn{Session: session, Op: tree.Op{Type: tree.OpError}})}
	inner := make(chan error, 1)
	out := make(chan error, 1)
	select {
	case n.props <- pendingProp{errTxn, inner}:
	case <-n.stop:
		out <- ErrClosed
		return out
	}
	if !n.spawn(func() {
		select {
		case err := <-inner:
			if err == nil {
				err = ErrSessionMoved
			}
			out <- err
		case <-n.stop:
			out <- ErrClosed
		}
	}) {
		out <- ErrClosed
	}
	return out
}
