package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/tree"
)

// EnsembleConfig configures an in-process ensemble.
type EnsembleConfig struct {
	Members  int    // 1..7; 4 and 6 are allowed, to show why they are wasteful
	Dir      string // "" makes a temporary dir that Close removes
	Timing   Timing // default EmbeddedTiming
	Sessions SessionConfig
	// Links is the fault table every member's raft traffic passes; nil
	// makes a fresh one (all links healthy) publishing to Events.
	Links     *faultnet.Links
	Events    *event.Bus
	LogOutput io.Writer
	// Client, if set, gives every member a ZooKeeper client port on
	// 127.0.0.1 (ClientPorts, or free ports) served with this config.
	Client      *ServerConfig
	ClientPorts []int
	// OnApply, if set, sees every transaction every member applies,
	// restarted members included (Node.AddApplyHook's contract: FSM
	// goroutine, tree write-locked, must not block).
	OnApply func(member uint64, t *tree.Tree, a *Applied)
}

// Ensemble runs several members in this process over real loopback
// sockets. Its methods are safe for concurrent use.
type Ensemble struct {
	cfg     EnsembleConfig
	dir     string
	tempDir bool

	conns *faultnet.Conns // client connections, for cutting and freezing

	mu      sync.Mutex
	members map[uint64]*member
	speed   float64 // timeouts are stretched by this factor (slow motion); 1 is normal
}

// Links is the fault table between members.
func (e *Ensemble) Links() *faultnet.Links { return e.cfg.Links }

// Conns holds every client connection, for cutting and freezing them.
func (e *Ensemble) Conns() *faultnet.Conns { return e.conns }

type member struct {
	id         uint64
	addr       string
	clientAddr string
	dir        string
	nonVoter   bool
	node       *Node   // nil while down
	server     *Server // nil while down or without a client port
}

// NewEnsemble starts cfg.Members members and bootstraps them as one raft
// configuration. It returns once every member is running, not once a leader
// is elected (see WaitLeader).
func NewEnsemble(cfg EnsembleConfig) (*Ensemble, error) {
	if cfg.Members < 1 || cfg.Members > 7 {
		return nil, fmt.Errorf("cluster: %d members; an ensemble has 1 to 7", cfg.Members)
	}
	if cfg.Timing.Heartbeat == 0 {
		cfg.Timing = EmbeddedTiming
	}
	if cfg.Sessions.TickTime == 0 {
		cfg.Sessions.TickTime = 500 * time.Millisecond
	}
	if cfg.Links == nil {
		cfg.Links = faultnet.NewLinks(cfg.Events, 1)
	}
	e := &Ensemble{cfg: cfg, dir: cfg.Dir, members: make(map[uint64]*member), conns: faultnet.NewConns(cfg.Events)}
	if e.dir == "" {
		d, err := os.MkdirTemp("", "coordtui-")
		if err != nil {
			return nil, err
		}
		e.dir, e.tempDir = d, true
	}
	var peers []Peer
	var ls []net.Listener
	for id := uint64(1); id <= uint64(cfg.Members); id++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			for _, l := range ls {
				l.Close()
			}
			return nil, err
		}
		ls = append(ls, l)
		peers = append(peers, Peer{ID: id, Addr: l.Addr().String()})
	}
	for i, p := range peers {
		m := &member{id: p.ID, addr: p.Addr, dir: filepath.Join(e.dir, fmt.Sprintf("n%d", p.ID))}
		e.members[p.ID] = m
		if err := e.start(m, ls[i], peers, i); err != nil {
			for _, l := range ls[i+1:] {
				l.Close()
			}
			e.Close()
			return nil, err
		}
	}
	if cfg.Client != nil {
		// Clients are told who the members are before anyone can ask:
		// Curator rewrites its connection string from /zookeeper/config.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := e.publishConfig(ctx); err != nil {
			e.Close()
			return nil, fmt.Errorf("cluster: publishing /zookeeper/config: %w", err)
		}
	}
	return e, nil
}

// start runs member m's node on peer listener l and, if the ensemble has
// client ports, its server. slot picks a fixed client port, if any.
func (e *Ensemble) start(m *member, l net.Listener, peers []Peer, slot int) error {
	n, err := StartNode(e.nodeConfig(m, l, peers))
	if err != nil {
		return err
	}
	if hook := e.cfg.OnApply; hook != nil {
		id := m.id
		n.AddApplyHook(func(t *tree.Tree, a *Applied) { hook(id, t, a) })
	}
	m.node = n
	if e.cfg.Client == nil {
		return nil
	}
	addr := m.clientAddr
	if addr == "" {
		addr = "127.0.0.1:0"
		if slot >= 0 && slot < len(e.cfg.ClientPorts) {
			addr = fmt.Sprintf("127.0.0.1:%d", e.cfg.ClientPorts[slot])
		}
	}
	cl, err := net.Listen("tcp", addr)
	if err != nil {
		n.Close()
		m.node = nil
		return fmt.Errorf("cluster: n%d client port: %w", m.id, err)
	}
	m.clientAddr = cl.Addr().String()
	m.server = n.Serve(e.conns.WrapListener(cl, string(ServerID(m.id))), *e.cfg.Client)
	return nil
}

// stop closes member m's server and node.
func (m *member) stop() error {
	var errs []error
	if m.server != nil {
		errs = append(errs, m.server.Close())
		m.server = nil
	}
	if m.node != nil {
		errs = append(errs, m.node.Close())
		m.node = nil
	}
	return errors.Join(errs...)
}

// ConnString is the client connection string of every member, up or down,
// in id order ("127.0.0.1:2181,127.0.0.1:2182,...").
func (e *Ensemble) ConnString() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var parts []string
	for _, id := range sortedKeys(e.members) {
		if a := e.members[id].clientAddr; a != "" {
			parts = append(parts, a)
		}
	}
	return strings.Join(parts, ",")
}

// ClientAddr is member id's client address ("" without client ports).
func (e *Ensemble) ClientAddr(id uint64) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if m, ok := e.members[id]; ok {
		return m.clientAddr
	}
	return ""
}

// Server returns member id's client server, or nil.
func (e *Ensemble) Server(id uint64) *Server {
	e.mu.Lock()
	defer e.mu.Unlock()
	if m, ok := e.members[id]; ok {
		return m.server
	}
	return nil
}

func (e *Ensemble) nodeConfig(m *member, l net.Listener, peers []Peer) Config {
	return Config{ID: m.id, Dir: m.dir, Listener: l, Addr: m.addr, Peers: peers, Bootstrap: peers != nil,
		Timing: e.cfg.Timing.Scaled(e.speedLocked()), Sessions: e.cfg.Sessions, Net: FaultNetwork(e.cfg.Links), Events: e.cfg.Events,
		LogOutput: e.cfg.LogOutput}
}

func (e *Ensemble) speedLocked() float64 {
	if e.speed < 1 {
		return 1
	}
	return e.speed
}

// SetSpeed stretches every member's raft timeouts by factor (>= 1), live,
// so a class can watch an election message by message; 1 restores normal
// speed. Members restarted later get the same factor. Link delays are the
// caller's to stretch (faultnet.Links).
func (e *Ensemble) SetSpeed(factor float64) error {
	if factor < 1 {
		return fmt.Errorf("cluster: speed factor %g; slow motion stretches, it cannot be below 1", factor)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.speed = factor
	t := e.cfg.Timing.Scaled(factor)
	var errs []error
	for _, id := range sortedKeys(e.members) {
		if n := e.members[id].node; n != nil {
			errs = append(errs, n.raft.ReloadConfig(raft.ReloadableConfig{
				TrailingLogs: t.TrailingLogs, SnapshotInterval: t.SnapshotInterval,
				SnapshotThreshold: t.SnapshotThreshold, HeartbeatTimeout: t.Heartbeat, ElectionTimeout: t.Election}))
		}
	}
	return errors.Join(errs...)
}

// Speed is the current slow-motion factor (1: normal).
func (e *Ensemble) Speed() float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.speedLocked()
}

// publishConfig writes every member, with its client address, to
// /zookeeper/config through the leader.
func (e *Ensemble) publishConfig(ctx context.Context) error {
	if e.cfg.Client == nil {
		return nil
	}
	for {
		leader, err := e.WaitLeader(ctx)
		if err != nil {
			return err
		}
		e.mu.Lock()
		var ms []MemberConfig
		for _, id := range sortedKeys(e.members) {
			m := e.members[id]
			ms = append(ms, MemberConfig{ID: id, PeerAddr: m.addr, Observer: m.nonVoter, ClientAddr: m.clientAddr})
		}
		e.mu.Unlock()
		err = leader.PublishConfig(ctx, ms)
		if err == nil || ctx.Err() != nil {
			return err
		}
	}
}

// Dir is where the members keep their data.
func (e *Ensemble) Dir() string { return e.dir }

// IDs lists every member, up or down, in id order.
func (e *Ensemble) IDs() []uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return sortedKeys(e.members)
}

// Node returns member id, or nil if it is down or unknown.
func (e *Ensemble) Node(id uint64) *Node {
	e.mu.Lock()
	defer e.mu.Unlock()
	if m, ok := e.members[id]; ok {
		return m.node
	}
	return nil
}

// Nodes returns the running members in id order.
func (e *Ensemble) Nodes() []*Node {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []*Node
	for _, id := range sortedKeys(e.members) {
		if n := e.members[id].node; n != nil {
			out = append(out, n)
		}
	}
	return out
}

// Leader returns the running member that is leader now, or nil.
func (e *Ensemble) Leader() *Node {
	for _, n := range e.Nodes() {
		if n.IsLeader() {
			return n
		}
	}
	return nil
}

// WaitLeader waits until some running member leads and every running member
// that can hear it agrees, or ctx ends.
func (e *Ensemble) WaitLeader(ctx context.Context) (*Node, error) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if l := e.Leader(); l != nil {
			return l, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("cluster: no leader: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// Crash stops member id as kill -9 would: no hand-over, nothing flushed
// beyond what raft already made durable.
func (e *Ensemble) Crash(id uint64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.members[id]
	if !ok {
		return fmt.Errorf("cluster: no member n%d", id)
	}
	if m.node == nil {
		return fmt.Errorf("cluster: n%d is already down", id)
	}
	err := m.stop()
	e.lifecycle(id, event.MemberCrashed)
	return err
}

// Restart starts a crashed member again from its data dir; it catches up
// from the leader's log or a snapshot.
func (e *Ensemble) Restart(id uint64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.members[id]
	if !ok {
		return fmt.Errorf("cluster: no member n%d", id)
	}
	if m.node != nil {
		return fmt.Errorf("cluster: n%d is running", id)
	}
	l, err := net.Listen("tcp", m.addr)
	if err != nil {
		return fmt.Errorf("cluster: n%d's port: %w", id, err)
	}
	if err := e.start(m, l, nil, -1); err != nil {
		return err
	}
	e.lifecycle(id, event.MemberRestarted)
	return nil
}

func (e *Ensemble) lifecycle(id uint64, c event.LifecycleChange) {
	if e.cfg.Events != nil {
		e.cfg.Events.Publish(event.Event{Kind: event.KindMember, Member: string(ServerID(id)), Lifecycle: event.Lifecycle{Change: c}})
	}
}

// Add starts a new member and adds it to the configuration through the
// leader, as a voter or (nonVoter) an observer.
func (e *Ensemble) Add(ctx context.Context, nonVoter bool) (uint64, error) {
	leader, err := e.WaitLeader(ctx)
	if err != nil {
		return 0, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	e.mu.Lock()
	id := uint64(1)
	for e.members[id] != nil {
		id++
	}
	if id > 255 {
		e.mu.Unlock()
		l.Close()
		return 0, errors.New("cluster: no member ids left")
	}
	m := &member{id: id, addr: l.Addr().String(), dir: filepath.Join(e.dir, fmt.Sprintf("n%d", id)), nonVoter: nonVoter}
	err = e.start(m, l, nil, -1)
	if err == nil {
		e.members[id] = m
	}
	e.mu.Unlock()
	if err != nil {
		return 0, err
	}
	var f raft.IndexFuture
	if nonVoter {
		f = leader.raft.AddNonvoter(ServerID(id), raft.ServerAddress(m.addr), 0, timeoutOf(ctx))
	} else {
		f = leader.raft.AddVoter(ServerID(id), raft.ServerAddress(m.addr), 0, timeoutOf(ctx))
	}
	if err := raftError(f.Error()); err != nil {
		return id, fmt.Errorf("cluster: adding n%d: %w", id, err)
	}
	e.lifecycle(id, event.MemberAdded)
	return id, e.publishConfig(ctx)
}

// Remove takes member id out of the configuration and stops it.
func (e *Ensemble) Remove(ctx context.Context, id uint64) error {
	leader, err := e.WaitLeader(ctx)
	if err != nil {
		return err
	}
	if err := raftError(leader.raft.RemoveServer(ServerID(id), 0, timeoutOf(ctx)).Error()); err != nil {
		return fmt.Errorf("cluster: removing n%d: %w", id, err)
	}
	e.mu.Lock()
	m := e.members[id]
	delete(e.members, id)
	var err2 error
	if m != nil {
		err2 = m.stop()
	}
	e.mu.Unlock()
	e.lifecycle(id, event.MemberRemoved)
	return errors.Join(err2, e.publishConfig(ctx))
}

// TransferLeadership asks the leader to hand over to member to (0: any).
func (e *Ensemble) TransferLeadership(ctx context.Context, to uint64) error {
	leader, err := e.WaitLeader(ctx)
	if err != nil {
		return err
	}
	var f raft.Future
	if to == 0 {
		f = leader.raft.LeadershipTransfer()
	} else {
		e.mu.Lock()
		m, ok := e.members[to]
		e.mu.Unlock()
		if !ok {
			return fmt.Errorf("cluster: no member n%d", to)
		}
		f = leader.raft.LeadershipTransferToServer(ServerID(to), raft.ServerAddress(m.addr))
	}
	return raftError(f.Error())
}

// Close stops every member and removes a temporary data dir.
func (e *Ensemble) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for _, id := range slices.Backward(sortedKeys(e.members)) {
		errs = append(errs, e.members[id].stop())
	}
	if e.tempDir {
		errs = append(errs, os.RemoveAll(e.dir))
	}
	return errors.Join(errs...)
}

func timeoutOf(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return time.Until(d)
	}
	return 10 * time.Second
}
