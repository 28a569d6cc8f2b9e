package zk

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// conn is one live connection of a session: a reader and a writer
// goroutine, and the requests sent on it that await replies.
type conn struct {
	c           *Client
	nc          net.Conn
	max         int
	readTimeout time.Duration // silence longer than this drops the connection
	pingEvery   time.Duration // the writer pings after this long without writing
	stop        chan struct{} // closed by serve to stop the writer

	mu      sync.Mutex
	pending []*request // sent, awaiting replies in this order
	auths   []*request // auth packets (xid -4), answered out of band
}

// serve runs the reader and writer until either fails or the client is
// closed, then stops both, waits for them and fails every request still
// awaiting a reply with ErrConnectionLoss (ErrClosing when closing). The
// initial requests are written before anything queued.
func (cn *conn) serve(initial []*request) error {
	errc := make(chan error, 2)
	go func() { errc <- cn.readLoop() }()
	go func() { errc <- cn.writeLoop(initial) }()
	var err error
	running := 2
	select {
	case err = <-errc:
		running--
	case <-cn.c.ctx.Done():
		err = ErrClosing
	}
	close(cn.stop)
	cn.nc.Close()
	for ; running > 0; running-- {
		<-errc
	}
	cn.mu.Lock()
	failed := append(cn.pending, cn.auths...)
	cn.pending, cn.auths = nil, nil
	cn.mu.Unlock()
	lost := ErrConnectionLoss
	if cn.c.ctx.Err() != nil {
		lost = ErrClosing
	}
	for _, r := range failed {
		r.complete(0, lost, nil)
	}
	if err == nil {
		err = errors.New("zk: connection closed")
	}
	return err
}

func (cn *conn) writeLoop(initial []*request) error {
	c := cn.c
	if !c.waitThawed(cn.stop) {
		return nil
	}
	if err := cn.write(initial); err != nil {
		return err
	}
	ping := AppendFrame(nil, &RequestHeader{Xid: XidPing, Type: OpPing})
	timer := time.NewTimer(cn.pingEvery)
	defer timer.Stop()
	for {
		if !c.waitThawed(cn.stop) {
			return nil
		}
		if batch := c.takeQueued(); len(batch) > 0 {
			if err := cn.write(batch); err != nil {
				return err
			}
			timer.Reset(cn.pingEvery)
			continue
		}
		select {
		case <-cn.stop:
			return nil
		case <-c.wakeOut:
		case <-timer.C:
			if !c.frozen() {
				if err := cn.writeBytes(ping); err != nil {
					return err
				}
			}
			timer.Reset(cn.pingEvery)
		}
	}
}

// write records the batch as pending (so the reader can match the replies)
// and then writes it in one go.
func (cn *conn) write(batch []*request) error {
	if len(batch) == 0 {
		return nil
	}
	var buf []byte
	cn.mu.Lock()
	for _, r := range batch {
		if r.xid == XidAuth {
			cn.auths = append(cn.auths, r)
		} else {
			cn.pending = append(cn.pending, r)
		}
		buf = append(buf, r.frame...)
	}
	cn.mu.Unlock()
	return cn.writeBytes(buf)
}

func (cn *conn) writeBytes(b []byte) error {
	cn.nc.SetWriteDeadline(time.Now().Add(cn.readTimeout))
	_, err := cn.nc.Write(b)
	return err
}

func (cn *conn) readLoop() error {
	c := cn.c
	for {
		if !c.waitThawed(cn.stop) {
			return nil
		}
		cn.nc.SetReadDeadline(time.Now().Add(cn.readTimeout))
		payload, err := ReadFrame(cn.nc, cn.max)
		// A frozen client notices nothing, not even silence, until thawed.
		wasFrozen := c.frozen()
		if !c.waitThawed(cn.stop) {
			return nil
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				if wasFrozen {
					continue
				}
				return fmt.Errorf("zk: no reply from server for %v: %w", cn.readTimeout, err)
			}
			return err
		}
		if err := cn.handle(payload); err != nil {
			return err
		}
	}
}

// handle processes one frame from the server. Replies must arrive in the
// order the requests were sent; anything else is a protocol error that
// drops the connection.
func (cn *conn) handle(payload []byte) error {
	c := cn.c
	d := NewDecoder(payload, cn.max)
	var h ReplyHeader
	h.Decode(d)
	if err := d.Err(); err != nil {
		return fmt.Errorf("zk: reply header: %w", err)
	}
	switch h.Xid {
	case XidNotification:
		var ev WatcherEvent
		ev.Decode(d)
		if err := d.Err(); err != nil {
			return fmt.Errorf("zk: notification: %w", err)
		}
		c.notify(ev)
		return nil
	case XidPing:
		return nil
	case XidAuth:
		r := cn.pop(&cn.auths)
		if r == nil {
			return errors.New("zk: auth reply without an auth request")
		}
		cn.finish(r, h, nil)
		return nil
	}
	r := cn.pop(&cn.pending)
	if r == nil || r.xid != h.Xid {
		want := "none"
		if r != nil {
			want = fmt.Sprint(r.xid)
			r.complete(0, ErrConnectionLoss, nil)
		}
		return fmt.Errorf("zk: reply xid %d out of order (expected %s)", h.Xid, want)
	}
	if h.Zxid > 0 {
		c.mu.Lock()
		if h.Zxid > c.lastZxid {
			c.lastZxid = h.Zxid
		}
		c.mu.Unlock()
	}
	cn.finish(r, h, payload[d.off:])
	return nil
}

func (cn *conn) pop(q *[]*request) *request {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	if len(*q) == 0 {
		return nil
	}
	r := (*q)[0]
	*q = (*q)[1:]
	return r
}

// finish completes r with its reply, first registering the watch it asked
// for when the reply leaves one, so that no later notification can miss it.
func (cn *conn) finish(r *request, h ReplyHeader, body []byte) {
	c := cn.c
	if r.watch != nil {
		if kind, ok := r.watch.kindFor(h.Err); ok {
			c.mu.Lock()
			if !r.abandoned {
				c.watches.add(r.watch.path, &watcher{kind: kind, ch: r.watch.ch, fn: r.watch.fn})
				r.watch.registered = true
			}
			c.mu.Unlock()
		}
	}
	r.complete(h.Zxid, h.Err.Err(), body)
	if r.onReply != nil {
		r.onReply(r)
	}
}

// notify fans a notification out to the watches it triggers.
func (c *Client) notify(ev WatcherEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := WatchEvent{Type: ev.Type, State: ev.State, Path: c.chroot.toClient(ev.Path)}
	for _, w := range c.watches.match(ev) {
		c.deliver(w, out)
	}
}

// dialAddr opens a TCP (and, if configured, TLS) connection to addr.
func (c *Client) dialAddr(ctx context.Context, addr string) (net.Conn, error) {
	nc, err := c.cfg.dial(ctx, "tcp", addr)
	if err != nil || c.cfg.tls == nil {
		return nc, err
	}
	cfg := c.cfg.tls.Clone()
	if cfg.ServerName == "" {
		if host, _, err := net.SplitHostPort(addr); err == nil {
			cfg.ServerName = host
		}
	}
	tc := tls.Client(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return tc, nil
}
