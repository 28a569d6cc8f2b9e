package tree

import "math"

// node is one znode, kept small (96 bytes): children live in the parent (no
// global path map), the name lives in the parent's child list, the ACL is a
// reference into the tree's intern table, and derivable stat fields
// (dataLength, numChildren, the visible cversion) are not stored.
type node struct {
	data  []byte // never written in place; replaced whole by setData
	kids  *kids  // nil while the node has no children
	czxid Zxid
	mzxid Zxid
	pzxid Zxid
	ctime int64
	mtime int64
	owner int64 // session id, containerOwner, ttlOwner|ttl, or 0
	// version and aversion as ZooKeeper counts them; cversion is the internal
	// count of child creations (also the sequence counter).
	version  int32
	cversion int32
	aversion int32
	acl      uint32
}

// ZooKeeper marks containers and TTL nodes in the ephemeral-owner field
// (EphemeralType); session ids that collide with these marks are refused.
const (
	containerOwner int64 = math.MinInt64
	ttlOwner       int64 = -1 << 56 // 0xff00000000000000
	maxTTL         int64 = 1<<40 - 1
)

type nodeKind uint8

const (
	kindPersistent nodeKind = iota
	kindEphemeral
	kindContainer
	kindTTL
)

func ownerKind(owner int64) nodeKind {
	switch {
	case owner == 0:
		return kindPersistent
	case owner == containerOwner:
		return kindContainer
	case owner&ttlOwner == ttlOwner:
		return kindTTL
	}
	return kindEphemeral
}

// reservedSession reports session ids that would read as a container or TTL
// mark, or as "no owner".
func reservedSession(id int64) bool { return ownerKind(id) != kindEphemeral }

func (n *node) kind() nodeKind { return ownerKind(n.owner) }

func (n *node) numChildren() int32 {
	if n.kids == nil {
		return 0
	}
	return int32(n.kids.n)
}

// stat is DataNode.copyStat: what a client sees.
func (n *node) stat() Stat {
	nc := n.numChildren()
	owner := n.owner
	if n.kind() != kindEphemeral {
		owner = 0
	}
	return Stat{
		Czxid: n.czxid, Mzxid: n.mzxid, Pzxid: n.pzxid,
		Ctime: n.ctime, Mtime: n.mtime,
		Version: n.version, Cversion: n.cversion*2 - nc, Aversion: n.aversion,
		EphemeralOwner: owner, DataLength: int32(len(n.data)), NumChildren: nc,
	}
}

func (n *node) child(name string) *node {
	if n.kids == nil {
		return nil
	}
	return n.kids.find(name)
}
