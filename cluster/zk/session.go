package zk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// errExpired is runConn's report that the server declared the session dead.
var errExpired = errors.New("zk: server reported the session expired")

const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = time.Second
)

// run is the connection loop: it tries the hosts in turn, serves each
// connection until it ends, and stops when the session expires or the
// client is closed. It is the only goroutine that dials. A full pass of
// failures is followed by a pause that doubles up to a second.
func (c *Client) run() {
	defer close(c.done)
	failures := 0
	backoff := time.Duration(0)
	for i := 0; ; i = (i + 1) % len(c.hosts) {
		if !c.waitThawed(c.ctx.Done()) || c.ctx.Err() != nil {
			return
		}
		// Back off once per pass over every host that failed, not before
		// each attempt: after a partition heals or a leader is elected,
		// the members that serve again are found within one pass, while
		// a session's clock runs (ZooKeeper's Java client likewise spins
		// once per pass over its host list).
		if failures > 0 && failures%len(c.hosts) == 0 {
			backoff = min(max(2*backoff, minBackoff), maxBackoff)
			if !c.cfg.pause(c.ctx, backoff) {
				return
			}
		}
		established, err := c.runConn(c.hosts[i])
		if errors.Is(err, errExpired) {
			c.expire()
			return
		}
		c.mu.Lock()
		closing := c.closing
		if !closing {
			c.lastErr = err
		}
		c.mu.Unlock()
		if closing {
			return
		}
		if established {
			failures, backoff = 0, 0
		} else {
			failures++
			c.cfg.logger.Debug("zk: connect failed", "server", c.hosts[i], "err", err)
		}
	}
}

// runConn dials addr, performs the handshake and serves the connection
// until it ends. established reports whether a handshake succeeded.
func (c *Client) runConn(addr string) (established bool, err error) {
	c.mu.Lock()
	connectTimeout := c.timeout / time.Duration(len(c.hosts))
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(c.ctx, connectTimeout)
	defer cancel()
	nc, err := c.dialAddr(ctx, addr)
	if err != nil {
		return false, err
	}
	resp, err := c.handshake(ctx, nc)
	if err != nil {
		nc.Close()
		return false, fmt.Errorf("zk: handshake with %s: %w", addr, err)
	}
	if resp.TimeOut <= 0 {
		nc.Close()
		return false, errExpired
	}
	cn, initial := c.establish(nc, addr, resp)
	err = cn.serve(initial)
	c.mu.Lock()
	if !c.closing {
		c.setState(StateSuspended, err)
		c.notifyPersistent(KeeperDisconnected)
	}
	c.mu.Unlock()
	c.cfg.logger.Info("zk: connection lost", "server", addr, "err", err)
	return true, err
}

// handshake sends the ConnectRequest (with the session to resume, if any)
// and reads the ConnectResponse, both within ctx's deadline. A server that
// is behind our last zxid closes the connection instead of answering.
func (c *Client) handshake(ctx context.Context, nc net.Conn) (ConnectResponse, error) {
	c.mu.Lock()
	req := ConnectRequest{
		LastZxidSeen: c.lastZxid,
		TimeOut:      int32(c.timeout / time.Millisecond),
		SessionID:    c.sessionID,
		Passwd:       c.passwd,
		ReadOnly:     c.cfg.readOnly,
		HasReadOnly:  true,
	}
	c.mu.Unlock()
	var resp ConnectResponse
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	// Closing the client must interrupt a handshake that is waiting.
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := nc.Write(AppendFrame(nil, &req)); err != nil {
		return resp, err
	}
	payload, err := ReadFrame(nc, c.cfg.maxPacket)
	if err != nil {
		return resp, err
	}
	if err := Unmarshal(payload, &resp); err != nil {
		return resp, err
	}
	if !stop() {
		return resp, ctx.Err()
	}
	nc.SetDeadline(time.Time{})
	return resp, nil
}

// establish adopts the session the server granted, announces the new state
// and prepares what must be sent before any queued request: every stored
// credential, then SetWatches batches that re-arm every watch.
func (c *Client) establish(nc net.Conn, addr string, resp ConnectResponse) (*conn, []*request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	resumed := c.sessionID != 0
	c.sessionID, c.passwd, c.server = resp.SessionID, resp.Passwd, addr
	c.timeout = time.Duration(resp.TimeOut) * time.Millisecond
	cn := &conn{
		c:           c,
		nc:          nc,
		max:         c.cfg.maxPacket,
		readTimeout: c.timeout * 2 / 3,
		pingEvery:   c.timeout / 3,
		stop:        make(chan struct{}),
	}
	var initial []*request
	for _, cred := range c.creds {
		r := c.newRequest(OpAuth, &AuthPacket{Scheme: cred.scheme, Auth: cred.auth})
		r.onReply = c.dropFailedCredential(cred)
		initial = append(initial, r)
	}
	for _, sw := range c.watches.setWatches(c.lastZxid) {
		op := OpSetWatches
		if _, v2 := sw.(*SetWatches2); v2 {
			op = OpSetWatches2
		}
		r := c.newRequest(op, sw)
		r.onReply = func(r *request) {
			if r.err != nil {
				c.cfg.logger.Warn("zk: re-arming watches failed", "op", op, "err", r.err)
			}
		}
		initial = append(initial, r)
	}
	for _, r := range initial {
		c.assignXid(r)
	}
	state := StateConnected
	if resp.ReadOnly {
		state = StateConnectedReadOnly
	}
	c.setState(state, nil)
	if resumed {
		c.notifyPersistent(KeeperSyncConnected)
	}
	return cn, initial
}

// dropFailedCredential forgets a stored credential the server refused on a
// reconnect, so the client does not fail the same way on every connection.
func (c *Client) dropFailedCredential(cred credential) func(*request) {
	return func(r *request) {
		if r.err == nil {
			return
		}
		c.cfg.logger.Error("zk: stored credential refused; dropping it", "scheme", cred.scheme, "err", r.err)
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, have := range c.creds {
			if have.scheme == cred.scheme && string(have.auth) == string(cred.auth) {
				c.creds = append(c.creds[:i:i], c.creds[i+1:]...)
				break
			}
		}
	}
}

// expire ends the client after the server declared the session dead.
func (c *Client) expire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setState(StateExpired, ErrSessionExpired)
	c.failQueued(ErrSessionExpired)
	c.endWatches(KeeperExpired, ErrSessionExpired)
}
