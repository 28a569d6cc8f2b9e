package zk

import "errors"

// ErrCrashed is why a crashed client's calls fail and what its last state
// event carries: the client stopped without ending its session.
var ErrCrashed = errors.New("zk: client crashed")

// Freeze stops all of the client's traffic, as a long GC pause or SIGSTOP
// of the client process would: no pings, no requests, no reading, no
// reconnecting, until Thaw. The server hears nothing, so it expires the
// session once its timeout passes unless the client is thawed first. The
// client itself notices nothing while frozen, not even the silence; calls
// made meanwhile are not sent and end when their contexts do. It is meant
// for demonstrations and tests of session expiry. Freezing a frozen client
// does nothing.
func (c *Client) Freeze() { c.freeze() }

// Thaw resumes a frozen client. It carries on as a paused process does:
// a connection the server dropped meanwhile is noticed and the client
// reconnects; if the session expired, the client learns so (StateExpired).
// Thawing a client that is not frozen does nothing.
func (c *Client) Thaw() { c.unfreeze() }

// Frozen reports whether the client is frozen.
func (c *Client) Frozen() bool { return c.frozen() }

// Crash ends the client as kill -9 of its process would: the connection is
// dropped without a closeSession and nothing reconnects, so the session
// lives on at the server until it expires, and its ephemerals with it.
// Calls still waiting fail with ErrClosing, every watch ends with
// EventNotWatching, and the state becomes StateClosed with ErrCrashed.
// Crash waits for the client's goroutines like Close, must not be called
// from a callback, and does nothing to a client already closed or crashed.
func (c *Client) Crash() {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		<-c.closed
		return
	}
	c.closing = true
	if c.thaw != nil {
		close(c.thaw)
		c.thaw = nil
	}
	c.mu.Unlock()

	c.cancel()
	<-c.done

	c.mu.Lock()
	c.failQueued(ErrClosing)
	c.endWatches(KeeperClosed, ErrClosing)
	c.setState(StateClosed, ErrCrashed)
	c.mu.Unlock()
	c.disp.close()
	close(c.closed)
}
