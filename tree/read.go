package tree

import (
	"slices"
	"strings"
)

// The read side, as FinalRequestProcessor answers it: paths are not
// validated (a malformed path simply names no node), ACLs are checked after
// the node is found. None of these change the tree.

// Get returns a node's data and stat; NONODE, or NOAUTH without READ. The
// data is shared with the tree, which never modifies it (setData replaces
// it), so it stays valid; callers must not modify it. Data created as nil
// (ZooKeeper's null, -1 on the wire) comes back nil.
func (t *Tree) Get(path string, auth []ID) ([]byte, Stat, error) {
	n := t.lookup(path)
	if n == nil {
		return nil, Stat{}, ErrNoNode
	}
	if !HasPerm(t.acls.list(n.acl), auth, PermRead) {
		return nil, Stat{}, ErrNoAuth
	}
	return n.data, n.stat(), nil
}

// Exists returns a node's stat: BADARGUMENTS for a path with a NUL, NONODE
// for a missing node. It checks no ACL, as ZooKeeper up to 3.8.3 and 3.9.1
// (and Debian's 3.8.0) do; see ExistsAuth for the later rule.
func (t *Tree) Exists(path string) (Stat, error) {
	if strings.IndexByte(path, 0) >= 0 {
		return Stat{}, ErrBadArguments
	}
	n := t.lookup(path)
	if n == nil {
		return Stat{}, ErrNoNode
	}
	return n.stat(), nil
}

// ExistsAuth is exists with ZOOKEEPER-2590 (3.8.4+, 3.9.2+): an existing
// node the caller cannot READ answers NOAUTH (and a watch must not be set).
func (t *Tree) ExistsAuth(path string, auth []ID) (Stat, error) {
	if strings.IndexByte(path, 0) >= 0 {
		return Stat{}, ErrBadArguments
	}
	n := t.lookup(path)
	if n == nil {
		return Stat{}, ErrNoNode
	}
	if !HasPerm(t.acls.list(n.acl), auth, PermRead) {
		return Stat{}, ErrNoAuth
	}
	return n.stat(), nil
}

// Children returns a node's child names in order (ZooKeeper's own order is a
// hash set's; sorted is one of the orders it may give) and its stat.
func (t *Tree) Children(path string, auth []ID) ([]string, Stat, error) {
	n := t.lookup(path)
	if n == nil {
		return nil, Stat{}, ErrNoNode
	}
	if !HasPerm(t.acls.list(n.acl), auth, PermRead) {
		return nil, Stat{}, ErrNoAuth
	}
	return n.kids.names(), n.stat(), nil
}

// GetACL returns a copy of a node's ACL and its stat. It needs READ or ADMIN
// (NOAUTH otherwise); without ADMIN, digest ids come back masked as
// "user:x".
func (t *Tree) GetACL(path string, auth []ID) ([]ACL, Stat, error) {
	n := t.lookup(path)
	if n == nil {
		return nil, Stat{}, ErrNoNode
	}
	acl := t.acls.list(n.acl)
	if !HasPerm(acl, auth, PermRead|PermAdmin) {
		return nil, Stat{}, ErrNoAuth
	}
	out := slices.Clone(acl)
	if !HasPerm(acl, auth, PermAdmin) {
		maskDigest(out)
	}
	return out, n.stat(), nil
}

// MultiRead answers a multiRead: getData and getChildren ops, each
// independently (a failing op gives an OpError result with its code and does
// not affect the others). Any other op type fails the whole request with
// MARSHALLINGERROR. Data is shared as with Get.
func (t *Tree) MultiRead(ops []Op, auth []ID) ([]OpResult, error) {
	for _, op := range ops {
		if op.Type != OpGetData && op.Type != OpGetChildren {
			return nil, ErrMarshallingError
		}
	}
	out := make([]OpResult, len(ops))
	for i, op := range ops {
		r := OpResult{Type: op.Type, Path: op.Path}
		var err error
		if op.Type == OpGetData {
			r.Data, r.Stat, err = t.Get(op.Path, auth)
		} else {
			r.Children, _, err = t.Children(op.Path, auth)
		}
		if err != nil {
			r = OpResult{Type: OpError, Err: err.(Code)}
		}
		out[i] = r
	}
	return out, nil
}

// AllChildrenNumber counts every descendant of a node (for "/", every node
// but the root, /zookeeper and its children included). NONODE, or NOAUTH
// without READ on the node itself; descendants are counted whatever their
// ACLs, as ZooKeeper does.
func (t *Tree) AllChildrenNumber(path string, auth []ID) (int32, error) {
	n := t.lookup(path)
	if n == nil {
		return 0, ErrNoNode
	}
	if !HasPerm(t.acls.list(n.acl), auth, PermRead) {
		return 0, ErrNoAuth
	}
	switch path {
	case "/":
		return int32(t.count - 1), nil
	case "":
		return int32(t.count), nil // ZooKeeper counts keys under "/", the root's own among them
	}
	count := int32(-1)
	stack := []*node{n}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		count++
		top.kids.each(func(_ string, c *node) { stack = append(stack, c) })
	}
	return count, nil
}
