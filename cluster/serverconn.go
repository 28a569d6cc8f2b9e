package cluster

import (
	"bufio"
	"context"
	"encoding/binary"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/zk"
	"coordtui/tree"
)

// maxQueued bounds the bytes queued for a client that does not read. Past
// it the connection is dropped rather than let one slow client grow the
// member's memory without end.
const maxQueued = 64 << 20

// conn is one client connection. Requests are read and dispatched in order
// on serve's goroutine; their replies are released in the same order by
// the sequencer; the writer drains the outbound queue, which watch
// notifications join directly when a change is applied.
type conn struct {
	s  *Server
	id tree.WatcherID
	nc net.Conn

	session  int64
	timeout  time.Duration
	readOnly atomic.Bool

	authMu sync.Mutex
	auth   []tree.ID

	replies chan *reply // in request order
	last    *reply      // the latest write still in flight; reads wait for it
	ctx     context.Context
	cancel  context.CancelFunc

	outMu   sync.Mutex
	out     [][]byte
	queued  int
	outWake chan struct{}
	dead    chan struct{}
	once    sync.Once

	stats connStats
}

// reply is one answer waiting its turn. done closes when frame is ready.
type reply struct {
	done       chan struct{}
	frame      []byte
	closeAfter bool
}

func readyReply(frame []byte) *reply {
	r := &reply{done: make(chan struct{}), frame: frame}
	close(r.done)
	return r
}

func newConn(s *Server, id tree.WatcherID, nc net.Conn) *conn {
	c := &conn{s: s, id: id, nc: nc, replies: make(chan *reply, 1024), outWake: make(chan struct{}, 1), dead: make(chan struct{})}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.stats.init(time.Now())
	if host, _, err := net.SplitHostPort(nc.RemoteAddr().String()); err == nil {
		c.auth = []tree.ID{{Scheme: "ip", ID: host}}
	}
	return c
}

func (c *conn) authIDs() []tree.ID {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	return c.auth
}

func (c *conn) addAuth(id tree.ID) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	for _, a := range c.auth {
		if a == id {
			return
		}
	}
	// Copy on write: readers hold the old slice without a lock.
	c.auth = append(append([]tree.ID(nil), c.auth...), id)
}

// kill drops the connection at once. Safe from any goroutine, any number
// of times.
func (c *conn) kill() {
	c.once.Do(func() {
		close(c.dead)
		c.cancel()
		c.nc.Close()
	})
}

// push queues a frame for the writer. It never blocks.
func (c *conn) push(frame []byte) {
	c.outMu.Lock()
	c.out = append(c.out, frame)
	c.queued += len(frame)
	over := c.queued > maxQueued
	c.outMu.Unlock()
	if over {
		go c.kill()
		return
	}
	select {
	case c.outWake <- struct{}{}:
	default:
	}
}

// notify queues a watch event. ZooKeeper 3.9 puts the triggering
// transaction's zxid in the header (3.8 put -1).
func (c *conn) notify(zxid tree.Zxid, typ tree.EventType, path string) {
	ev := zk.WatcherEvent{Type: zk.EventType(typ), State: zk.KeeperSyncConnected, Path: path}
	c.push(frame(&zk.ReplyHeader{Xid: -1, Zxid: int64(zxid)}, &ev))
}

func frame(recs ...zk.Record) []byte {
	e := zk.Encoder{Buf: make([]byte, 4, 64)}
	for _, r := range recs {
		r.Encode(&e)
	}
	binary.BigEndian.PutUint32(e.Buf, uint32(len(e.Buf)-4))
	return e.Buf
}

func (c *conn) serve() {
	defer c.s.unregister(c)
	defer c.kill()
	r := bufio.NewReaderSize(c.nc, 64<<10)
	first, err := r.Peek(4)
	if err != nil {
		return
	}
	if word, ok := zk.FourLetterWord([4]byte(first)); ok {
		_, _ = r.Discard(4)
		c.stats.fourLetter.Store(true)
		c.packetIn(time.Now())
		c.s.fourLetter(c, r, word)
		return
	}
	payload, err := zk.ReadFrame(r, c.s.cfg.MaxPacket)
	if err != nil {
		return
	}
	start := time.Now()
	c.packetIn(start)
	if !c.handshake(payload) {
		return
	}
	c.handshakeDone(start, newSessionRequested(payload))
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c.sequence() }()
	go func() { defer wg.Done(); c.writeLoop() }()
	defer func() {
		// The sequencer and the writer stop on c.dead: kill first, then
		// wait, or a client's EOF would leave the socket open until its
		// session expired.
		c.kill()
		wg.Wait()
		c.publishSession(event.SessionDisconnected)
	}()
	for {
		payload, err := zk.ReadFrame(r, c.s.cfg.MaxPacket)
		if err != nil {
			// A bad length or a frame over the limit closes this
			// connection only, as ZooKeeper does.
			return
		}
		c.beginRequest(payload)
		if !c.dispatch(payload) {
			// The last reply closes the connection once it is written.
			<-c.dead
			return
		}
	}
}

// sequence releases replies in request order.
func (c *conn) sequence() {
	for {
		select {
		case r := <-c.replies:
			select {
			case <-r.done:
			case <-c.dead:
				return
			}
			c.endRequest(r.frame)
			c.push(r.frame)
			if r.closeAfter {
				c.flushAndClose()
				return
			}
		case <-c.dead:
			return
		}
	}
}

// flushAndClose lets the writer drain what is queued, then closes.
func (c *conn) flushAndClose() {
	deadline := time.After(time.Second)
	for {
		c.outMu.Lock()
		empty := len(c.out) == 0
		c.outMu.Unlock()
		if empty {
			break
		}
		select {
		case <-deadline:
			c.kill()
			return
		case <-time.After(time.Millisecond):
		}
	}
	c.kill()
}

func (c *conn) writeLoop() {
	w := bufio.NewWriterSize(c.nc, 64<<10)
	for {
		c.outMu.Lock()
		batch := c.out
		c.out = nil
		c.queued = 0
		c.outMu.Unlock()
		if len(batch) == 0 {
			select {
			case <-c.outWake:
				continue
			case <-c.dead:
				return
			}
		}
		for _, f := range batch {
			if _, err := w.Write(f); err != nil {
				c.kill()
				return
			}
			c.packetOut(len(f) - 4)
		}
		if err := w.Flush(); err != nil {
			c.kill()
			return
		}
	}
}

// enqueue adds a reply slot in request order.
func (c *conn) enqueue(r *reply) bool {
	select {
	case c.replies <- r:
		return true
	case <-c.dead:
		return false
	}
}

// awaitLastWrite holds a read until the connection's earlier writes have
// been applied here: a session reads its own writes.
func (c *conn) awaitLastWrite() bool {
	if c.last == nil {
		return true
	}
	select {
	case <-c.last.done:
		c.last = nil
		return true
	case <-c.dead:
		return false
	}
}

func (c *conn) publishSession(change event.SessionChange) {
	c.s.n.publish(event.Event{Kind: event.KindSession, Session: event.Session{
		ID: c.session, Change: change, Timeout: c.timeout, Client: c.nc.RemoteAddr().String()}})
}
