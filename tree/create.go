package tree

import (
	"bytes"
	"strings"
)

// create handles create, create2, createContainer and createTTL, with the
// checks of PrepRequestProcessor.pRequest2TxnCreate in their order (the order
// decides which error a client sees):
//
//	flags are a CreateMode                            BADARGUMENTS
//	createTTL: a TTL mode, 0 < ttl < 2^40; others: no TTL mode   BADARGUMENTS
//	session (ephemeral modes need a real one)         SESSIONEXPIRED
//	data within the size limit                        BADARGUMENTS
//	path has a '/' and no NUL                         BADARGUMENTS
//	ACL fix-up                                        INVALIDACL
//	parent exists (before the name is validated)      NONODE
//	CREATE on the parent                              NOAUTH
//	(sequential: append the parent's counter)
//	full path validation                              BADARGUMENTS
//	node does not exist                               NODEEXISTS
//	parent is not an ephemeral                        NOCHILDRENFOREPHEMERALS
//
// The opcode decides what kind of node is made: createContainer always makes
// a container and createTTL a TTL node; create and create2 make an ephemeral
// or a persistent node (so create2 with flag 4 makes a plain persistent
// node, as ZooKeeper does).
func (t *Tree) create(txn *Txn, op *Op) (string, Stat, Code) {
	mode := op.Flags
	if !mode.Valid() {
		return "", Stat{}, ErrBadArguments
	}
	if op.Type == OpCreateTTL {
		if !mode.IsTTL() || op.TTL <= 0 || op.TTL > maxTTL {
			return "", Stat{}, ErrBadArguments
		}
	} else if mode.IsTTL() {
		return "", Stat{}, ErrBadArguments // ZooKeeper's ttl is -1 outside createTTL
	}
	if mode.IsEphemeral() && txn.Session == 0 {
		return "", Stat{}, ErrSessionExpired
	}
	if c := t.liveSession(txn.Session); c != OK {
		return "", Stat{}, c
	}
	if len(op.Data) > t.maxData {
		return "", Stat{}, ErrBadArguments
	}
	path := op.Path
	last := strings.LastIndexByte(path, '/')
	if last < 0 || strings.IndexByte(path, 0) >= 0 {
		return "", Stat{}, ErrBadArguments
	}
	acl, c := fixupACL(op.ACL, txn.Auth)
	if c != OK {
		return "", Stat{}, c
	}
	parentPath := canonParent(path[:last])
	parent := t.lookup(parentPath)
	if parent == nil {
		return "", Stat{}, ErrNoNode
	}
	if !HasPerm(t.acls.list(parent.acl), txn.Auth, PermCreate) {
		return "", Stat{}, ErrNoAuth
	}
	if mode.IsSequential() {
		path = string(appendSeq([]byte(path), parent.cversion))
	}
	if !validPath(path) {
		return "", Stat{}, ErrBadArguments
	}
	name := path[last+1:]
	at, exists := parent.kids.where(name)
	if exists || name == "" { // "" only for "/", which exists
		return "", Stat{}, ErrNodeExists
	}
	if parent.kind() == kindEphemeral {
		return "", Stat{}, ErrNoChildrenForEphemerals
	}

	var owner int64
	switch {
	case op.Type == OpCreateContainer:
		owner = containerOwner
	case op.Type == OpCreateTTL:
		owner = ttlOwner | op.TTL
	case mode.IsEphemeral():
		owner = txn.Session
	}
	ref := t.acquireACL(acl)
	pph := pathHash(parentPath)
	t.beginEdit(parent, pph, false)
	// The counter is a Java int and wraps; ZooKeeper's DataTree would then
	// stop advancing it, but its PrepRequestProcessor (which names the nodes)
	// wraps, and a deterministic wrap is what the suffix rule describes.
	parent.cversion++
	parent.pzxid = txn.Zxid
	t.endEdit(parent, pph, false)
	n := &node{
		data:  bytes.Clone(op.Data),
		czxid: txn.Zxid, mzxid: txn.Zxid, pzxid: txn.Zxid,
		ctime: txn.Time, mtime: txn.Time,
		owner: owner,
		acl:   ref,
	}
	if n.kind() != kindPersistent {
		path = strings.Clone(path) // the owner indexes keep it
	}
	t.link(parent, strings.Clone(name), n, path, pathHash(path), at)
	t.changed(EventNodeCreated, path, ref)
	t.changed(EventNodeChildrenChanged, parentPath, parent.acl)
	return path, n.stat(), OK
}
