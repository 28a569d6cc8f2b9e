package cluster

import (
	"math"
	"sync/atomic"
	"time"

	"coordtui/tree"
)

// The statistics a member keeps about its client port, as ZooKeeper's
// ServerStats and ServerCnxn keep them: packets, request latencies, the
// last operation of each connection. Every update is a handful of atomic
// operations on the goroutine that already handles the request; nothing
// here takes a lock shared between connections, and nothing changes how a
// request is handled.

// processStart is the origin of elapsedMs, ZooKeeper's
// Time.currentElapsedTime: a monotonic millisecond clock from an arbitrary
// origin, shared by every member of the process so that the values it
// stamps (a connection's lresp, dump's expiry buckets) compare.
var processStart = time.Now()

// elapsedMs converts t to milliseconds on the elapsed clock.
func elapsedMs(t time.Time) int64 { return t.Sub(processStart).Milliseconds() }

// ElapsedMillis converts t to ZooKeeper's elapsed clock, the one cons's
// lresp and the admin API's dump and connection times are read on:
// milliseconds from an origin fixed when the process started. Values from
// different processes do not compare.
func ElapsedMillis(t time.Time) int64 { return elapsedMs(t) }

// latencies accumulates request latencies lock-free. As in ZooKeeper, a
// reset racing an update may lose or keep that one update.
type latencies struct {
	min, max, sum, count atomic.Int64 // nanoseconds; min is MaxInt64 when empty
}

func (l *latencies) reset() {
	l.min.Store(math.MaxInt64)
	l.max.Store(0)
	l.sum.Store(0)
	l.count.Store(0)
}

func (l *latencies) add(d time.Duration) {
	ns := int64(d)
	l.count.Add(1)
	l.sum.Add(ns)
	for cur := l.min.Load(); ns < cur && !l.min.CompareAndSwap(cur, ns); cur = l.min.Load() {
	}
	for cur := l.max.Load(); ns > cur && !l.max.CompareAndSwap(cur, ns); cur = l.max.Load() {
	}
}

func (l *latencies) snapshot() LatencyStats {
	s := LatencyStats{Count: l.count.Load(), Sum: time.Duration(l.sum.Load()), Max: time.Duration(l.max.Load())}
	if m := l.min.Load(); m != math.MaxInt64 {
		s.Min = time.Duration(m)
	}
	return s
}

// sizes tracks the last, smallest and largest of a stream of byte counts,
// ZooKeeper's BufferStats; -1 means none yet.
type sizes struct {
	last, min, max atomic.Int64
}

func (b *sizes) reset() {
	b.last.Store(-1)
	b.min.Store(-1)
	b.max.Store(-1)
}

func (b *sizes) add(n int) {
	v := int64(n)
	b.last.Store(v)
	for cur := b.min.Load(); (cur < 0 || v < cur) && !b.min.CompareAndSwap(cur, v); cur = b.min.Load() {
	}
	for cur := b.max.Load(); v > cur && !b.max.CompareAndSwap(cur, v); cur = b.max.Load() {
	}
}

func (b *sizes) snapshot() SizeStats {
	return SizeStats{Last: b.last.Load(), Min: b.min.Load(), Max: b.max.Load()}
}

// serverStats are a member's client-port statistics.
type serverStats struct {
	started     time.Time
	received    atomic.Uint64 // packets read, four-letter words included
	sent        atomic.Uint64 // packets written, notifications included
	outstanding atomic.Int64  // requests read and not yet answered
	all         latencies     // every request (srvr's Latency line)
	read        latencies     // requests without a transaction (zk_readlatency)
	update      latencies     // requests that went through the log (zk_updatelatency)
	response    sizes         // reply sizes, length prefix excluded
	proposal    sizes         // encoded transactions, counted on the leader
	syncs       atomic.Int64  // sync requests waiting here
	leaderSince atomic.Int64  // unix nanoseconds since this member leads; 0 when it does not
	traceMask   atomic.Int64  // stmk's mask; stored and reported, nothing traces

	scratch []byte // proposal encoding; used only on the FSM goroutine
}

func (s *serverStats) init() {
	s.started = time.Now()
	s.all.reset()
	s.read.reset()
	s.update.reset()
	s.response.reset()
	s.proposal.reset()
}

// resetServer is srst: ZooKeeper's ServerStats.reset clears the packet
// counters, the request latency and the response sizes, and nothing else.
func (s *serverStats) resetServer() {
	s.received.Store(0)
	s.sent.Store(0)
	s.all.reset()
	s.response.reset()
}

// isUpdate reports whether op carries a transaction, which is what
// ZooKeeper's ServerStats.updateLatency uses to tell update latency from
// read latency (pings and syncs count as reads).
func isUpdate(op int32) bool {
	switch op {
	case opCreateSession, 1, 2, 5, 7, 14, 15, 16, 19, 20, 21, -11:
		// createSession, create, delete, setData, setACL, multi,
		// create2, reconfig, createContainer, deleteContainer,
		// createTTL, closeSession
		return true
	}
	return false
}

// opCreateSession stands for the ConnectRequest that made a new session,
// which ZooKeeper counts as a request (lop=SESS).
const opCreateSession = -10

// Ops that bypass ZooKeeper's request pipeline (auth and sasl are answered
// by ZooKeeperServer.processPacket) leave latency and the last operation
// alone.
func bypassesStats(op int32) bool { return op == 100 || op == 102 }

// lastOpNames are ZooKeeper's abbreviations for the last operation of a
// connection (FinalRequestProcessor's lastOp), by opcode.
var lastOpNames = map[int32]string{
	11: "PING", opCreateSession: "SESS", 14: "MULT", 22: "MLTR",
	1: "CREA", 15: "CREA", 19: "CREA", 21: "CREA", 2: "DELE", 20: "DELE",
	5: "SETD", 16: "RECO", 7: "SETA", -11: "CLOS", 9: "SYNC", 13: "CHEC",
	3: "EXIS", 4: "GETD", 101: "SETW", 105: "STW2", 106: "ADDW", 6: "GETA",
	8: "GETC", 12: "GETC", 104: "GETACN", 17: "CHKW", 18: "REMW",
	103: "GETE", 107: "HOMI",
}

// noOp marks a connection that has answered nothing since it opened or was
// reset: ZooKeeper shows it as lop=NA.
const noOp = math.MinInt32

func lastOpName(op int32) string {
	if name, ok := lastOpNames[op]; ok {
		return name
	}
	return "NA"
}

// recordProposal counts the size of every transaction this member applies
// while it leads: the leader proposed them all, and ZooKeeper's "Proposal
// sizes" are those of the proposals its leader sent. It runs on the FSM
// goroutine, which owns the scratch buffer.
func (s *Server) recordProposal(a *Applied) {
	if !s.n.IsLeader() {
		return
	}
	s.stats.scratch = tree.AppendTxn(s.stats.scratch[:0], a.Txn)
	s.stats.proposal.add(len(s.stats.scratch))
}

// trackLeadership notes when this member became leader, for
// zk_leader_uptime. The server's monitor calls it every tick.
func (s *Server) trackLeadership() {
	leads := s.n.IsLeader()
	since := s.stats.leaderSince.Load()
	switch {
	case leads && since == 0:
		s.stats.leaderSince.Store(time.Now().UnixNano())
	case !leads && since != 0:
		s.stats.leaderSince.Store(0)
	}
}
