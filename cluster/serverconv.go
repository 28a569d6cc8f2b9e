package cluster

import (
	"coordtui/cluster/zk"
	"coordtui/tree"
)

// The wire types live in the leaf package zk and the model's in tree; these
// are the only places the two meet.

func zkStat(s tree.Stat) zk.Stat {
	return zk.Stat{Czxid: int64(s.Czxid), Mzxid: int64(s.Mzxid), Ctime: s.Ctime, Mtime: s.Mtime,
		Version: s.Version, Cversion: s.Cversion, Aversion: s.Aversion, EphemeralOwner: s.EphemeralOwner,
		DataLength: s.DataLength, NumChildren: s.NumChildren, Pzxid: int64(s.Pzxid)}
}

func zkACLs(acl []tree.ACL) []zk.ACL {
	out := make([]zk.ACL, len(acl))
	for i, a := range acl {
		out[i] = zk.ACL{Perms: a.Perms, ID: zk.ID{Scheme: a.ID.Scheme, ID: a.ID.ID}}
	}
	return out
}

func treeACLs(acl []zk.ACL) []tree.ACL {
	out := make([]tree.ACL, len(acl))
	for i, a := range acl {
		out[i] = tree.ACL{Perms: a.Perms, ID: tree.ID{Scheme: a.ID.Scheme, ID: a.ID.ID}}
	}
	return out
}

func zkMultiResult(r tree.OpResult) zk.MultiResult {
	if r.Type == tree.OpError {
		return zk.MultiResult{Type: zk.OpError, Err: zk.Code(r.Err)}
	}
	st := zkStat(r.Stat)
	return zk.MultiResult{Type: zk.OpCode(r.Type), Path: r.Path, Stat: &st, Data: r.Data, Children: nonNilStrings(r.Children)}
}

// toTreeOp turns a decoded write request into the op the tree applies. A
// code other than OK is answered at once, without touching the log.
func (c *conn) toTreeOp(op zk.OpCode, rec zk.Record) (tree.Op, tree.Code) {
	switch r := rec.(type) {
	case *zk.CreateRequest:
		return tree.Op{Type: tree.OpType(op), Path: r.Path, Data: r.Data, ACL: treeACLs(r.ACL), Flags: tree.CreateMode(r.Flags)}, tree.OK
	case *zk.CreateTTLRequest:
		if c.s.cfg.TTLDisabled {
			return tree.Op{}, tree.ErrUnimplemented
		}
		return tree.Op{Type: tree.OpCreateTTL, Path: r.Path, Data: r.Data, ACL: treeACLs(r.ACL), Flags: tree.CreateMode(r.Flags), TTL: r.TTL}, tree.OK
	case *zk.DeleteRequest:
		return tree.Op{Type: tree.OpDelete, Path: r.Path, Version: r.Version}, tree.OK
	case *zk.SetDataRequest:
		return tree.Op{Type: tree.OpSetData, Path: r.Path, Data: r.Data, Version: r.Version}, tree.OK
	case *zk.SetACLRequest:
		return tree.Op{Type: tree.OpSetACL, Path: r.Path, ACL: treeACLs(r.ACL), Version: r.Version}, tree.OK
	case *zk.CheckVersionRequest:
		return tree.Op{Type: tree.OpCheck, Path: r.Path, Version: r.Version}, tree.OK
	case *zk.MultiRequest:
		m := tree.Op{Type: tree.OpMulti, Ops: make([]tree.Op, len(r.Ops))}
		for i, sub := range r.Ops {
			o, code := c.toTreeOp(sub.Type, sub.Req)
			if code != tree.OK {
				return tree.Op{}, code
			}
			o.Type = tree.OpType(sub.Type)
			m.Ops[i] = o
		}
		return m, tree.OK
	}
	return tree.Op{}, tree.ErrMarshallingError
}
