package tree

import "slices"

// Apply applies one replicated write and reports what it did. It is
// deterministic: the result and the new state depend only on the tree and
// the txn. Every write consumes its zxid, failures included (LastZxid becomes
// txn.Zxid), as ZooKeeper's leader logs an error txn for a failed write; a
// txn whose Zxid is not above LastZxid is refused with
// ErrRuntimeInconsistency and changes nothing.
//
// Write types: create, create2, createContainer, createTTL, delete, setData,
// setACL, multi, createSession, closeSession, deleteContainer (the reaper's
// delete: the node must be an empty container or TTL node), reconfig
// (Session 0 only: replaces /zookeeper/config's data) and error (a no-op).
// Any other type answers ErrUnimplemented. A write from a Session other than
// 0 that is not in the session table fails with ErrSessionExpired at the
// point where ZooKeeper checks the session (createSession, closeSession and
// error do not check it; neither does an empty multi).
//
// Apply takes copies of everything it keeps from txn; txn may be reused.
func (t *Tree) Apply(txn *Txn) Result {
	if txn.Zxid <= t.lastZxid {
		return Result{Err: ErrRuntimeInconsistency}
	}
	t.lastZxid = txn.Zxid
	var r Result
	op := &txn.Op
	switch op.Type {
	case OpCreate, OpCreate2, OpCreateContainer, OpCreateTTL:
		r.Path, r.Stat, r.Err = t.create(txn, op)
	case OpDelete:
		r.Err = t.delete(txn, op)
	case OpSetData:
		r.Stat, r.Err = t.setData(txn, op)
	case OpSetACL:
		r.Stat, r.Err = t.setACL(txn, op)
	case OpDeleteContainer:
		r.Err = t.deleteContainer(txn, op)
	case OpReconfig:
		r.Path = configPath
		r.Stat, r.Err = t.reconfig(txn, op)
	case OpMulti:
		r.Results, r.Err = t.multi(txn)
	case OpCreateSession:
		r.Err = t.createSession(op)
	case OpCloseSession:
		t.closeSession(txn, op)
	case OpError:
	default:
		r.Err = ErrUnimplemented
	}
	if r.Err == OK {
		t.commit()
		if len(t.changes) > 0 {
			r.Changes = slices.Clone(t.changes)
		}
	} else {
		t.rollback()
		r.Path, r.Stat = "", Stat{}
	}
	clear(t.changes)
	t.changes = t.changes[:0]
	return r
}

// liveSession is ZooKeeper's checkSession as the tree can judge it: the
// ensemble (0) always passes, a client session must be in the table.
func (t *Tree) liveSession(id int64) Code {
	if id == 0 {
		return OK
	}
	if _, ok := t.sessions[id]; !ok {
		return ErrSessionExpired
	}
	return OK
}

func (t *Tree) changed(typ EventType, path string, aclRef uint32) {
	t.changes = append(t.changes, Change{Type: typ, Path: path, ACL: t.acls.list(aclRef)})
}
