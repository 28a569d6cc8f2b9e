package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/recipes/worker"
	"coordtui/tree"
)

// EmbeddedConfig configures an ensemble the console runs in this process.
type EmbeddedConfig struct {
	Members     int    // 1..7; 0 means 3
	Dir         string // "" for a temporary dir removed by Close
	ClientPorts []int  // fixed client ports, e.g. 2181..; default free ports
	Timing      cluster.Timing
	TickTime    time.Duration // ZooKeeper's tickTime; default 500 ms
	LogOutput   io.Writer     // raft's own log lines; never the terminal
	// WorkerTimeout is the session timeout workers ask for; default 4 s.
	WorkerTimeout time.Duration
}

// Embedded is the Source (and Control) for an ensemble running in this
// process: it reads members through their public snapshots, events
// through a bus subscription, and the tree through Node.View.
type Embedded struct {
	local
	bus  *event.Bus
	sub  *event.Subscription
	pool *worker.Pool
}

// StartEmbedded starts the ensemble. It returns once every member runs,
// without waiting for a leader: the console shows the first election.
func StartEmbedded(cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.Members == 0 {
		cfg.Members = 3
	}
	if cfg.Timing.Heartbeat == 0 {
		// The embedded profile with the longest lease raft allows (the
		// heartbeat timeout): the lease cannot be stretched live, so it
		// bounds the link delays slow motion can stretch without costing
		// the leader its leadership.
		cfg.Timing = cluster.EmbeddedTiming
		cfg.Timing.LeaderLease = cfg.Timing.Heartbeat
	}
	if cfg.TickTime == 0 {
		cfg.TickTime = 500 * time.Millisecond
	}
	bus := event.NewBus(4096)
	// Subscribe before anything starts, so the first election is seen.
	sub := bus.Subscribe(16384)
	ens, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: cfg.Members, Dir: cfg.Dir, Timing: cfg.Timing,
		Sessions: cluster.SessionConfig{TickTime: cfg.TickTime}, Links: faultnet.NewLinks(bus, 1), Events: bus, LogOutput: cfg.LogOutput,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}}, ClientPorts: cfg.ClientPorts})
	if err != nil {
		sub.Close()
		return nil, err
	}
	e := &Embedded{local: newLocal(ens, ens.SetSpeed, cfg.Timing), bus: bus, sub: sub}
	e.pool = worker.NewPool(worker.Config{ConnString: ens.ConnString(), SessionTimeout: cfg.WorkerTimeout})
	return e, nil
}

// Ensemble is the ensemble underneath, for tests and for callers that
// print its connection string.
func (e *Embedded) Ensemble() *cluster.Ensemble { return e.ens }

// Bus is the event bus the ensemble publishes to.
func (e *Embedded) Bus() *event.Bus { return e.bus }

// Mode implements Source.
func (e *Embedded) Mode() string { return "embedded" }

// ConnString implements Source.
func (e *Embedded) ConnString() string { return e.ens.ConnString() }

// Events implements Source.
func (e *Embedded) Events() <-chan event.Event { return e.sub.C() }

// Dropped implements Source.
func (e *Embedded) Dropped() uint64 { return e.sub.Dropped() }

// Workers implements Source.
func (e *Embedded) Workers() *worker.Pool { return e.pool }

// Control implements Source.
func (e *Embedded) Control() Control { return e }

// ReadOnly implements Source: the console owns this ensemble.
func (e *Embedded) ReadOnly() bool { return false }

// Net implements Control.
func (e *local) Net() Network { return e.net }

// LocalNet is the same Net as its concrete type, for callers in this
// process that read its step queue or fault table.
func (e *local) LocalNet() *Net { return e.net }

// Snapshot implements Source. It never fails: a member that is down is
// reported down.
func (e *Embedded) Snapshot(ctx context.Context) Snapshot {
	return e.snapshot("embedded", e.pool.List())
}

// local reads and changes an ensemble running in this process, through
// its members' public snapshots and Node.View, and its network through a
// Net. Embedded shows one for its whole life; Scripted shows whichever
// ensemble a script built last.
type local struct {
	ens *cluster.Ensemble
	net *Net
}

// newLocal puts a Net over ens's fault table; setSpeed stretches raft's
// timeouts (and, for a script, its deadlines).
func newLocal(ens *cluster.Ensemble, setSpeed func(float64) error, t cluster.Timing) local {
	return local{ens: ens, net: NewNet(ens.Links(), setSpeed, t.Election, t.LeaderLease)}
}

// snapshot copies the ensemble's state now, under the mode given, with
// workers' client-side states. It never fails: a member that is down is
// reported down.
func (e *local) snapshot(mode string, workers []worker.Info) Snapshot {
	e.net.Sync()
	s := Snapshot{Taken: time.Now(), Mode: mode, ConnString: e.ens.ConnString(), HasMatrix: true,
		Matrix: e.net.Links().Matrix(), Speed: e.net.Speed(), Step: e.net.Step(), StepNote: e.net.StepNote(), NetNote: e.net.Note(),
		Workers: workers}
	var leader *cluster.Node
	for _, id := range e.ens.IDs() {
		m := Member{ID: id, Name: fmt.Sprintf("n%d", id), ClientAddr: e.ens.ClientAddr(id), Role: "down"}
		n := e.ens.Node(id)
		if n == nil {
			s.Members = append(s.Members, m)
			continue
		}
		st := n.Status()
		m.Up, m.HasRaft, m.Addr, m.Role = true, true, st.Addr, st.Role
		m.Term, m.Leader, m.LastIndex, m.CommitIndex, m.AppliedIndex = st.Term, st.Leader, st.LastIndex, st.CommitIndex, st.AppliedIndex
		m.LastContact, m.Serving, m.LastZxid, m.Znodes, m.Sessions, m.Connections = st.LastContact, st.Serving, st.LastZxid, st.Znodes, st.Sessions, st.Connections
		c := n.Counters()
		m.Requests, m.Notifications = c.TotalRequests(), c.Notifications()
		for _, op := range []tree.OpType{tree.OpExists, tree.OpGetData, tree.OpGetChildren, tree.OpGetChildren2} {
			m.Reads += c.Requests(op)
		}
		if srv := e.ens.Server(id); srv != nil {
			m.Watches = srv.WatchCount()
		}
		if st.Role == "leader" {
			leader = n
		}
		s.Members = append(s.Members, m)
	}
	s.Matrix = only(s.Matrix, s.Members)
	if s.Step {
		q := e.net.Queue()
		s.Held, s.Queue = len(q), q[:min(len(q), 16)]
	}
	if leader == nil {
		if ns := e.ens.Nodes(); len(ns) > 0 {
			leader = ns[0]
		}
	}
	if leader != nil {
		where, watches := e.sessionPlaces()
		for _, si := range leader.Sessions() {
			s.Sessions = append(s.Sessions, Session{ID: si.ID, Timeout: si.Timeout, Ephemerals: si.Ephemerals,
				LastHeard: si.LastHeard, Expires: si.Expires, Member: where[si.ID], Watches: watches[si.ID]})
		}
	}
	return s
}

// only keeps the links between members still in the ensemble: the fault
// table remembers removed members.
func only(m faultnet.Matrix, members []Member) faultnet.Matrix {
	in := map[string]bool{}
	for _, mem := range members {
		in[mem.Name] = true
	}
	out := faultnet.Matrix{}
	for _, name := range m.Members {
		if in[name] {
			out.Members = append(out.Members, name)
		}
	}
	for _, l := range m.Links {
		if in[l.From] && in[l.To] {
			out.Links = append(out.Links, l)
		}
	}
	return out
}

// node picks the member to read the tree from: id if it runs, else the
// leader, else any running member.
func (e *local) node(id uint64) (*cluster.Node, error) {
	if id != 0 {
		if n := e.ens.Node(id); n != nil {
			return n, nil
		}
	}
	if n := e.ens.Leader(); n != nil {
		return n, nil
	}
	if ns := e.ens.Nodes(); len(ns) > 0 {
		return ns[0], nil
	}
	return nil, errors.New("every member is down")
}

// Crash implements Control.
func (e *local) Crash(id uint64) error { return e.ens.Crash(id) }

// Restart implements Control.
func (e *local) Restart(id uint64) error {
	if err := e.ens.Restart(id); err != nil {
		return err
	}
	e.net.Sync()
	return nil
}

// Add implements Control.
func (e *local) Add(ctx context.Context, observer bool) (uint64, error) {
	id, err := e.ens.Add(ctx, observer)
	e.net.Sync()
	return id, err
}

// Remove implements Control.
func (e *local) Remove(ctx context.Context, id uint64) error { return e.ens.Remove(ctx, id) }

// TransferLeadership implements Control.
func (e *local) TransferLeadership(ctx context.Context, to uint64) error {
	return e.ens.TransferLeadership(ctx, to)
}

// Close implements Source: workers first (their sessions close cleanly),
// then step mode, then the ensemble.
func (e *Embedded) Close() error {
	e.pool.Close()
	e.net.Close()
	// Held links would keep a stopping member waiting: lift everything.
	e.net.Links().HealAll()
	err := e.ens.Close()
	e.sub.Close()
	return err
}
