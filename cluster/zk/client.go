package zk

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Client is a ZooKeeper session. All methods are safe for concurrent use.
// Requests are sent in call order per connection and answered in that order.
//
// Goroutines: the client owns one connection loop (dial, handshake,
// reconnect), one reader and one writer per live connection, and one
// delivery goroutine for state and persistent-watch callbacks. Close stops
// and waits for all of them.
type Client struct {
	connStr string
	opts    []Option
	cfg     config
	hosts   []string
	chroot  chroot
	disp    *dispatcher
	ctx     context.Context // cancelled by Close: the connection loop must end
	cancel  context.CancelFunc
	done    chan struct{} // closed when the connection loop has ended
	closed  chan struct{} // closed when Close has finished

	mu        sync.Mutex
	state     State
	changed   chan struct{} // closed and replaced on every state change
	sessionID int64
	passwd    []byte
	timeout   time.Duration // negotiated; the requested one until then
	lastZxid  int64
	server    string
	lastErr   error // why the last connection attempt or connection ended
	xid       int32
	creds     []credential
	outq      []*request // waiting for a connection
	wakeOut   chan struct{}
	watches   watchRegistry
	closing   bool
	thaw      chan struct{} // non-nil while frozen (test hook); closed to thaw
}

// Connect opens a session with the ensemble in connStr
// ("host:port,host:port[/chroot]") and returns once the session is
// established. While ctx allows it keeps trying the hosts in turn; when ctx
// ends first, everything started is stopped and ctx's error returned.
func Connect(ctx context.Context, connStr string, opts ...Option) (*Client, error) {
	hosts, root, err := ParseConnString(connStr)
	if err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	c := &Client{
		connStr: connStr,
		opts:    opts,
		cfg:     cfg,
		hosts:   cfg.orderHosts(hosts),
		chroot:  chroot(root),
		disp:    newDispatcher(),
		done:    make(chan struct{}),
		closed:  make(chan struct{}),
		changed: make(chan struct{}),
		passwd:  make([]byte, 16),
		timeout: cfg.sessionTimeout,
		creds:   append([]credential(nil), cfg.creds...),
		wakeOut: make(chan struct{}, 1),
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.run()
	for {
		c.mu.Lock()
		st, changed := c.state, c.changed
		c.mu.Unlock()
		if st.connected() {
			return c, nil
		}
		if st == StateExpired || st == StateClosed {
			c.Close()
			return nil, fmt.Errorf("zk: connect %s: %w", connStr, ErrSessionExpired)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			c.Close()
			c.mu.Lock()
			lastErr := c.lastErr
			c.mu.Unlock()
			if lastErr != nil {
				return nil, fmt.Errorf("zk: connect %s: %w (last error: %v)", connStr, ctx.Err(), lastErr)
			}
			return nil, fmt.Errorf("zk: connect %s: %w", connStr, ctx.Err())
		}
	}
}

// Reconnect opens a new session with the connection string and options c
// was connected with, and returns it as a new Client. It is how a caller
// carries on after StateExpired (the Client never does so by itself, since
// everything tied to the old session — ephemerals, watches — is gone and
// must be rebuilt). The options are reused as given, so a state callback
// hears both clients (StateEvent.SessionID tells them apart). c is left as
// it is; close it if it is not closed.
func (c *Client) Reconnect(ctx context.Context) (*Client, error) {
	return Connect(ctx, c.connStr, c.opts...)
}

// State returns the current state.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// SessionID returns the session id (0 before the first handshake).
func (c *Client) SessionID() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessionID
}

// SessionTimeout returns the negotiated session timeout.
func (c *Client) SessionTimeout() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.timeout
}

// LastZxid returns the highest zxid seen in a reply.
func (c *Client) LastZxid() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastZxid
}

// Server returns the address of the server the client is connected to, or
// "" when it is not connected.
func (c *Client) Server() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.state.connected() {
		return ""
	}
	return c.server
}

// Close ends the session: when connected it sends closeSession (the server
// deletes the session's ephemerals) and waits briefly for the reply, then
// stops every goroutine of the client. Calls still waiting fail with
// ErrClosing; one-shot watches receive EventNotWatching; persistent watch
// callbacks get EventNotWatching and then no more calls. Close must not be
// called from a callback. It is idempotent and always returns nil.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		<-c.closed
		return nil
	}
	c.closing = true
	st, wait := c.state, c.timeout*2/3
	c.mu.Unlock()

	if st.connected() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		if _, err := c.send(ctx, OpCloseSession, nil, nil, true); err != nil {
			c.cfg.logger.Debug("zk: closeSession", "err", err)
		}
		cancel()
	}
	c.cancel()
	<-c.done

	c.mu.Lock()
	c.failQueued(ErrClosing)
	c.endWatches(KeeperClosed, ErrClosing)
	c.setState(StateClosed, nil)
	c.mu.Unlock()
	c.disp.close()
	close(c.closed)
	return nil
}

// setState records a state change and queues it for the state callback.
// c.mu must be held.
func (c *Client) setState(s State, err error) {
	if s == c.state {
		return
	}
	ev := StateEvent{State: s, Previous: c.state, SessionID: c.sessionID, Err: err}
	if s.connected() {
		ev.Server = c.server
	}
	c.state = s
	close(c.changed)
	c.changed = make(chan struct{})
	c.cfg.logger.Info("zk: state", "event", ev.String())
	if fn := c.cfg.onState; fn != nil {
		c.disp.post(func() { fn(ev) })
	}
}

// failQueued fails every request that was never sent. c.mu must be held.
func (c *Client) failQueued(err error) {
	for _, r := range c.outq {
		r.queued = false
		r.complete(0, err, nil)
	}
	c.outq = nil
}

// endWatches ends every watch with EventNotWatching. c.mu must be held.
func (c *Client) endWatches(state KeeperState, err error) {
	for _, w := range c.watches.all() {
		c.deliver(w, WatchEvent{Type: EventNotWatching, State: state, Err: err})
	}
}

// deliver hands ev to w: a one-shot channel gets it and is closed; a
// persistent callback is queued on the dispatcher. c.mu must be held, which
// keeps deliveries in notification order.
func (c *Client) deliver(w *watcher, ev WatchEvent) {
	if w.ch != nil {
		w.ch <- ev
		close(w.ch)
		return
	}
	fn := w.fn
	c.disp.post(func() { fn(ev) })
}

// notifyPersistent sends a connection event to every persistent watch.
// c.mu must be held.
func (c *Client) notifyPersistent(state KeeperState) {
	for _, w := range c.watches.persistent() {
		c.deliver(w, WatchEvent{Type: EventNone, State: state})
	}
}

// freeze stops all traffic, as if the process were paused: no pings, no
// requests, no reading, no reconnecting, until thaw. Test hook.
func (c *Client) freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.thaw == nil {
		c.thaw = make(chan struct{})
	}
}

func (c *Client) unfreeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.thaw != nil {
		close(c.thaw)
		c.thaw = nil
	}
}

func (c *Client) frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.thaw != nil
}

// waitThawed blocks while the client is frozen; false if stop closed first.
func (c *Client) waitThawed(stop <-chan struct{}) bool {
	c.mu.Lock()
	thaw := c.thaw
	c.mu.Unlock()
	if thaw == nil {
		return true
	}
	select {
	case <-thaw:
		return true
	case <-stop:
		return false
	}
}
