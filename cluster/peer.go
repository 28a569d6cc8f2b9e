package cluster

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Peer RPC kinds. A frame is u32 length, kind, u64 call id, body.
const (
	msgPropose byte = 1 // body: proposal; answered by msgResult
	msgResult  byte = 2 // body: "" on success, else the error text
	msgTouch   byte = 3 // body: session ids a follower heard from; no answer
)

const maxPeerFrame = 8 << 20

var errPeerDown = errors.New("cluster: peer connection lost")

func writeFrame(w io.Writer, kind byte, id uint64, body []byte) error {
	hdr := make([]byte, 13, 13+len(body))
	binary.BigEndian.PutUint32(hdr, uint32(9+len(body)))
	hdr[4] = kind
	binary.BigEndian.PutUint64(hdr[5:], id)
	_, err := w.Write(append(hdr, body...))
	return err
}

func readFrame(r io.Reader) (kind byte, id uint64, body []byte, err error) {
	var hdr [13]byte
	if _, err = io.ReadFull(r, hdr[:4]); err != nil {
		return
	}
	n := binary.BigEndian.Uint32(hdr[:4])
	if n < 9 || n > maxPeerFrame {
		return 0, 0, nil, fmt.Errorf("cluster: peer frame of %d bytes", n)
	}
	if _, err = io.ReadFull(r, hdr[4:]); err != nil {
		return
	}
	body = make([]byte, n-9)
	if _, err = io.ReadFull(r, body); err != nil {
		return
	}
	return hdr[4], binary.BigEndian.Uint64(hdr[5:]), body, nil
}

func encodeProposal(p proposal) []byte {
	b := binary.AppendUvarint(nil, p.origin)
	b = binary.AppendUvarint(b, p.reqID)
	return append(b, p.txn...)
}

func decodeProposalMsg(b []byte) (proposal, error) {
	var p proposal
	var n int
	if p.origin, n = binary.Uvarint(b); n <= 0 {
		return p, errBadEntry
	}
	b = b[n:]
	if p.reqID, n = binary.Uvarint(b); n <= 0 {
		return p, errBadEntry
	}
	p.txn = b[n:]
	return p, nil
}

func encodeIDs(ids []int64) []byte {
	b := binary.AppendUvarint(nil, uint64(len(ids)))
	for _, id := range ids {
		b = binary.AppendUvarint(b, uint64(id))
	}
	return b
}

func decodeIDs(b []byte) ([]int64, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, errBadEntry
	}
	b = b[k:]
	ids := make([]int64, 0, n)
	for range n {
		v, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, errBadEntry
		}
		ids, b = append(ids, int64(v)), b[k:]
	}
	return ids, nil
}

// peerClient is one member's connection to another member's peer stream.
// Calls are multiplexed by id; a lost connection fails every pending call
// and is redialled on the next one.
type peerClient struct {
	addr string

	mu      sync.Mutex
	conn    net.Conn
	w       *bufio.Writer
	pending map[uint64]chan error
	next    uint64
	closed  bool
	wg      sync.WaitGroup
}

func newPeerClient(addr string) *peerClient {
	return &peerClient{addr: addr, pending: make(map[uint64]chan error)}
}

// connLocked returns the live connection, dialling if needed. c.mu is held.
func (c *peerClient) connLocked() (net.Conn, error) {
	if c.closed {
		return nil, errPeerDown
	}
	if c.conn != nil {
		return c.conn, nil
	}
	conn, err := dialStream(c.addr, streamPeer, 2*time.Second)
	if err != nil {
		return nil, err
	}
	c.conn, c.w = conn, bufio.NewWriter(conn)
	c.wg.Add(1)
	go c.read(conn)
	return conn, nil
}

func (c *peerClient) read(conn net.Conn) {
	defer c.wg.Done()
	r := bufio.NewReader(conn)
	for {
		kind, id, body, err := readFrame(r)
		if err != nil {
			c.drop(conn)
			return
		}
		if kind != msgResult {
			continue
		}
		c.mu.Lock()
		ch, ok := c.pending[id]
		delete(c.pending, id)
		c.mu.Unlock()
		if ok {
			if len(body) == 0 {
				ch <- nil
			} else {
				ch <- remoteError(string(body))
			}
		}
	}
}

func (c *peerClient) drop(conn net.Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	conn.Close()
	if c.conn != conn {
		return
	}
	c.conn, c.w = nil, nil
	for id, ch := range c.pending {
		ch <- errPeerDown
		delete(c.pending, id)
	}
}

func (c *peerClient) send(kind byte, body []byte, reply chan error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	conn, err := c.connLocked()
	if err != nil {
		return fmt.Errorf("%w: %v", errPeerDown, err)
	}
	c.next++
	id := c.next
	if reply != nil {
		c.pending[id] = reply
	}
	if err := writeFrame(c.w, kind, id, body); err == nil {
		err = c.w.Flush()
	}
	if err != nil {
		delete(c.pending, id)
		conn.Close()
		return fmt.Errorf("%w: %v", errPeerDown, err)
	}
	return nil
}

// call sends a request and waits for its answer.
func (c *peerClient) call(ctx context.Context, kind byte, body []byte) error {
	reply := make(chan error, 1)
	if err := c.send(kind, body, reply); err != nil {
		return err
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *peerClient) Close() {
	c.mu.Lock()
	c.closed = true
	if c.conn != nil {
		c.conn.Close()
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// remoteError carries an error text from another member. The leader's
// sentinel errors are mapped back so callers can still use errors.Is.
func remoteError(s string) error {
	for _, e := range []error{ErrNotLeader, ErrNoLeader, ErrSessionMoved} {
		if s == e.Error() {
			return e
		}
	}
	return errors.New(s)
}

// servePeer answers one member's peer stream until it closes.
func (n *Node) servePeer(conn net.Conn) {
	defer n.wg.Done()
	defer func() {
		conn.Close()
		n.peerMu.Lock()
		delete(n.inbound, conn)
		n.peerMu.Unlock()
	}()
	var wmu sync.Mutex
	w := bufio.NewWriter(conn)
	reply := func(id uint64, err error) {
		var body []byte
		if err != nil {
			body = []byte(err.Error())
		}
		wmu.Lock()
		defer wmu.Unlock()
		if writeFrame(w, msgResult, id, body) == nil {
			_ = w.Flush()
		}
	}
	r := bufio.NewReader(conn)
	for {
		kind, id, body, err := readFrame(r)
		if err != nil {
			return
		}
		switch kind {
		case msgPropose:
			p, err := decodeProposalMsg(body)
			if err != nil {
				reply(id, err)
				continue
			}
			errc := n.proposeLocal(p)
			n.wg.Add(1)
			go func() {
				defer n.wg.Done()
				reply(id, <-errc)
			}()
		case msgReconfig:
			joining, leaving, err := decodeReconfig(body)
			if err != nil {
				reply(id, err)
				continue
			}
			n.wg.Add(1)
			go func() {
				defer n.wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				reply(id, n.reconfigureLocal(ctx, joining, leaving))
			}()
		case msgTouch:
			if ids, err := decodeIDs(body); err == nil {
				n.sessions.touch(ids...)
			}
		case msgOwner:
			reply(id, n.servePeerOwner(body))
		case msgMoved:
			n.servePeerMoved(body)
		}
	}
}
