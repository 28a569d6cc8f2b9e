package faultnet

import (
	"net"
	"os"
	"sync"
	"time"
)

// Conn is one client connection accepted through a Listener. It behaves as
// the net.Conn it wraps until the fault layer cuts or freezes it. Read and
// Write may be called from different goroutines, as on any net.Conn.
type Conn struct {
	net.Conn
	id     uint64
	member string
	owner  *Conns
	opened time.Time

	mu      sync.Mutex
	client  string
	frozen  bool
	closed  bool
	changed chan struct{} // closed and replaced when frozen, closed or a deadline changes
	rdl     time.Time
	wdl     time.Time
	pending []byte // bytes that arrived while frozen, handed out after thawing

	closeOnce sync.Once
}

func newConn(nc net.Conn, member string, owner *Conns) *Conn {
	return &Conn{Conn: nc, member: member, owner: owner, opened: time.Now(), changed: make(chan struct{})}
}

// ID is the connection's id in its Conns table.
func (c *Conn) ID() uint64 { return c.id }

// Member is the member whose client port accepted the connection.
func (c *Conn) Member() string { return c.member }

// SetClient labels the connection, e.g. with its session once the handshake
// names it ("s7"), so that Conns.CutClient can find it.
func (c *Conn) SetClient(label string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.client = label
}

// Client is the label set by SetClient, else the remote address.
func (c *Conn) Client() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clientLocked()
}

func (c *Conn) clientLocked() string {
	if c.client != "" {
		return c.client
	}
	return c.RemoteAddr().String()
}

// Info describes the connection.
func (c *Conn) Info() ConnInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ConnInfo{ID: c.id, Member: c.member, Client: c.clientLocked(), Remote: c.RemoteAddr().String(),
		Frozen: c.frozen, Opened: c.opened}
}

// Read implements net.Conn. While the connection is frozen it returns
// nothing: data that arrives is kept back until Thaw, or the read deadline
// ends the wait with os.ErrDeadlineExceeded.
func (c *Conn) Read(p []byte) (int, error) {
	if err := c.waitThawed(true); err != nil {
		return 0, err
	}
	c.mu.Lock()
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		c.mu.Unlock()
		return n, nil
	}
	c.mu.Unlock()
	n, err := c.Conn.Read(p)
	if n > 0 {
		// The read may have started before a freeze; what it got must not
		// get through until the thaw.
		if werr := c.waitThawed(true); werr != nil {
			c.mu.Lock()
			c.pending = append(c.pending, p[:n]...)
			c.mu.Unlock()
			return 0, werr
		}
	}
	return n, err
}

// Write implements net.Conn. While the connection is frozen it waits, as
// if the socket's send buffer were full, until Thaw, Close or the write
// deadline.
func (c *Conn) Write(p []byte) (int, error) {
	if err := c.waitThawed(false); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// waitThawed returns nil once the connection is not frozen, net.ErrClosed
// if it closes, and os.ErrDeadlineExceeded when the read (or write)
// deadline passes. A deadline set while it waits applies at once.
func (c *Conn) waitThawed(read bool) error {
	for {
		c.mu.Lock()
		closed, frozen, changed := c.closed, c.frozen, c.changed
		dl := c.wdl
		if read {
			dl = c.rdl
		}
		c.mu.Unlock()
		switch {
		case closed:
			return net.ErrClosed
		case !frozen:
			return nil
		}
		if dl.IsZero() {
			<-changed
			continue
		}
		d := time.Until(dl)
		if d <= 0 {
			return os.ErrDeadlineExceeded
		}
		timer := time.NewTimer(d)
		select {
		case <-changed:
			timer.Stop()
		case <-timer.C:
			return os.ErrDeadlineExceeded
		}
	}
}

// signal wakes every waiter; c.mu must be held.
func (c *Conn) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// SetDeadline implements net.Conn.
func (c *Conn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.rdl, c.wdl = t, t
	c.signal()
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

// SetReadDeadline implements net.Conn.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.rdl = t
	c.signal()
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

// SetWriteDeadline implements net.Conn.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.wdl = t
	c.signal()
	c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

// Close implements net.Conn and takes the connection out of its table.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.signal()
		c.mu.Unlock()
		c.owner.unregister(c.id)
	})
	return c.Conn.Close()
}

// cut resets the connection: with linger 0 the kernel sends RST, so the
// client sees "connection reset" rather than an orderly end of stream.
func (c *Conn) cut() {
	if tc, ok := c.Conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // best effort: without it the client sees EOF instead
	}
	c.owner.publish(c, "cut")
	c.Close()
}

func (c *Conn) setFrozen(frozen bool) {
	c.mu.Lock()
	if c.frozen == frozen {
		c.mu.Unlock()
		return
	}
	c.frozen = frozen
	c.signal()
	c.mu.Unlock()
	if frozen {
		c.owner.publish(c, "frozen")
	} else {
		c.owner.publish(c, "thawed")
	}
}
