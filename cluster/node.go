package cluster

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"
	"go.etcd.io/bbolt"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/tree"
)

var (
	// ErrNotLeader: the member asked to propose is not the leader. Nothing
	// was proposed, so retrying elsewhere is safe.
	ErrNotLeader = errors.New("cluster: not the leader")
	// ErrNoLeader: the member knows of no leader (an election is running or
	// it is cut off from a quorum). Nothing was proposed.
	ErrNoLeader = errors.New("cluster: no leader")
	// ErrLeaderUnreachable: the link to the leader is cut; nothing was
	// sent, so retrying is safe.
	ErrLeaderUnreachable = errors.New("cluster: leader unreachable")
	// ErrUnknownOutcome: the write was handed to raft but the leader lost
	// its leadership before it committed. It may or may not commit later;
	// a ZooKeeper client sees this as CONNECTION_LOSS.
	ErrUnknownOutcome = errors.New("cluster: leadership lost, outcome unknown")
	// ErrClosed: the member is stopped.
	ErrClosed = errors.New("cluster: member stopped")
)

// Peer names one member of an ensemble.
type Peer struct {
	ID       uint64 // 1..255, unique in the ensemble
	Addr     string // peer port: raft and peer RPCs
	NonVoter bool   // an observer: gets the log, does not vote
}

// ServerID is the raft id of member id.
func ServerID(id uint64) raft.ServerID { return raft.ServerID("n" + strconv.FormatUint(id, 10)) }

// MemberID parses a raft id made by ServerID; it returns 0 for anything else.
func MemberID(s raft.ServerID) uint64 {
	if len(s) < 2 || s[0] != 'n' {
		return 0
	}
	id, err := strconv.ParseUint(string(s[1:]), 10, 8)
	if err != nil {
		return 0
	}
	return id
}

// Network is the fault layer as a member sees it. A nil Network is a
// perfect one.
type Network interface {
	// Transport wraps the member's raft transport so that every RPC it
	// sends passes the faults.
	Transport(self uint64, inner *raft.NetworkTransport) raft.Transport
	// Deliver reports whether a peer message from → to may pass now.
	Deliver(from, to uint64) error
}

// Config configures one member.
type Config struct {
	ID        uint64
	Dir       string       // raft log, stable store and snapshots live here
	Listener  net.Listener // the peer port; if nil, Addr is listened on
	Addr      string
	Peers     []Peer // the initial configuration, used only when Dir is empty and Bootstrap is set
	Bootstrap bool
	Timing    Timing
	Sessions  SessionConfig
	Net       Network
	Events    *event.Bus // nil: no events
	// LogOutput receives raft's own log lines. Never the terminal the
	// console draws on; nil discards them.
	LogOutput io.Writer
}

// Node is one member: raft, the FSM around the tree, its data dir, and the
// peer port. Its methods are safe for concurrent use.
type Node struct {
	cfg   Config
	id    raft.ServerID
	raft  *raft.Raft
	fsm   *fsm
	store *raftboltdb.BoltStore
	trans raft.Transport
	mux   *peerMux

	props    chan pendingProp
	sessions *sessionTracker
	owners   owners // leader: which member each resumed session is on

	movedMu    sync.Mutex
	movedHooks []func(session int64)
	counters   *Counters

	peerMu  sync.Mutex
	peers   map[string]*peerClient // outbound, by address
	inbound map[net.Conn]struct{}  // peer streams other members opened to us

	inflight    atomic.Int64 // batches handed to raft, not yet committed
	nextReq     atomic.Uint64
	nextSession atomic.Int64

	stop     chan struct{}
	stopOnce sync.Once
	// wg counts the member's goroutines; Close waits for them. spawnMu
	// orders starting one against Close: once stop is closed no goroutine
	// may join wg from outside it (sync.WaitGroup forbids an Add from zero
	// while a Wait is under way).
	wg      sync.WaitGroup
	spawnMu sync.Mutex
}

type pendingProp struct {
	p    proposal
	errc chan error
}

// StartNode opens (or creates) the member's data dir and joins raft.
func StartNode(cfg Config) (*Node, error) {
	if cfg.ID == 0 || cfg.ID > 255 {
		return nil, fmt.Errorf("cluster: member id %d out of range 1..255", cfg.ID)
	}
	if cfg.Timing.Heartbeat == 0 {
		cfg.Timing = ServerTiming
	}
	cfg.Sessions = cfg.Sessions.withDefaults()
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("cluster: data dir: %w", err)
	}
	n := &Node{
		cfg:      cfg,
		id:       ServerID(cfg.ID),
		fsm:      newFSM(cfg.ID),
		props:    make(chan pendingProp, 1024),
		counters: newCounters(),
		peers:    make(map[string]*peerClient),
		inbound:  make(map[net.Conn]struct{}),
		stop:     make(chan struct{}),
	}
	// Request ids must never repeat across restarts: replayed entries carry
	// the ids of the previous run.
	n.nextReq.Store(rand.Uint64() >> 1)
	// ZooKeeper's layout: the member id in the top byte, then the start
	// time (an unsigned shift, or the sign would spill into the top byte).
	n.nextSession.Store(int64(cfg.ID)<<56 | int64(uint64(time.Now().UnixMilli()<<24)>>8))
	n.sessions = newSessionTracker(n)
	if err := n.open(); err != nil {
		n.closeStores()
		return nil, err
	}
	n.wg.Add(3)
	go n.batch()
	go n.sessions.run()
	go n.acceptPeers()
	n.observe()
	return n, nil
}

// boltOptions keep each log append small: the free-page list is rebuilt
// when the file opens instead of being written with every commit (and
// kept as a map, not a sorted array), as etcd and Consul run bbolt. Both
// fsyncs of a commit stay; only the bytes behind them shrink.
var boltOptions = &bbolt.Options{Timeout: time.Second, NoFreelistSync: true, FreelistType: bbolt.FreelistMapType}

func (n *Node) open() error {
	// Raft's lines become Log events (and go to LogOutput if set), never
	// to the terminal the console draws on.
	logger := faultnet.NewLogger(n.cfg.Events, string(n.id), faultnet.LoggerOptions{File: n.cfg.LogOutput})
	var err error
	n.store, err = raftboltdb.New(raftboltdb.Options{Path: filepath.Join(n.cfg.Dir, "raft.db"), BoltOptions: boltOptions})
	if errors.Is(err, bbolt.ErrTimeout) {
		return fmt.Errorf("cluster: raft store %s is locked: another process runs this member", filepath.Join(n.cfg.Dir, "raft.db"))
	}
	if err != nil {
		return fmt.Errorf("cluster: raft store: %w", err)
	}
	snaps, err := raft.NewFileSnapshotStoreWithLogger(n.cfg.Dir, max(n.cfg.Timing.SnapshotRetain, 1), logger)
	if err != nil {
		return fmt.Errorf("cluster: snapshot store: %w", err)
	}
	l := n.cfg.Listener
	if l == nil {
		if l, err = net.Listen("tcp", n.cfg.Addr); err != nil {
			return fmt.Errorf("cluster: peer port: %w", err)
		}
	}
	n.mux = newPeerMux(l)
	nt := raft.NewNetworkTransportWithConfig(&raft.NetworkTransportConfig{
		Stream: raftStream{n.mux}, MaxPool: 4, Timeout: 2 * time.Second, Logger: logger,
	})
	n.trans = nt
	if n.cfg.Net != nil {
		n.trans = n.cfg.Net.Transport(n.cfg.ID, nt)
	}
	rc := n.cfg.Timing.raftConfig(n.id)
	rc.Logger = logger
	has, err := raft.HasExistingState(n.store, n.store, snaps)
	if err != nil {
		return fmt.Errorf("cluster: reading raft state: %w", err)
	}
	if !has && n.cfg.Bootstrap {
		var conf raft.Configuration
		for _, p := range n.cfg.Peers {
			s := raft.Server{ID: ServerID(p.ID), Address: raft.ServerAddress(p.Addr), Suffrage: raft.Voter}
			if p.NonVoter {
				s.Suffrage = raft.Nonvoter
			}
			conf.Servers = append(conf.Servers, s)
		}
		if err := raft.BootstrapCluster(rc, n.store, n.store, snaps, n.trans, conf); err != nil {
			return fmt.Errorf("cluster: bootstrap: %w", err)
		}
	}
	n.raft, err = raft.NewRaft(rc, n.fsm, n.store, n.store, snaps, n.trans)
	if err != nil {
		return fmt.Errorf("cluster: starting raft: %w", err)
	}
	return nil
}

func (n *Node) closeStores() {
	if n.mux != nil {
		n.mux.Close()
	}
	if n.store != nil {
		n.store.Close()
	}
}

// ID is the member's id.
func (n *Node) ID() uint64 { return n.cfg.ID }

// Addr is the member's peer address.
func (n *Node) Addr() string { return n.mux.l.Addr().String() }

// Counters are the member's exact counters.
func (n *Node) Counters() *Counters { return n.counters }

// Raft exposes the member's raft for the ensemble's membership changes. The
// console never sees it (DESIGN.md: ui does not import hashicorp/raft).
func (n *Node) Raft() *raft.Raft { return n.raft }

// IsLeader reports whether this member is the raft leader now.
func (n *Node) IsLeader() bool { return n.raft.State() == raft.Leader }

// Serving reports whether the member may serve clients: it is the leader,
// or a member that follows a known leader. A member cut off from a quorum
// stops serving, as a ZooKeeper server that lost its leader does.
func (n *Node) Serving() bool {
	switch n.raft.State() {
	case raft.Leader:
		return true
	case raft.Follower:
		_, id := n.raft.LeaderWithID()
		return id != ""
	}
	return false
}

// View runs fn with the member's tree locked for reading. Reads served this
// way are sequentially consistent (ZooKeeper's local reads). fn must not
// keep the tree or block.
func (n *Node) View(fn func(t *tree.Tree)) { n.fsm.view(fn) }

// AddApplyHook registers fn to see every transaction this member applies,
// in log order, on the FSM goroutine with the tree write-locked; fn must
// not block. Hooks must be added before the node serves clients.
func (n *Node) AddApplyHook(fn func(t *tree.Tree, a *Applied)) {
	n.fsm.mu.Lock()
	n.fsm.hooks = append(n.fsm.hooks, fn)
	n.fsm.mu.Unlock()
}

// Write proposes op on behalf of session (0: the ensemble itself) with the
// caller's authenticated ids, and returns once this member has applied it,
// so the caller reads its own write here. It blocks; ctx bounds the wait.
func (n *Node) Write(ctx context.Context, session int64, auth []tree.ID, op tree.Op) (*Applied, error) {
	return n.Propose(ctx, session, auth, op).Wait(ctx)
}

// Propose hands a write to the leader and returns without waiting for it to
// commit. Writes proposed one after another from one goroutine commit in
// that order (ZooKeeper's FIFO client order), which is what lets a
// connection pipeline its writes.
func (n *Node) Propose(ctx context.Context, session int64, auth []tree.ID, op tree.Op) *Pending {
	txn := &tree.Txn{Session: session, Auth: auth, Op: op}
	return n.propose(ctx, tree.AppendTxn(nil, txn))
}

// Sync returns once this member has applied every write the leader had
// committed when Sync was called (ZooKeeper's sync). It travels through the
// log as an empty marker, so it is ordered with writes and consumes no zxid.
// On a member cut off from a quorum it cannot complete and returns ctx's
// error.
func (n *Node) Sync(ctx context.Context) error {
	_, err := n.propose(ctx, nil).Wait(ctx)
	return err
}

// Pending is a proposed write.
type Pending struct {
	n       *Node
	applied <-chan *Applied
	errc    <-chan error
	cancel  func()
}

// Wait blocks until this member has applied the write, the write failed, or
// ctx ends. Call it once.
func (p *Pending) Wait(ctx context.Context) (*Applied, error) {
	errc := p.errc
	for {
		select {
		case a := <-p.applied:
			return a, nil
		case err := <-errc:
			if err != nil {
				p.cancel()
				return nil, err
			}
			errc = nil // committed; wait for our own FSM to apply it
		case <-ctx.Done():
			p.cancel()
			return nil, ctx.Err()
		case <-p.n.stop:
			p.cancel()
			return nil, ErrClosed
		}
	}
}

func (n *Node) propose(ctx context.Context, txn []byte) *Pending {
	reqID := n.nextReq.Add(1)
	applied, cancel := n.fsm.await(reqID)
	p := proposal{origin: n.cfg.ID, reqID: reqID, txn: txn}
	return &Pending{n: n, applied: applied, errc: n.submit(ctx, p), cancel: cancel}
}

// submit hands p to the leader: directly if this member leads, over the
// peer port otherwise. The first attempt is made before submit returns, so
// proposals keep their order. Definite refusals (no leader, not the leader)
// are retried until ctx ends, since nothing was proposed.
func (n *Node) submit(ctx context.Context, p proposal) <-chan error {
	first := n.submitOnce(p)
	out := make(chan error, 1)
	ok := n.spawn(func() {
		backoff := 5 * time.Millisecond
		res := first
		for {
			var err error
			select {
			case err = <-res:
			case <-ctx.Done():
				out <- ctx.Err()
				return
			case <-n.stop:
				out <- ErrClosed
				return
			}
			if !refused(err) {
				out <- err
				return
			}
			select {
			case <-time.After(backoff):
				backoff = min(2*backoff, 100*time.Millisecond)
			case <-ctx.Done():
				out <- err
				return
			case <-n.stop:
				out <- ErrClosed
				return
			}
			res = n.submitOnce(p)
		}
	})
	if !ok {
		out <- ErrClosed
	}
	return out
}

// submitOnce enqueues p with the leader and returns a channel for the
// commit outcome.
func (n *Node) submitOnce(p proposal) <-chan error {
	addr, lid := n.raft.LeaderWithID()
	if lid == "" {
		return errNow(ErrNoLeader)
	}
	if lid == n.id {
		return n.proposeLocal(p)
	}
	leader := MemberID(lid)
	if err := n.deliver(leader); err != nil {
		return errNow(fmt.Errorf("%w: %v", ErrLeaderUnreachable, err))
	}
	reply := make(chan error, 1)
	if err := n.peer(string(addr)).send(msgPropose, encodeProposal(p), reply); err != nil {
		return errNow(fmt.Errorf("%w: %v", ErrUnknownOutcome, err))
	}
	out := make(chan error, 1)
	go func() {
		err := <-reply
		switch {
		case errors.Is(err, errPeerDown):
			err = fmt.Errorf("%w: %v", ErrUnknownOutcome, err)
		case err == nil:
			// The answer crossed the network too: a one-way cut loses it.
			if derr := n.deliverFrom(leader); derr != nil {
				err = fmt.Errorf("%w: %v", ErrUnknownOutcome, derr)
			}
		}
		out <- err
	}()
	return out
}

// refused reports errors that say a proposal was never handed to raft.
func refused(err error) bool {
	return errors.Is(err, ErrNotLeader) || errors.Is(err, ErrNoLeader) || errors.Is(err, ErrLeaderUnreachable)
}

func errNow(err error) <-chan error {
	c := make(chan error, 1)
	c <- err
	return c
}

func (n *Node) deliver(to uint64) error {
	if n.cfg.Net == nil {
		return nil
	}
	return n.cfg.Net.Deliver(n.cfg.ID, to)
}

func (n *Node) deliverFrom(from uint64) error {
	if n.cfg.Net == nil {
		return nil
	}
	return n.cfg.Net.Deliver(from, n.cfg.ID)
}

func (n *Node) peer(addr string) *peerClient {
	n.peerMu.Lock()
	defer n.peerMu.Unlock()
	c, ok := n.peers[addr]
	if !ok {
		c = newPeerClient(addr)
		n.peers[addr] = c
	}
	return c
}

// proposeLocal queues p on this member's batcher if it leads. The channel
// gets the commit outcome.
func (n *Node) proposeLocal(p proposal) <-chan error {
	errc := make(chan error, 1)
	if n.raft.State() != raft.Leader {
		errc <- ErrNotLeader
		return errc
	}
	if sid := tree.TxnSession(p.txn); sid != 0 && n.owners.elsewhere(sid, p.origin) {
		return n.refuseMoved(p, sid)
	}
	select {
	case n.props <- pendingProp{p, errc}:
	case <-n.stop:
		errc <- ErrClosed
	}
	return errc
}

// batch packs waiting proposals into raft entries (group commit) and
// reports each entry's commit outcome to its proposals.
func (n *Node) batch() {
	defer n.wg.Done()
	for {
		var first pendingProp
		select {
		case first = <-n.props:
		case <-n.stop:
			n.failPending()
			return
		}
		group := []pendingProp{first}
	drain:
		for len(group) < maxEntryTxns {
			select {
			case p := <-n.props:
				group = append(group, p)
			default:
				break drain
			}
		}
		props := make([]proposal, len(group))
		for i, g := range group {
			props[i] = g.p
		}
		n.inflight.Add(1)
		f := n.raft.Apply(appendEntry(nil, time.Now().UnixMilli(), props), 10*time.Second)
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			err := raftError(n.await(f))
			last := n.inflight.Add(-1) == 0
			for _, g := range group {
				g.errc <- err
			}
			if err == nil && last && len(n.props) == 0 {
				n.nudge()
			}
		}()
	}
}

// spawn runs fn on a goroutine Close waits for, unless the member is
// stopping (then it reports false and fn does not run). Goroutines the
// member already counts may use wg directly.
func (n *Node) spawn(fn func()) bool {
	n.spawnMu.Lock()
	defer n.spawnMu.Unlock()
	select {
	case <-n.stop:
		return false
	default:
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		fn()
	}()
	return true
}

// await is f.Error(), given up when the member stops: hashicorp/raft never
// answers an Apply still queued for its leader loop when it shuts down, and
// Close waits for these goroutines. The abandoned wait's own goroutine ends
// if raft ever answers; the writes' clients are gone with the member.
func (n *Node) await(f raft.Future) error {
	done := make(chan error, 1)
	go func() { done <- f.Error() }()
	select {
	case err := <-done:
		return err
	case <-n.stop:
		select {
		case err := <-done:
			return err // answered as the member stopped: the answer counts
		default:
			return ErrClosed
		}
	}
}

// nudge tells followers the new commit index now. hashicorp/raft sends a
// follower the leader's commit index only with the next append, and an idle
// leader waits CommitTimeout (50-100 ms here) for that; a follower answering its
// client after its own apply (read-your-writes) would wait as long. An
// empty entry goes out at once and carries the commit index with it. While
// another batch is in flight or waiting, its append does the same job, so
// only the last batch of a burst is followed by a nudge (each costs an
// fsync on every member).
func (n *Node) nudge() {
	_ = n.raft.Apply(appendEntry(nil, time.Now().UnixMilli(), nil), time.Second)
}

func (n *Node) failPending() {
	for {
		select {
		case p := <-n.props:
			p.errc <- ErrClosed
		default:
			return
		}
	}
}

func raftError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, raft.ErrNotLeader):
		return ErrNotLeader
	case errors.Is(err, raft.ErrLeadershipLost), errors.Is(err, raft.ErrLeadershipTransferInProgress):
		return fmt.Errorf("%w: %v", ErrUnknownOutcome, err)
	case errors.Is(err, raft.ErrRaftShutdown):
		return ErrClosed
	}
	return err
}

func (n *Node) acceptPeers() {
	defer n.wg.Done()
	for {
		c, err := n.mux.accept(n.mux.peer)
		if err != nil {
			return
		}
		n.peerMu.Lock()
		select {
		case <-n.stop:
			n.peerMu.Unlock()
			c.Close()
			return
		default:
		}
		n.inbound[c] = struct{}{}
		n.wg.Add(1)
		n.peerMu.Unlock()
		go n.servePeer(c)
	}
}

// CreateSession proposes a new session with the negotiated timeout. The
// session id carries this member's id in its top byte, as ZooKeeper's do,
// so ids made on different members never collide.
func (n *Node) CreateSession(ctx context.Context, requested time.Duration) (tree.Session, error) {
	timeout := n.cfg.Sessions.Negotiate(requested)
	id := n.nextSession.Add(1)
	pw := make([]byte, 16)
	_, _ = crand.Read(pw)
	txn := &tree.Txn{Op: tree.Op{Type: tree.OpCreateSession, SessionID: id, Timeout: int32(timeout / time.Millisecond), Password: pw}}
	a, err := n.propose(ctx, tree.AppendTxn(nil, txn)).Wait(ctx)
	if err != nil {
		return tree.Session{}, err
	}
	if a.Result.Err != tree.OK {
		return tree.Session{}, a.Result.Err
	}
	return tree.Session{ID: id, Timeout: int32(timeout / time.Millisecond), Password: pw}, nil
}

// CloseSession proposes closing session id, which deletes its ephemerals.
func (n *Node) CloseSession(ctx context.Context, id int64) (*Applied, error) {
	return n.Write(ctx, id, nil, tree.Op{Type: tree.OpCloseSession, SessionID: id})
}

// Touch records that session id was heard from on this member (a request or
// a ping). The leader alone decides expiry; followers pass touches on.
func (n *Node) Touch(id int64) { n.sessions.touch(id) }

// Close stops the member. It does nothing a crash would not also do: raft
// and the stores are shut down, nothing is flushed or handed over, so
// Crash and Close are the same and both leave the data dir restartable.
func (n *Node) Close() error {
	n.stopOnce.Do(func() {
		n.spawnMu.Lock()
		close(n.stop)
		n.spawnMu.Unlock()
		// The transport first: an RPC waiting on a held link would keep
		// raft's shutdown waiting forever.
		if c, ok := n.trans.(raft.WithClose); ok {
			_ = c.Close()
		}
		_ = n.raft.Shutdown().Error()
		n.mux.Close()
		n.peerMu.Lock()
		for _, c := range n.peers {
			c.Close()
		}
		for c := range n.inbound {
			c.Close()
		}
		n.peerMu.Unlock()
		n.wg.Wait()
		n.store.Close()
	})
	return nil
}
