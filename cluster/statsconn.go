package cluster

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"

	"coordtui/tree"
)

// connStats are one connection's statistics (ZooKeeper's ServerCnxn
// counters). They are written by the connection's own goroutines and read,
// as atomics, by whoever asks for Server.Connections.
type connStats struct {
	established time.Time
	fourLetter  atomic.Bool  // the connection carries a four-letter word
	session     atomic.Int64 // copies of conn.session and conn.timeout once the handshake set them
	timeout     atomic.Int64
	lastHeard   atomic.Int64 // unix ms of the last packet read

	received    atomic.Uint64
	sent        atomic.Uint64
	outstanding atomic.Int64
	lat         latencies
	lastLatency atomic.Int64 // ns
	lastOp      atomic.Int32 // opcode; noOp when none
	lastCxid    atomic.Int64 // -1 when none
	lastZxid    atomic.Int64 // -1 when none
	lastResp    atomic.Int64 // elapsed ms; 0 when none

	// pending pairs each request with its reply: dispatch queues exactly
	// one reply per request, in request order, so the sequencer's n-th
	// reply answers the n-th request read.
	mu      sync.Mutex
	pending []pendingReq
	head    int
}

type pendingReq struct {
	start time.Time
	op    int32
}

func (c *connStats) init(now time.Time) {
	c.established = now
	c.lastHeard.Store(now.UnixMilli())
	c.reset()
}

// reset is crst for one connection, as ServerCnxn.resetStats does it.
func (c *connStats) reset() {
	c.received.Store(0)
	c.sent.Store(0)
	c.lat.reset()
	c.lastLatency.Store(0)
	c.lastOp.Store(noOp)
	c.lastCxid.Store(-1)
	c.lastZxid.Store(-1)
	c.lastResp.Store(0)
}

// packetIn counts a packet read from the client.
func (c *conn) packetIn(now time.Time) {
	c.stats.received.Add(1)
	c.stats.lastHeard.Store(now.UnixMilli())
	c.s.stats.received.Add(1)
}

// beginRequest notes a request about to be dispatched. payload starts with
// the request header (xid, type); a shorter one is dispatched all the same
// and answered, so it is counted as an unknown op.
func (c *conn) beginRequest(payload []byte) {
	now := time.Now()
	c.packetIn(now)
	op := int32(noOp)
	if len(payload) >= 8 {
		op = int32(binary.BigEndian.Uint32(payload[4:8]))
	}
	c.stats.mu.Lock()
	c.stats.pending = append(c.stats.pending, pendingReq{start: now, op: op})
	c.stats.mu.Unlock()
	c.stats.outstanding.Add(1)
	c.s.stats.outstanding.Add(1)
	if op == 9 {
		c.s.stats.syncs.Add(1)
	}
}

// endRequest notes that the next reply in request order is ready; frame is
// the reply as it goes on the wire (length, xid, zxid, err, body).
func (c *conn) endRequest(frame []byte) {
	c.stats.mu.Lock()
	var req pendingReq
	ok := c.stats.head < len(c.stats.pending)
	if ok {
		req = c.stats.pending[c.stats.head]
		c.stats.head++
		if c.stats.head == len(c.stats.pending) {
			c.stats.pending, c.stats.head = c.stats.pending[:0], 0
		}
	}
	c.stats.mu.Unlock()
	if !ok {
		return
	}
	c.stats.outstanding.Add(-1)
	c.s.stats.outstanding.Add(-1)
	if req.op == 9 {
		c.s.stats.syncs.Add(-1)
	}
	if bypassesStats(req.op) || len(frame) < 16 {
		return
	}
	xid := int32(binary.BigEndian.Uint32(frame[4:8]))
	zxid := int64(binary.BigEndian.Uint64(frame[8:16]))
	c.recordResponse(req.start, req.op, xid, zxid)
}

// recordResponse is ServerCnxn.updateStatsForResponse plus the member's
// latency: special xids (pings, setWatches) do not overwrite the last cxid,
// since what interests a reader is the client's last real operation.
func (c *conn) recordResponse(start time.Time, op, xid int32, zxid int64) {
	end := time.Now()
	d := end.Sub(start)
	if xid >= 0 {
		c.stats.lastCxid.Store(int64(xid))
	}
	c.stats.lastZxid.Store(zxid)
	c.stats.lastOp.Store(op)
	c.stats.lastResp.Store(elapsedMs(end))
	c.stats.lastLatency.Store(int64(d))
	c.stats.lat.add(d)
	c.s.stats.all.add(d)
	if isUpdate(op) {
		c.s.stats.update.add(d)
	} else {
		c.s.stats.read.add(d)
	}
}

// handshakeDone records the ConnectRequest's answer: one packet sent and,
// for a new session, ZooKeeper's SESS request.
func (c *conn) handshakeDone(start time.Time, newSession bool) {
	c.stats.session.Store(c.session)
	c.stats.timeout.Store(int64(c.timeout))
	c.packetOut(-1)
	if newSession {
		var zxid int64
		c.s.n.View(func(t *tree.Tree) { zxid = int64(t.LastZxid()) })
		c.recordResponse(start, opCreateSession, 0, zxid)
	}
}

// packetOut counts a packet written to the client; size is its length
// without the length prefix, or -1 if unknown.
func (c *conn) packetOut(size int) {
	c.stats.sent.Add(1)
	c.s.stats.sent.Add(1)
	if size >= 0 {
		c.s.stats.response.add(size)
	}
}

// dropOutstanding forgets the requests of a connection that closed before
// answering them, so the member's outstanding count stays true.
func (c *conn) dropOutstanding() {
	c.stats.mu.Lock()
	var syncs int64
	for _, r := range c.stats.pending[c.stats.head:] {
		if r.op == 9 {
			syncs++
		}
	}
	c.stats.pending, c.stats.head = nil, 0
	c.stats.mu.Unlock()
	c.s.stats.outstanding.Add(-c.stats.outstanding.Swap(0))
	c.s.stats.syncs.Add(-syncs)
}

// newSessionRequested reports whether a ConnectRequest (protocolVersion,
// lastZxidSeen, timeOut, sessionId, ...) asks for a new session.
func newSessionRequested(payload []byte) bool {
	return len(payload) >= 24 && binary.BigEndian.Uint64(payload[16:24]) == 0
}
