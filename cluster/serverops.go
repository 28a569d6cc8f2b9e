package cluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"coordtui/cluster/zk"
	"coordtui/tree"
)

// handshake answers the ConnectRequest (ZK-PROTOCOL.md §2.2). It reports
// whether the connection may go on.
func (c *conn) handshake(payload []byte) bool {
	s, n := c.s, c.s.n
	req, err := zk.DecodeConnectRequest(payload, s.cfg.MaxPacket)
	if err != nil {
		return false
	}
	if !n.Serving() {
		if !req.ReadOnly {
			return false // no quorum: the client must try another member
		}
		c.readOnly.Store(true)
	}
	var last tree.Zxid
	n.View(func(t *tree.Tree) { last = t.LastZxid() })
	if req.LastZxidSeen > int64(last) {
		return false // the client has seen more than this member: never go back in time
	}
	resp := zk.ConnectResponse{HasReadOnly: req.HasReadOnly, ReadOnly: c.readOnly.Load()}
	requested := time.Duration(req.TimeOut) * time.Millisecond
	switch {
	case req.SessionID == 0 && c.readOnly.Load():
		// A member without quorum cannot replicate a session; like
		// ZooKeeper's read-only server it makes a local one.
		c.session, c.timeout = n.nextSession.Add(1), n.cfg.Sessions.Negotiate(requested)
		resp.Passwd = make([]byte, 16)
		_, _ = rand.Read(resp.Passwd)
	case req.SessionID == 0:
		ctx, cancel := context.WithTimeout(c.ctx, max(requested, 2*time.Second))
		sess, err := n.CreateSession(ctx, requested)
		cancel()
		if err != nil {
			return false
		}
		c.session, c.timeout, resp.Passwd = sess.ID, time.Duration(sess.Timeout)*time.Millisecond, sess.Password
	default:
		var sess tree.Session
		var ok bool
		n.View(func(t *tree.Tree) { sess, ok = t.Session(req.SessionID) })
		if !ok || !bytes.Equal(sess.Password, req.Passwd) {
			expired := zk.ConnectResponse{Passwd: make([]byte, 16), HasReadOnly: req.HasReadOnly}
			_, _ = c.nc.Write(frame(&expired))
			return false
		}
		c.session, c.timeout, resp.Passwd = sess.ID, time.Duration(sess.Timeout)*time.Millisecond, sess.Password
		n.Touch(sess.ID)
	}
	resp.SessionID, resp.TimeOut = c.session, int32(c.timeout/time.Millisecond)
	if _, err := c.nc.Write(frame(&resp)); err != nil {
		return false
	}
	s.bind(c)
	c.publishSession("connected")
	return true
}

// replyFrame builds a reply; an error reply is the header alone, as
// ZooKeeper sends it.
func replyFrame(xid int32, zxid tree.Zxid, code tree.Code, body zk.Record) []byte {
	h := &zk.ReplyHeader{Xid: xid, Zxid: int64(zxid), Err: zk.Code(code)}
	if code != tree.OK || body == nil {
		return frame(h)
	}
	return frame(h, body)
}

func codeOf(err error) tree.Code {
	var c tree.Code
	if errors.As(err, &c) {
		return c
	}
	if err != nil {
		return tree.ErrSystemError
	}
	return tree.OK
}

// dispatch handles one request in arrival order. It returns false when the
// connection must close after its last reply.
func (c *conn) dispatch(payload []byte) bool {
	n := c.s.n
	h, rec, err := zk.DecodeRequest(payload, c.s.cfg.MaxPacket)
	n.counters.Request(tree.OpType(h.Type))
	n.counters.Session(c.session).Requests.Add(1)
	if !c.readOnly.Load() {
		n.Touch(c.session)
	}
	switch {
	case errors.Is(err, zk.ErrUnimplemented):
		c.enqueue(&reply{done: closedChan, frame: replyFrame(h.Xid, -1, tree.ErrUnimplemented, nil), closeAfter: true})
		return false
	case err != nil:
		// A malformed body: ZooKeeper answers MARSHALLINGERROR and keeps
		// the connection. Nothing malformed reaches raft.
		c.readReply(h.Xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.ErrMarshallingError })
		return true
	}
	switch h.Type {
	case zk.OpPing:
		c.readReply(h.Xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.OK })
	case zk.OpCloseSession:
		c.closeSession(h.Xid)
		return false
	case zk.OpAuth:
		return c.authenticate(h.Xid, rec.(*zk.AuthPacket))
	case zk.OpSASL:
		c.readReply(h.Xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.ErrUnimplemented })
	case zk.OpSync:
		c.sync(h.Xid, rec.(*zk.PathRequest).Path)
	case zk.OpReconfig:
		c.reconfig(h.Xid, rec.(*zk.ReconfigRequest))
	case zk.OpCreate, zk.OpCreate2, zk.OpCreateContainer, zk.OpCreateTTL,
		zk.OpDelete, zk.OpSetData, zk.OpSetACL, zk.OpMulti:
		c.write(h.Xid, h.Type, rec)
	default:
		c.read(h.Xid, h.Type, rec)
	}
	return true
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// readReply runs fn against the tree once the connection's earlier writes
// are applied here, and queues its reply.
func (c *conn) readReply(xid int32, fn func(t *tree.Tree) (zk.Record, tree.Code)) {
	if !c.awaitLastWrite() {
		return
	}
	var zxid tree.Zxid
	var body zk.Record
	var code tree.Code
	c.s.n.View(func(t *tree.Tree) {
		zxid = t.LastZxid()
		body, code = fn(t)
	})
	c.enqueue(readyReply(replyFrame(xid, zxid, code, body)))
}

func (c *conn) authenticate(xid int32, p *zk.AuthPacket) bool {
	if !c.awaitLastWrite() {
		return false
	}
	fail := func() bool {
		c.enqueue(&reply{done: closedChan, frame: replyFrame(xid, 0, tree.ErrAuthFailed, nil), closeAfter: true})
		return false
	}
	if p.Scheme != "digest" {
		return fail()
	}
	user, pass, ok := strings.Cut(string(p.Auth), ":")
	if !ok {
		return fail()
	}
	id := tree.ID{Scheme: "digest", ID: tree.DigestID(user, pass)}
	c.addAuth(id)
	if super := c.s.cfg.SuperDigest; super != "" && super == id.ID {
		c.addAuth(tree.ID{Scheme: "super"})
	}
	c.enqueue(readyReply(replyFrame(xid, 0, tree.OK, nil))) // auth replies carry zxid 0
	return true
}

// write proposes a write and queues a reply slot that fills in when this
// member has applied it. Writes pipeline; their order is kept.
func (c *conn) write(xid int32, op zk.OpCode, rec zk.Record) {
	if c.readOnly.Load() {
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.ErrNotReadOnly })
		return
	}
	top, code := c.toTreeOp(op, rec)
	if code != tree.OK {
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, code })
		return
	}
	p := c.s.n.Propose(c.ctx, c.session, c.authIDs(), top)
	r := &reply{done: make(chan struct{})}
	c.last = r
	if !c.enqueue(r) {
		return
	}
	go func() {
		defer close(r.done)
		a, err := p.Wait(c.ctx)
		if err != nil {
			// The outcome is unknown (leader lost, member stopping): the
			// client sees CONNECTION_LOSS, as from ZooKeeper.
			c.kill()
			return
		}
		r.frame = replyFrame(xid, a.Txn.Zxid, a.Result.Err, writeResponse(op, a))
	}()
}

func (c *conn) sync(xid int32, path string) {
	if c.readOnly.Load() {
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.ErrNotReadOnly })
		return
	}
	p := c.s.n.propose(c.ctx, nil)
	r := &reply{done: make(chan struct{})}
	c.last = r
	if !c.enqueue(r) {
		return
	}
	go func() {
		defer close(r.done)
		a, err := p.Wait(c.ctx)
		if err != nil {
			c.kill()
			return
		}
		r.frame = replyFrame(xid, a.Txn.Zxid, tree.OK, &zk.SyncResponse{Path: path})
	}()
}

func (c *conn) closeSession(xid int32) {
	if c.readOnly.Load() {
		c.enqueue(&reply{done: closedChan, frame: replyFrame(xid, 0, tree.OK, nil), closeAfter: true})
		return
	}
	p := c.s.n.Propose(c.ctx, c.session, c.authIDs(), tree.Op{Type: tree.OpCloseSession, SessionID: c.session})
	r := &reply{done: make(chan struct{}), closeAfter: true}
	if !c.enqueue(r) {
		return
	}
	go func() {
		defer close(r.done)
		a, err := p.Wait(c.ctx)
		if err != nil {
			c.kill()
			return
		}
		r.frame = replyFrame(xid, a.Txn.Zxid, tree.OK, nil)
	}()
}

func writeResponse(op zk.OpCode, a *Applied) zk.Record {
	res := a.Result
	switch op {
	case zk.OpCreate:
		return &zk.CreateResponse{Path: res.Path}
	case zk.OpCreate2, zk.OpCreateContainer, zk.OpCreateTTL:
		return &zk.Create2Response{Path: res.Path, Stat: zkStat(res.Stat)}
	case zk.OpSetData, zk.OpSetACL:
		return &zk.StatResponse{Stat: zkStat(res.Stat)}
	case zk.OpMulti:
		out := &zk.MultiResponse{Results: make([]zk.MultiResult, len(res.Results))}
		for i, r := range res.Results {
			out.Results[i] = zkMultiResult(r)
		}
		return out
	}
	return nil
}
