package faultnet

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
)

// Raft timing for the tests: patient enough that `go test -race` on two busy
// cores sees no spurious election (followers wait 200-400 ms without a
// heartbeat, and raft sends one every ~20 ms), quick enough that an election
// after a fault takes a second or two.
const (
	testHeartbeat = 200 * time.Millisecond
	testElection  = time.Second
	patience      = 15 * time.Second // how long a test waits for raft to get somewhere
)

// countFSM counts applied commands; the real FSM comes with cluster/.
type countFSM struct {
	mu sync.Mutex
	n  int
}

func (f *countFSM) Apply(*raft.Log) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	return f.n
}

func (f *countFSM) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *countFSM) Snapshot() (raft.FSMSnapshot, error) { return countSnapshot(f.count()), nil }

func (f *countFSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n = n
	return nil
}

type countSnapshot int

func (s countSnapshot) Persist(sink raft.SnapshotSink) error {
	if _, err := sink.Write([]byte(strconv.Itoa(int(s)))); err != nil {
		sink.Cancel()
		return err
	}
	return sink.Close()
}

func (countSnapshot) Release() {}

type node struct {
	id   string
	tr   *Transport
	raft *raft.Raft
	fsm  *countFSM
}

func (n *node) isLeader() bool { return n.raft.State() == raft.Leader }

func (n *node) leaderID() string {
	_, id := n.raft.LeaderWithID()
	return string(id)
}

// cluster is three (or n) raft members over faultnet transports on loopback.
type cluster struct {
	t     *testing.T
	bus   *event.Bus
	links *Links
	rec   *recorder
	nodes []*node
}

func newCluster(t *testing.T, n int, tune func(*raft.Config)) *cluster {
	t.Helper()
	bus := event.NewBus(256)
	c := &cluster{t: t, bus: bus, links: NewLinks(bus, 42), rec: record(t, bus)}
	var servers []raft.Server
	for i := range n {
		id := fmt.Sprintf("n%d", i+1)
		tr, err := Listen(c.links, Config{ID: id, Bind: "127.0.0.1:0", Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		c.nodes = append(c.nodes, &node{id: id, tr: tr, fsm: &countFSM{}})
		servers = append(servers, raft.Server{ID: raft.ServerID(id), Address: tr.LocalAddr()})
	}
	t.Cleanup(c.shutdown)
	for _, nd := range c.nodes {
		conf := raft.DefaultConfig()
		conf.LocalID = raft.ServerID(nd.id)
		conf.HeartbeatTimeout = testHeartbeat
		conf.ElectionTimeout = testElection
		conf.LeaderLeaseTimeout = testHeartbeat
		conf.CommitTimeout = 50 * time.Millisecond
		conf.Logger = NewLogger(bus, nd.id, LoggerOptions{})
		if tune != nil {
			tune(conf)
		}
		store, snaps := raft.NewInmemStore(), raft.NewInmemSnapshotStore()
		if err := raft.BootstrapCluster(conf, store, store, snaps, nd.tr, raft.Configuration{Servers: servers}); err != nil {
			t.Fatal(err)
		}
		r, err := raft.NewRaft(conf, nd.fsm, store, store, snaps, nd.tr)
		if err != nil {
			t.Fatal(err)
		}
		nd.raft = r
	}
	return c
}

// shutdown closes each transport before shutting raft down, as a crash
// would: raft waits for its replication goroutines, and one may be waiting
// on a held link.
func (c *cluster) shutdown() {
	for _, nd := range c.nodes {
		nd.tr.Close()
		if nd.raft == nil {
			continue
		}
		done := make(chan struct{})
		go func() { nd.raft.Shutdown().Error(); close(done) }()
		select {
		case <-done:
		case <-time.After(patience):
			c.t.Errorf("%s: raft shutdown hung", nd.id)
		}
	}
}

// waitLeader waits until one of among leads and every one of among agrees,
// and returns it.
func (c *cluster) waitLeader(among ...*node) *node {
	c.t.Helper()
	if len(among) == 0 {
		among = c.nodes
	}
	var leader *node
	waitFor(c.t, patience, "a leader all agree on", func() bool {
		leader = nil
		for _, nd := range among {
			if nd.isLeader() {
				leader = nd
			}
		}
		if leader == nil {
			return false
		}
		for _, nd := range among {
			if nd.leaderID() != leader.id {
				return false
			}
		}
		return true
	})
	return leader
}

// others returns the members other than the given ones.
func (c *cluster) others(not ...*node) []*node {
	var out []*node
outer:
	for _, nd := range c.nodes {
		for _, x := range not {
			if x == nd {
				continue outer
			}
		}
		out = append(out, nd)
	}
	return out
}

func (c *cluster) apply(nd *node, n int) {
	c.t.Helper()
	for range n {
		if err := nd.raft.Apply([]byte("+1"), patience).Error(); err != nil {
			c.t.Fatalf("apply on %s: %v", nd.id, err)
		}
	}
}

func (c *cluster) waitCount(want int, nodes ...*node) {
	c.t.Helper()
	for _, nd := range nodes {
		waitFor(c.t, patience, fmt.Sprintf("%s to apply %d commands", nd.id, want), func() bool {
			return nd.fsm.count() == want
		})
	}
}
