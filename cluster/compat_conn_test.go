package cluster

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"coordtui/cluster/zk"
)

// compatIOTimeout bounds every wait for a frame: a server that never
// answers fails the command, it does not hang the suite.
const compatIOTimeout = 10 * time.Second

// compatEvent is one notification as it came off the wire.
type compatEvent struct {
	zxid int64
	ev   zk.WatcherEvent
}

// compatConn is one TCP connection speaking the raw protocol, read
// synchronously: a command writes its request and reads frames until its
// reply, keeping the notifications that came first, so the transcript shows
// exactly which events a reply was preceded by.
type compatConn struct {
	nc  net.Conn
	r   *bufio.Reader
	xid int32
	eof bool // the server closed the connection
}

func dialCompat(addr string) (*compatConn, error) {
	nc, err := net.DialTimeout("tcp", addr, compatIOTimeout)
	if err != nil {
		return nil, err
	}
	return &compatConn{nc: nc, r: bufio.NewReader(nc)}, nil
}

func (c *compatConn) close() { c.nc.Close() }

func (c *compatConn) write(b []byte) error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(compatIOTimeout))
	_, err := c.nc.Write(b)
	return err
}

// closedOnUs says a write failed because the server had closed the connection.
func closedOnUs(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// errCompatEOF says the server closed the connection.
var errCompatEOF = errors.New("connection closed by the server")

// readFrame reads one frame before the deadline; a clean close (or a reset
// after the server dropped us) is errCompatEOF.
func (c *compatConn) readFrame(deadline time.Time) ([]byte, error) {
	if c.eof {
		return nil, errCompatEOF
	}
	_ = c.nc.SetReadDeadline(deadline)
	b, err := zk.ReadFrame(c.r, 0)
	var ne net.Error
	switch {
	case err == nil:
		return b, nil
	case errors.As(err, &ne) && ne.Timeout():
		return nil, err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		c.eof = true
		return nil, errCompatEOF
	default:
		// A reset is the server closing on us too.
		c.eof = true
		return nil, fmt.Errorf("%w (%v)", errCompatEOF, err)
	}
}

// compatReply is one decoded reply header and its raw body.
type compatReply struct {
	hdr  zk.ReplyHeader
	body []byte
}

// roundTrip sends frame (whose xid is xid) and reads until the reply with
// that xid. Notifications read meanwhile are returned in arrival order. A
// frame with any other xid is an error: replies must come in order.
func (c *compatConn) roundTrip(xid int32, frame []byte) (compatReply, []compatEvent, error) {
	if err := c.write(frame); err != nil && !closedOnUs(err) {
		return compatReply{}, nil, err
	}
	// A server that closes on a bad length may reset the connection while
	// the rest of a large frame is still going out; whatever it sent first
	// is still read below, and the close reads as errCompatEOF.
	return c.readReply(xid)
}

func (c *compatConn) readReply(xid int32) (compatReply, []compatEvent, error) {
	var evs []compatEvent
	deadline := time.Now().Add(compatIOTimeout)
	for {
		b, err := c.readFrame(deadline)
		if err != nil {
			return compatReply{}, evs, err
		}
		var h zk.ReplyHeader
		d := zk.NewDecoder(b, 0)
		h.Decode(d)
		if d.Err() != nil {
			return compatReply{}, evs, fmt.Errorf("short reply header: % x", b)
		}
		rest := b[len(b)-d.Remaining():]
		if h.Xid == zk.XidNotification {
			var ev zk.WatcherEvent
			if err := zk.Unmarshal(rest, &ev); err != nil {
				return compatReply{}, evs, fmt.Errorf("bad notification: %w", err)
			}
			evs = append(evs, compatEvent{zxid: h.Zxid, ev: ev})
			continue
		}
		if h.Xid != xid {
			return compatReply{}, evs, fmt.Errorf("reply xid %d while waiting for %d", h.Xid, xid)
		}
		return compatReply{hdr: h, body: rest}, evs, nil
	}
}

// request sends a normal request (next xid) with an optional body.
func (c *compatConn) request(op zk.OpCode, body zk.Record) (compatReply, []compatEvent, error) {
	c.xid++
	recs := []zk.Record{&zk.RequestHeader{Xid: c.xid, Type: op}}
	if body != nil {
		recs = append(recs, body)
	}
	return c.roundTrip(c.xid, zk.AppendFrame(nil, recs...))
}

// ping sends a ping (xid -2); its reply carries the server's last zxid.
func (c *compatConn) ping() (compatReply, []compatEvent, error) {
	return c.roundTrip(zk.XidPing, zk.AppendFrame(nil, &zk.RequestHeader{Xid: zk.XidPing, Type: zk.OpPing}))
}

// connect sends a ConnectRequest and reads the ConnectResponse; ok is false
// when the server closed the connection without one. raw is the response
// payload, whose length tells whether the readOnly byte was sent. Frames in
// behind go out in the same write, before the server has answered.
func (c *compatConn) connect(req *zk.ConnectRequest, behind []byte) (resp zk.ConnectResponse, raw []byte, ok bool, err error) {
	if err := c.write(append(zk.AppendFrame(nil, req), behind...)); err != nil {
		return resp, nil, false, err
	}
	b, err := c.readFrame(time.Now().Add(compatIOTimeout))
	if errors.Is(err, errCompatEOF) {
		return resp, nil, false, nil
	}
	if err != nil {
		return resp, nil, false, err
	}
	if err := zk.Unmarshal(b, &resp); err != nil {
		return resp, b, false, fmt.Errorf("bad ConnectResponse % x: %w", b, err)
	}
	return resp, b, true, nil
}

// drain reads until the server closes the connection, returning the
// notifications that came first, or an error if it stays open (or sends a
// reply) past the deadline.
func (c *compatConn) drain() ([]compatEvent, error) {
	var evs []compatEvent
	deadline := time.Now().Add(compatIOTimeout)
	for {
		b, err := c.readFrame(deadline)
		if errors.Is(err, errCompatEOF) {
			return evs, nil
		}
		if err != nil {
			return evs, fmt.Errorf("still open: %w", err)
		}
		var h zk.ReplyHeader
		if err := zk.Unmarshal(b, &h); err != nil || h.Xid != zk.XidNotification {
			return evs, fmt.Errorf("unexpected frame before the close: % x", b)
		}
		var ev zk.WatcherEvent
		_ = zk.Unmarshal(b[16:], &ev)
		evs = append(evs, compatEvent{zxid: h.Zxid, ev: ev})
	}
}

// awaitConnGone returns once the server at addr no longer lists the
// connection from local (HOST:PORT) in its cons output.
func awaitConnGone(addr, local string) error {
	deadline := time.Now().Add(compatIOTimeout)
	for {
		out, err := fourLetterCompat(addr, "cons", deadline)
		if err == nil && !strings.Contains(out, "/"+local+"[") {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server still lists closed connection %s (cons: %q, %v)", local, out, err)
		}
		time.Sleep(20 * time.Millisecond) // polling observed state, not synchronising on time
	}
}

func fourLetterCompat(addr, word string, deadline time.Time) (string, error) {
	nc, err := net.DialTimeout("tcp", addr, compatIOTimeout)
	if err != nil {
		return "", err
	}
	defer nc.Close()
	nc.SetDeadline(deadline)
	if _, err := io.WriteString(nc, word); err != nil {
		return "", err
	}
	b, err := io.ReadAll(nc)
	return string(b), err
}
