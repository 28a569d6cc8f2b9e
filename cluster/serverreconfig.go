package cluster

import (
	"context"
	"errors"
	"slices"

	"coordtui/cluster/zk"
	"coordtui/tree"
)

// reconfig answers ZooKeeper's reconfig (16): off unless enabled, then only
// for a client with WRITE on /zookeeper/config (the super user, as the node
// is read-only for everyone else), then a real raft membership change.
func (c *conn) reconfig(xid int32, req *zk.ReconfigRequest) {
	deny := func(code tree.Code) { c.failWrite(xid, code) }
	if !c.s.cfg.ReconfigEnabled {
		deny(tree.ErrReconfigDisabled)
		return
	}
	if c.readOnly.Load() {
		deny(tree.ErrNotReadOnly)
		return
	}
	var acl []tree.ACL
	c.s.n.View(func(t *tree.Tree) { acl, _, _ = t.GetACL("/zookeeper/config", []tree.ID{{Scheme: "super"}}) })
	if !tree.HasPerm(acl, c.authIDs(), tree.PermWrite) {
		deny(tree.ErrNoAuth)
		return
	}
	joining, leaving, err := ParseReconfig(req.JoiningServers, req.LeavingServers)
	if err == nil && req.NewMembers != "" {
		joining, leaving, err = c.nonIncremental(req.NewMembers)
	}
	if err != nil || (len(joining) == 0 && len(leaving) == 0) {
		deny(tree.ErrBadArguments)
		return
	}
	r := &reply{done: make(chan struct{})}
	c.last = r
	if !c.enqueue(r) {
		return
	}
	go func() {
		defer close(r.done)
		ctx, cancel := context.WithTimeout(c.ctx, 30*c.s.n.cfg.Timing.Election)
		defer cancel()
		err := c.s.n.Reconfigure(ctx, joining, leaving, req.CurConfigID)
		code := tree.OK
		switch {
		case errors.Is(err, ErrConfigVersion):
			code = tree.ErrBadVersion
		case errors.Is(err, context.DeadlineExceeded):
			code = tree.ErrNewConfigNoQuorum
		case err != nil:
			c.kill()
			return
		}
		var body zk.Record
		var zxid tree.Zxid
		c.s.n.View(func(t *tree.Tree) {
			zxid = t.LastZxid()
			data, stat, _ := t.Get("/zookeeper/config", []tree.ID{{Scheme: "super"}})
			body = &zk.GetDataResponse{Data: data, Stat: zkStat(stat)}
		})
		r.frame = replyFrame(xid, zxid, code, body)
	}()
}

// nonIncremental turns a full new member list into joiners and leavers.
func (c *conn) nonIncremental(newMembers string) ([]MemberConfig, []uint64, error) {
	want, _, err := ParseReconfig(newMembers, "")
	if err != nil {
		return nil, nil, err
	}
	current, _, err := c.s.n.Config()
	if err != nil {
		return nil, nil, err
	}
	var leaving []uint64
	for _, m := range current {
		if !slices.ContainsFunc(want, func(w MemberConfig) bool { return w.ID == m.ID }) {
			leaving = append(leaving, m.ID)
		}
	}
	var joining []MemberConfig
	for _, w := range want {
		if !slices.Contains(current, w) {
			joining = append(joining, w)
		}
	}
	return joining, leaving, nil
}
