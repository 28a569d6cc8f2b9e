package tree

import (
	"bytes"
	"strings"
)

const configPath = "/zookeeper/config"

// nextVersion is checkAndIncVersion: -1 expects anything, any other value
// must equal the current version. The new version skips -1 (reached after
// wrapping past MaxInt32) and becomes 0, so that a client can still ask for
// it; this is ZOOKEEPER-4743, on ZooKeeper's master, where 3.8 and 3.9
// hand out -1.
func nextVersion(current, expected int32) (int32, Code) {
	if expected != -1 && expected != current {
		return 0, ErrBadVersion
	}
	if current+1 == -1 {
		return 0, OK
	}
	return current + 1, OK
}

// parentForDelete is getParentPathAndValidate: a '/', no NUL, not one of the
// special paths.
func parentForDelete(path string) (string, Code) {
	last := strings.LastIndexByte(path, '/')
	if last < 0 || strings.IndexByte(path, 0) >= 0 || specialPath(path) {
		return "", ErrBadArguments
	}
	return path[:last], OK
}

// delete: session, path shape (BADARGUMENTS), parent (NONODE), DELETE on the
// parent (NOAUTH), node (NONODE), version (BADVERSION), children (NOTEMPTY):
// the version is checked before emptiness, as ZooKeeper does.
func (t *Tree) delete(txn *Txn, op *Op) Code {
	if c := t.liveSession(txn.Session); c != OK {
		return c
	}
	pp, c := parentForDelete(op.Path)
	if c != OK {
		return c
	}
	parent := t.lookup(pp)
	if parent == nil {
		return ErrNoNode
	}
	if !HasPerm(t.acls.list(parent.acl), txn.Auth, PermDelete) {
		return ErrNoAuth
	}
	n := t.lookup(op.Path) // by the full path: "//a" has parent "/" but names no node
	if n == nil {
		return ErrNoNode
	}
	if _, c := nextVersion(n.version, op.Version); c != OK {
		return c
	}
	if n.kids != nil {
		return ErrNotEmpty
	}
	t.removeLeaf(parent, canonParent(pp), n, op.Path, txn.Zxid)
	return OK
}

// deleteContainer is the reaper's delete: the node must exist (NONODE), be
// empty (NOTEMPTY) and be a container or TTL node (BADVERSION, the code
// ZooKeeper gives for an ephemeral; unlike ZooKeeper a plain persistent node
// is refused too, so a node re-created between the sweep and this txn
// survives). There is no ACL check.
func (t *Tree) deleteContainer(txn *Txn, op *Op) Code {
	if c := t.liveSession(txn.Session); c != OK {
		return c
	}
	pp, c := parentForDelete(op.Path)
	if c != OK {
		return c
	}
	n := t.lookup(op.Path)
	if n == nil {
		return ErrNoNode
	}
	if n.kids != nil {
		return ErrNotEmpty
	}
	if k := n.kind(); k != kindContainer && k != kindTTL {
		return ErrBadVersion
	}
	t.removeLeaf(t.lookup(pp), canonParent(pp), n, op.Path, txn.Zxid)
	return OK
}

// removeLeaf deletes childless n and records NodeDeleted then
// NodeChildrenChanged. Deletes touch only the parent's pzxid: the visible
// cversion moves because numChildren does.
func (t *Tree) removeLeaf(parent *node, parentPath string, n *node, path string, zxid Zxid) {
	pph := pathHash(parentPath)
	t.beginEdit(parent, pph, false)
	if zxid > parent.pzxid {
		parent.pzxid = zxid
	}
	t.endEdit(parent, pph, false)
	t.unlink(parent, path[strings.LastIndexByte(path, '/')+1:], n, path, pathHash(path))
	t.changed(EventNodeDeleted, path, n.acl)
	t.changed(EventNodeChildrenChanged, parentPath, parent.acl)
}

// setData: session, data size, path (BADARGUMENTS), node (NONODE), WRITE
// (NOAUTH), version (BADVERSION).
func (t *Tree) setData(txn *Txn, op *Op) (Stat, Code) {
	if c := t.liveSession(txn.Session); c != OK {
		return Stat{}, c
	}
	if len(op.Data) > t.maxData {
		return Stat{}, ErrBadArguments
	}
	if !validPath(op.Path) {
		return Stat{}, ErrBadArguments
	}
	n := t.lookup(op.Path)
	if n == nil {
		return Stat{}, ErrNoNode
	}
	if !HasPerm(t.acls.list(n.acl), txn.Auth, PermWrite) {
		return Stat{}, ErrNoAuth
	}
	v, c := nextVersion(n.version, op.Version)
	if c != OK {
		return Stat{}, c
	}
	t.writeData(n, op.Path, op.Data, v, txn)
	return n.stat(), OK
}

func (t *Tree) writeData(n *node, path string, data []byte, version int32, txn *Txn) {
	ph := pathHash(path)
	t.beginEdit(n, ph, true)
	n.data = bytes.Clone(data)
	n.version = version
	n.mzxid = txn.Zxid
	n.mtime = txn.Time
	t.endEdit(n, ph, true)
	t.changed(EventNodeDataChanged, path, n.acl)
}

// setACL: session, path (BADARGUMENTS), ACL fix-up (INVALIDACL), node
// (NONODE), ADMIN (NOAUTH), aversion (BADVERSION). It fires no watch.
func (t *Tree) setACL(txn *Txn, op *Op) (Stat, Code) {
	if c := t.liveSession(txn.Session); c != OK {
		return Stat{}, c
	}
	if !validPath(op.Path) {
		return Stat{}, ErrBadArguments
	}
	acl, c := fixupACL(op.ACL, txn.Auth)
	if c != OK {
		return Stat{}, c
	}
	n := t.lookup(op.Path)
	if n == nil {
		return Stat{}, ErrNoNode
	}
	if !HasPerm(t.acls.list(n.acl), txn.Auth, PermAdmin) {
		return Stat{}, ErrNoAuth
	}
	v, c := nextVersion(n.aversion, op.Version)
	if c != OK {
		return Stat{}, c
	}
	ref := t.acquireACL(acl)
	ph := pathHash(op.Path)
	t.beginEdit(n, ph, false)
	t.releases = append(t.releases, n.acl)
	n.acl = ref
	n.aversion = v
	t.endEdit(n, ph, false)
	return n.stat(), OK
}

// check (only inside a multi): session, path (BADARGUMENTS), node (NONODE),
// READ (NOAUTH), version (BADVERSION; -1 only asks that the node exists).
func (t *Tree) check(txn *Txn, op *Op) Code {
	if c := t.liveSession(txn.Session); c != OK {
		return c
	}
	if !validPath(op.Path) {
		return ErrBadArguments
	}
	n := t.lookup(op.Path)
	if n == nil {
		return ErrNoNode
	}
	if !HasPerm(t.acls.list(n.acl), txn.Auth, PermRead) {
		return ErrNoAuth
	}
	_, c := nextVersion(n.version, op.Version)
	return c
}

// reconfig stores a new dynamic configuration in /zookeeper/config. Only the
// ensemble (Session 0) may propose it; for clients it is RECONFIGDISABLED,
// ZooKeeper's answer when reconfig is not enabled. Like ZooKeeper it sets the
// node's version to -1 rather than counting it up.
func (t *Tree) reconfig(txn *Txn, op *Op) (Stat, Code) {
	if txn.Session != 0 {
		return Stat{}, ErrReconfigDisabled
	}
	if len(op.Data) > t.maxData {
		return Stat{}, ErrBadArguments
	}
	n := t.lookup(configPath)
	if n == nil {
		return Stat{}, ErrNoNode
	}
	t.writeData(n, configPath, op.Data, -1, txn)
	return n.stat(), OK
}
