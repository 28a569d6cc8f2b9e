package zk

import (
	"context"
	"fmt"
)

// request is one request from the moment it is queued until its reply (or
// failure) is in. frame is the whole encoded frame; the writer patches the
// xid in when it sends it.
type request struct {
	op      OpCode
	frame   []byte
	watch   *watchReg
	onReply func(*request) // runs on the reader goroutine after a reply, without Client.mu
	done    chan struct{}

	xid int32 // set by takeQueued (under Client.mu) before the writer sends it

	// Written once, before done is closed.
	zxid  int64
	err   error
	reply []byte

	// Guarded by Client.mu.
	queued    bool
	abandoned bool
}

func (r *request) complete(zxid int64, err error, reply []byte) {
	r.zxid, r.err, r.reply = zxid, err, reply
	close(r.done)
}

// watchReg asks the reader to register a watch when the reply arrives and
// the server accepted it; registered reports whether it did.
type watchReg struct {
	path        string    // server path
	kind        watchKind // for an OK reply
	existOnMiss bool      // exists: a NONODE reply leaves an exist watch
	ch          chan WatchEvent
	fn          func(WatchEvent)
	registered  bool // written by the reader before the request completes
}

// kindFor returns the watch a reply with code leaves, if any.
func (w *watchReg) kindFor(code Code) (watchKind, bool) {
	switch {
	case code == OK:
		return w.kind, true
	case code == ErrNoNode && w.existOnMiss:
		return watchExist, true
	}
	return 0, false
}

// send queues a request and waits for its reply. The returned request's err
// is the server's code (nil for OK) or a connection-level failure
// (ErrConnectionLoss when the connection dropped after it was sent). The
// error result is for failures before a reply: ctx ended, client closed or
// expired, request too large. internal lets Close send closeSession.
func (c *Client) send(ctx context.Context, op OpCode, body Record, reg *watchReg, internal bool) (*request, error) {
	return c.sendWith(ctx, op, body, reg, nil, internal)
}

func (c *Client) sendWith(ctx context.Context, op OpCode, body Record, reg *watchReg, onReply func(*request), internal bool) (*request, error) {
	r := c.newRequest(op, body)
	r.watch, r.onReply = reg, onReply
	if n := len(r.frame) - 4; n > c.cfg.maxPacket {
		return nil, fmt.Errorf("%w: %v request of %d bytes exceeds the %d-byte packet limit", ErrBadArguments, op, n, c.cfg.maxPacket)
	}
	if err := c.enqueue(r, internal); err != nil {
		return nil, err
	}
	select {
	case <-r.done:
		return r, nil
	case <-ctx.Done():
		c.abandon(r)
		return nil, ctx.Err()
	}
}

func (c *Client) newRequest(op OpCode, body Record) *request {
	recs := []Record{&RequestHeader{Type: op}}
	if body != nil {
		recs = append(recs, body)
	}
	return &request{op: op, frame: AppendFrame(nil, recs...), done: make(chan struct{})}
}

func (c *Client) enqueue(r *request, internal bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.state == StateExpired:
		return ErrSessionExpired
	case c.state == StateClosed, c.closing && !internal:
		return ErrClosing
	}
	r.queued = true
	c.outq = append(c.outq, r)
	select {
	case c.wakeOut <- struct{}{}:
	default:
	}
	return nil
}

// abandon forgets a request whose caller stopped waiting. If it was not sent
// yet it never will be; if it was, its reply is read and dropped and any
// watch it would have left is not registered.
func (c *Client) abandon(r *request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r.abandoned = true
	if !r.queued {
		return
	}
	r.queued = false
	for i, q := range c.outq {
		if q == r {
			c.outq = append(c.outq[:i], c.outq[i+1:]...)
			break
		}
	}
}

// takeQueued removes every queued request and gives each its xid, in the
// order they will be written. c.mu must not be held.
func (c *Client) takeQueued() []*request {
	c.mu.Lock()
	defer c.mu.Unlock()
	batch := c.outq
	c.outq = nil
	for _, r := range batch {
		r.queued = false
		c.assignXid(r)
	}
	return batch
}

// assignXid numbers a request as the Java client does: 1, 2, 3, … wrapping
// to 1; auth packets use xid -4. c.mu must be held.
func (c *Client) assignXid(r *request) {
	r.xid = XidAuth
	if r.op != OpAuth {
		c.xid = c.xid%(1<<31-1) + 1
		r.xid = c.xid
	}
	r.frame[4], r.frame[5], r.frame[6], r.frame[7] = byte(r.xid>>24), byte(r.xid>>16), byte(r.xid>>8), byte(r.xid)
}

// roundTrip sends req and decodes a successful reply into resp (nil when
// the reply has no body). Server codes come back as Code errors.
func (c *Client) roundTrip(ctx context.Context, op OpCode, req, resp Record, reg *watchReg) error {
	r, err := c.send(ctx, op, req, reg, false)
	if err != nil {
		return err
	}
	if r.err != nil {
		return r.err
	}
	if resp != nil {
		d := NewDecoder(r.reply, c.cfg.maxPacket)
		resp.Decode(d)
		if err := d.Err(); err != nil {
			return fmt.Errorf("zk: %v reply: %w", op, err)
		}
	}
	return nil
}
