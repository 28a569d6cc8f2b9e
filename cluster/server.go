package cluster

import (
	"errors"
	"net"
	"slices"
	"sync"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/zk"
	"coordtui/tree"
)

// ServerConfig configures a member's ZooKeeper client port.
type ServerConfig struct {
	MaxPacket int // jute.maxbuffer; default zk.DefaultMaxPacket
	// FourLetterWords lists the allowed four-letter words; "*" allows all.
	// Empty allows only srvr, as ZooKeeper 3.5+ does by default.
	FourLetterWords []string
	// TTLDisabled refuses createTTL with UNIMPLEMENTED, as ZooKeeper does
	// without extendedTypesEnabled.
	TTLDisabled bool
	// ReconfigEnabled allows the reconfig opcode (for a super user only).
	ReconfigEnabled bool
	// SuperDigest is "super:base64(sha1(super:password))"; a client that
	// authenticates as it bypasses every ACL.
	SuperDigest string
	// Version is coordtui's version, shown where ZooKeeper shows its own
	// ("Zookeeper version: 3.9.3-coordtui-<Version>, built on ..."); ""
	// shows "dev".
	Version string
}

// Server serves ZooKeeper's client protocol for one member. It is a thin
// front over the Node: writes go through Node.Propose, reads are served
// from the member's tree, and watch notifications are queued by an apply
// hook so that each reaches its client before any reply reflecting the
// change.
type Server struct {
	n   *Node
	cfg ServerConfig
	l   net.Listener

	watchMu sync.Mutex // guards watches; taken inside the tree's lock, never the other way
	watches *tree.Watches

	mu       sync.Mutex
	conns    map[tree.WatcherID]*conn
	bySess   map[int64]*conn
	nextConn tree.WatcherID
	closed   bool

	stats serverStats

	stop chan struct{}
	wg   sync.WaitGroup
}

// Serve starts serving clients on l for member n. Call it before the member
// takes client traffic; Close stops it.
func (n *Node) Serve(l net.Listener, cfg ServerConfig) *Server {
	if cfg.MaxPacket <= 0 {
		cfg.MaxPacket = zk.DefaultMaxPacket
	}
	s := &Server{n: n, cfg: cfg, l: l, watches: tree.NewWatches(),
		conns: make(map[tree.WatcherID]*conn), bySess: make(map[int64]*conn), stop: make(chan struct{})}
	s.stats.init()
	n.AddApplyHook(s.onApply)
	n.AddMovedHook(s.closeMoved)
	s.wg.Add(2)
	go s.accept()
	go s.monitor()
	return s
}

// Addr is the client address.
func (s *Server) Addr() string { return s.l.Addr().String() }

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		nc, err := s.l.Accept()
		if err != nil {
			return
		}
		c := s.register(nc)
		if c == nil {
			nc.Close()
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
		}()
	}
}

func (s *Server) register(nc net.Conn) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.nextConn++
	c := newConn(s, s.nextConn, nc)
	s.conns[c.id] = c
	s.n.counters.ConnOpened()
	return c
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	if _, ok := s.conns[c.id]; !ok {
		s.mu.Unlock()
		return
	}
	delete(s.conns, c.id)
	if s.bySess[c.session] == c {
		delete(s.bySess, c.session)
	}
	s.mu.Unlock()
	s.watchMu.Lock()
	s.watches.RemoveWatcher(c.id)
	s.watchMu.Unlock()
	c.dropOutstanding()
	s.n.counters.ConnClosed()
}

// bind makes c the session's connection on this member, closing any other
// (ZooKeeper's CLIENT_RECONNECT: the old socket just gets EOF).
func (s *Server) bind(c *conn) {
	s.mu.Lock()
	old := s.bySess[c.session]
	s.bySess[c.session] = c
	s.mu.Unlock()
	if old != nil && old != c {
		old.kill()
	}
}

// closeMoved closes session's connection here: its client resumed the
// session on another member (the old socket just gets EOF, as from
// ZooKeeper). A client that flaps back here within a message's latency
// may lose its new connection to the stale notice; it then reconnects.
func (s *Server) closeMoved(session int64) {
	s.mu.Lock()
	c := s.bySess[session]
	s.mu.Unlock()
	if c != nil {
		c.kill()
	}
}

// monitor closes the connections of clients that did not ask for read-only
// mode whenever the member stops serving (it lost its quorum), as a
// ZooKeeper server does when it loses its leader: the clients see
// CONNECTION_LOSS and move to another member.
func (s *Server) monitor() {
	defer s.wg.Done()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.trackLeadership()
		if s.n.Serving() {
			continue
		}
		for _, c := range s.snapshotConns() {
			// Only sessions are dropped: a connection still in its
			// handshake is refused by it, and a four-letter word is
			// answered even by a ZooKeeper server that has no leader.
			if c.stats.session.Load() != 0 && !c.readOnly.Load() {
				c.kill()
			}
		}
	}
}

func (s *Server) snapshotConns() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*conn, 0, len(s.conns))
	for _, id := range sortedKeys(s.conns) {
		out = append(out, s.conns[id])
	}
	return out
}

// onApply runs on the FSM goroutine with the tree write-locked: it queues
// every notification the change causes before anyone can read the change.
func (s *Server) onApply(t *tree.Tree, a *Applied) {
	s.recordProposal(a)
	for _, ch := range a.Result.Changes {
		s.watchMu.Lock()
		fired := s.watches.Trigger(ch, s.canRead)
		s.watchMu.Unlock()
		if len(fired) == 0 {
			continue
		}
		var sessions []int64
		s.mu.Lock()
		for _, f := range fired {
			if c := s.conns[f.Watcher]; c != nil {
				c.notify(a.Txn.Zxid, f.Type, f.Path)
				sessions = append(sessions, c.session)
			}
		}
		s.mu.Unlock()
		s.n.counters.Notified(len(sessions))
		s.n.publish(event.Event{Kind: event.KindWatchFired, Watch: event.Watch{
			Type: zk.EventType(ch.Type).String(), Path: ch.Path, Sessions: sortedInts(sessions)}})
	}
	if a.Txn.Op.Type == tree.OpCloseSession && a.Result.Err == tree.OK {
		s.mu.Lock()
		c := s.bySess[a.Txn.Op.SessionID]
		s.mu.Unlock()
		if c != nil && a.Txn.Session == 0 {
			// Expired: ZooKeeper closes the socket without a word; the
			// client learns when it reconnects.
			go c.kill()
		}
	}
}

// canRead is the CVE-2024-23944 filter: a connection gets no event about a
// node it may not read.
func (s *Server) canRead(id tree.WatcherID, acl []tree.ACL) bool {
	s.mu.Lock()
	c := s.conns[id]
	s.mu.Unlock()
	if c == nil {
		return false
	}
	return tree.HasPerm(acl, c.authIDs(), tree.PermRead)
}

// WatchCount returns the number of watches registered on this member.
func (s *Server) WatchCount() int {
	s.watchMu.Lock()
	defer s.watchMu.Unlock()
	return s.watches.Count()
}

// Close stops accepting, drops every client connection and waits.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	err := s.l.Close()
	for _, c := range s.snapshotConns() {
		c.kill()
	}
	s.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

func sortedInts(v []int64) []int64 {
	out := slices.Clone(v)
	slices.Sort(out)
	return out
}
