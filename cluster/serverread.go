package cluster

import (
	"coordtui/cluster/zk"
	"coordtui/tree"
)

// read serves a read-side request from this member's tree, registering any
// watch it asks for under the same read lock, so no change can slip
// between the read and the watch.
func (c *conn) read(xid int32, op zk.OpCode, rec zk.Record) {
	s := c.s
	auth := c.authIDs()
	switch op {
	case zk.OpExists, zk.OpGetData, zk.OpGetChildren, zk.OpGetChildren2:
		req := rec.(*zk.PathWatchRequest)
		c.readReply(xid, func(t *tree.Tree) (zk.Record, tree.Code) {
			body, code, kind := readPath(t, op, req.Path, auth)
			if req.Watch && kind != 0 {
				s.addWatch(req.Path, kind, c.id)
			}
			return body, code
		})
	case zk.OpGetACL:
		path := rec.(*zk.PathRequest).Path
		c.readReply(xid, func(t *tree.Tree) (zk.Record, tree.Code) {
			acl, stat, err := t.GetACL(path, auth)
			if err != nil {
				return nil, codeOf(err)
			}
			return &zk.GetACLResponse{ACL: zkACLs(acl), Stat: zkStat(stat)}, tree.OK
		})
	case zk.OpGetEphemerals:
		prefix := rec.(*zk.PathRequest).Path
		c.readReply(xid, func(t *tree.Tree) (zk.Record, tree.Code) {
			return &zk.ChildrenResponse{Children: nonNilStrings(t.Ephemerals(c.session, prefix))}, tree.OK
		})
	case zk.OpGetAllChildrenNumber:
		path := rec.(*zk.PathRequest).Path
		c.readReply(xid, func(t *tree.Tree) (zk.Record, tree.Code) {
			n, err := t.AllChildrenNumber(path, auth)
			if err != nil {
				return nil, codeOf(err)
			}
			return &zk.GetAllChildrenNumberResponse{TotalNumber: n}, tree.OK
		})
	case zk.OpMultiRead:
		c.readReply(xid, func(t *tree.Tree) (zk.Record, tree.Code) { return c.multiRead(t, rec.(*zk.MultiRequest), auth) })
	case zk.OpWhoAmI:
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) { return whoAmI(auth), tree.OK })
	case zk.OpSetWatches, zk.OpSetWatches2:
		c.setWatches(xid, rec)
	case zk.OpAddWatch:
		req := rec.(*zk.AddWatchRequest)
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) {
			switch req.Mode {
			case zk.AddWatchPersistent:
				s.addWatch(req.Path, tree.WatchPersistent, c.id)
			case zk.AddWatchPersistentRecursive:
				s.addWatch(req.Path, tree.WatchPersistentRecursive, c.id)
			default:
				return nil, tree.ErrMarshallingError
			}
			return &zk.ErrorResponse{Err: zk.OK}, tree.OK
		})
	case zk.OpCheckWatches, zk.OpRemoveWatches:
		req := rec.(*zk.WatchesRequest)
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) {
			if req.Type < zk.WatcherChildren || req.Type > zk.WatcherPersistentRecursive {
				return nil, tree.ErrMarshallingError
			}
			s.watchMu.Lock()
			defer s.watchMu.Unlock()
			var found bool
			if op == zk.OpCheckWatches {
				found = s.watches.Has(req.Path, int32(req.Type), c.id)
			} else {
				found = s.watches.Remove(req.Path, int32(req.Type), c.id)
			}
			if !found {
				return nil, tree.ErrNoWatcher
			}
			return nil, tree.OK
		})
	default:
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.ErrUnimplemented })
	}
}

func (s *Server) addWatch(path string, kind tree.WatchKind, id tree.WatcherID) {
	s.watchMu.Lock()
	s.watches.Add(path, kind, id)
	s.watchMu.Unlock()
}

// readPath answers exists/getData/getChildren(2) and says which watch a
// watch flag would set (0: none, as for getData on a missing node).
func readPath(t *tree.Tree, op zk.OpCode, path string, auth []tree.ID) (zk.Record, tree.Code, tree.WatchKind) {
	switch op {
	case zk.OpExists:
		stat, err := t.Exists(path)
		if err != nil {
			if codeOf(err) == tree.ErrNoNode {
				return nil, tree.ErrNoNode, tree.WatchExist
			}
			return nil, codeOf(err), 0
		}
		return &zk.StatResponse{Stat: zkStat(stat)}, tree.OK, tree.WatchData
	case zk.OpGetData:
		data, stat, err := t.Get(path, auth)
		if err != nil {
			return nil, codeOf(err), 0
		}
		return &zk.GetDataResponse{Data: data, Stat: zkStat(stat)}, tree.OK, tree.WatchData
	default:
		kids, stat, err := t.Children(path, auth)
		if err != nil {
			return nil, codeOf(err), 0
		}
		if op == zk.OpGetChildren {
			return &zk.ChildrenResponse{Children: nonNilStrings(kids)}, tree.OK, tree.WatchChild
		}
		return &zk.Children2Response{Children: nonNilStrings(kids), Stat: zkStat(stat)}, tree.OK, tree.WatchChild
	}
}

func (c *conn) multiRead(t *tree.Tree, req *zk.MultiRequest, auth []tree.ID) (zk.Record, tree.Code) {
	ops := make([]tree.Op, len(req.Ops))
	for i, op := range req.Ops {
		pw := op.Req.(*zk.PathWatchRequest)
		ops[i] = tree.Op{Type: tree.OpType(op.Type), Path: pw.Path}
	}
	results, err := t.MultiRead(ops, auth)
	if err != nil {
		return nil, codeOf(err)
	}
	out := &zk.MultiResponse{Results: make([]zk.MultiResult, len(results))}
	// The ops' watch flags are ignored: ZooKeeper (3.8 and 3.9) keeps only
	// their paths.
	for i, r := range results {
		out.Results[i] = zkMultiResult(r)
	}
	return out, tree.OK
}

// setWatches re-arms a reconnecting client's watches. Events for changes it
// missed go out before the reply (ZK-PROTOCOL.md §3.13.4).
func (c *conn) setWatches(xid int32, rec zk.Record) {
	var rel int64
	var data, exist, child, pers, rec2 []string
	switch w := rec.(type) {
	case *zk.SetWatches:
		rel, data, exist, child = w.RelativeZxid, w.DataWatches, w.ExistWatches, w.ChildWatches
	case *zk.SetWatches2:
		rel, data, exist, child = w.RelativeZxid, w.DataWatches, w.ExistWatches, w.ChildWatches
		pers, rec2 = w.PersistentWatches, w.PersistentRecursiveWatches
	}
	c.readReply(xid, func(t *tree.Tree) (zk.Record, tree.Code) {
		c.s.watchMu.Lock()
		fired := t.SetWatches(tree.Zxid(rel), data, exist, child, pers, rec2, c.id, c.s.watches)
		c.s.watchMu.Unlock()
		for _, f := range fired {
			// Catch-up events carry zxid -1, as ZooKeeper's do.
			c.notify(-1, f.Type, f.Path)
		}
		c.s.n.counters.Notified(len(fired))
		return nil, tree.OK
	})
}

func whoAmI(auth []tree.ID) *zk.WhoAmIResponse {
	out := &zk.WhoAmIResponse{}
	for _, id := range auth {
		user := id.ID
		if id.Scheme == "digest" {
			user, _, _ = cutColon(id.ID)
		}
		out.ClientInfo = append(out.ClientInfo, zk.ClientInfo{AuthScheme: id.Scheme, User: user})
	}
	return out
}

func cutColon(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func nonNilStrings(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
