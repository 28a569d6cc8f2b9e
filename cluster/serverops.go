package cluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
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
		if !ok && !c.readOnly.Load() {
			// This member may not have applied the session's creation yet
			// (a client that sent nothing before moving has no zxid to
			// show): catch up with the leader before calling it expired,
			// as ZooKeeper's followers ask their leader.
			ctx, cancel := context.WithTimeout(c.ctx, max(requested, 2*time.Second))
			if n.Sync(ctx) == nil {
				n.View(func(t *tree.Tree) { sess, ok = t.Session(req.SessionID) })
			}
			cancel()
		}
		if !ok || !bytes.Equal(sess.Password, req.Passwd) {
			expired := zk.ConnectResponse{Passwd: make([]byte, 16), HasReadOnly: req.HasReadOnly}
			_, _ = c.nc.Write(frame(&expired))
			return false
		}
		c.session, c.timeout, resp.Passwd = sess.ID, time.Duration(sess.Timeout)*time.Millisecond, sess.Password
		if c.readOnly.Load() {
			n.Touch(sess.ID)
		} else {
			// The leader must know the session is here before the client
			// writes through this member, or it would take the write
			// for one from the member the client left.
			ctx, cancel := context.WithTimeout(c.ctx, max(requested, 2*time.Second))
			err := n.Revalidate(ctx, sess.ID)
			cancel()
			if err != nil {
				return false
			}
		}
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
	case h.Type == zk.OpCreateSession:
		// Internal opcodes a client may not send: ZooKeeper refuses them
		// through its leader (a zxid is used) and keeps the connection.
		c.failWrite(h.Xid, tree.ErrMarshallingError)
		return true
	case h.Type == zk.OpDeleteContainer:
		c.failWrite(h.Xid, tree.ErrBadArguments)
		return true
	case errors.Is(err, zk.ErrUnimplemented):
		c.enqueue(&reply{done: closedChan, frame: replyFrame(h.Xid, -1, tree.ErrUnimplemented, nil), closeAfter: true})
		return false
	case err != nil && isWrite(h.Type):
		// A malformed write: MARSHALLINGERROR, the connection stays, and
		// as in ZooKeeper (whose leader logs an error txn) it uses a zxid.
		// The malformed body itself never reaches raft.
		c.failWrite(h.Xid, tree.ErrMarshallingError)
		return true
	case err != nil && h.Type == zk.OpMultiRead && decodesAsMulti(payload, c.s.cfg.MaxPacket):
		// Write ops that decode but have no place in a multiRead: ZooKeeper
		// refuses them after decoding, with an empty multi response.
		c.readReplyRaw(h.Xid, tree.ErrMarshallingError, &zk.MultiResponse{})
		return true
	case err != nil:
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
		// Without SASL configured ZooKeeper answers OK, zxid 0, no token.
		if c.awaitLastWrite() {
			c.enqueue(readyReply(replyFrame(h.Xid, 0, tree.OK, &zk.SASLRecord{})))
		}
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

// isWrite reports the opcodes ZooKeeper sends through its leader: they use
// a zxid even when refused.
func isWrite(op zk.OpCode) bool {
	switch op {
	case zk.OpCreate, zk.OpCreate2, zk.OpCreateContainer, zk.OpCreateTTL, zk.OpDelete,
		zk.OpSetData, zk.OpSetACL, zk.OpMulti, zk.OpReconfig:
		return true
	}
	return false
}

// decodesAsMulti reports whether a multiRead payload's ops decode as a
// write multi's would.
func decodesAsMulti(payload []byte, max int) bool {
	d := zk.NewDecoder(payload, max)
	var h zk.RequestHeader
	h.Decode(d)
	var m zk.MultiRequest
	m.Decode(d)
	return d.Err() == nil
}

// readReplyRaw queues an error reply that carries a body anyway, in order.
func (c *conn) readReplyRaw(xid int32, code tree.Code, body zk.Record) {
	if !c.awaitLastWrite() {
		return
	}
	var zxid tree.Zxid
	c.s.n.View(func(t *tree.Tree) { zxid = t.LastZxid() })
	c.enqueue(readyReply(frame(&zk.ReplyHeader{Xid: xid, Zxid: int64(zxid), Err: zk.Code(code)}, body)))
}

// failWrite refuses a write as ZooKeeper's leader does: an error
// transaction that changes nothing but takes the next zxid, which the
// reply carries with code.
func (c *conn) failWrite(xid int32, code tree.Code) {
	if c.readOnly.Load() {
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.ErrNotReadOnly })
		return
	}
	p := c.s.n.Propose(c.ctx, c.session, nil, tree.Op{Type: tree.OpError})
	c.replyWhenApplied(p, true, false, func(a *Applied) []byte { return replyFrame(xid, a.Txn.Zxid, code, nil) })
}

// replyWhenApplied queues a reply slot for a proposed write, filled in by
// build once this member has applied it. write marks it as the write later
// reads wait for. If the outcome is unknown (leader lost, member stopping)
// the connection drops: the client sees CONNECTION_LOSS, as from ZooKeeper.
func (c *conn) replyWhenApplied(p *Pending, write, closeAfter bool, build func(a *Applied) []byte) {
	r := &reply{done: make(chan struct{}), closeAfter: closeAfter}
	if write {
		c.last = r
	}
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
		r.frame = build(a)
	}()
}

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
	id := tree.ID{Scheme: "digest", ID: digestOf(string(p.Auth))}
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
		c.failWrite(xid, code)
		return
	}
	p := c.s.n.Propose(c.ctx, c.session, c.authIDs(), top)
	c.replyWhenApplied(p, true, false, func(a *Applied) []byte {
		code := a.Result.Err
		if op == zk.OpMulti && len(a.Result.Results) > 0 {
			// A failed multi is not an error reply: header OK, and every
			// op's result says what happened (ZK-PROTOCOL.md §3.7).
			code = tree.OK
		}
		return replyFrame(xid, a.Txn.Zxid, code, writeResponse(op, a))
	})
}

func (c *conn) sync(xid int32, path string) {
	if c.readOnly.Load() {
		c.readReply(xid, func(*tree.Tree) (zk.Record, tree.Code) { return nil, tree.ErrNotReadOnly })
		return
	}
	p := c.s.n.propose(c.ctx, nil)
	c.replyWhenApplied(p, true, false, func(a *Applied) []byte {
		return replyFrame(xid, a.Txn.Zxid, tree.OK, &zk.SyncResponse{Path: path})
	})
}

func (c *conn) closeSession(xid int32) {
	if c.readOnly.Load() {
		c.enqueue(&reply{done: closedChan, frame: replyFrame(xid, 0, tree.OK, nil), closeAfter: true})
		return
	}
	p := c.s.n.Propose(c.ctx, c.session, c.authIDs(), tree.Op{Type: tree.OpCloseSession, SessionID: c.session})
	c.replyWhenApplied(p, false, true, func(a *Applied) []byte { return replyFrame(xid, a.Txn.Zxid, tree.OK, nil) })
}

// digestOf computes ZooKeeper's digest id for "user:password" auth data.
// Data without a colon is hashed whole under its own name, as ZooKeeper's
// DigestAuthenticationProvider does.
func digestOf(auth string) string {
	user, pass, ok := strings.Cut(auth, ":")
	if ok {
		return tree.DigestID(user, pass)
	}
	sum := sha1.Sum([]byte(auth))
	return auth + ":" + base64.StdEncoding.EncodeToString(sum[:])
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
