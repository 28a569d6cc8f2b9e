package cluster

import (
	"bufio"
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster/zk"
)

// statsClient speaks the wire protocol one frame at a time, so a test knows
// exactly which packets crossed: no background pings.
type statsClient struct {
	t  *testing.T
	nc net.Conn
	r  *bufio.Reader
}

func dialStats(t *testing.T, addr string) *statsClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	return &statsClient{t: t, nc: nc, r: bufio.NewReader(nc)}
}

func (c *statsClient) send(recs ...zk.Record) {
	c.t.Helper()
	if _, err := c.nc.Write(frame(recs...)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *statsClient) recv() []byte {
	c.t.Helper()
	p, err := zk.ReadFrame(c.r, zk.DefaultMaxPacket)
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *statsClient) connect() int64 {
	c.t.Helper()
	c.send(&zk.ConnectRequest{TimeOut: 4000, Passwd: make([]byte, 16)})
	p := c.recv()
	return int64(binary.BigEndian.Uint64(p[8:16])) // protocolVersion, timeOut, sessionId
}

// call sends one request and returns its reply's zxid.
func (c *statsClient) call(xid int32, op zk.OpCode, body zk.Record) int64 {
	c.t.Helper()
	recs := []zk.Record{&zk.RequestHeader{Xid: xid, Type: op}}
	if body != nil {
		recs = append(recs, body)
	}
	c.send(recs...)
	p := c.recv()
	if got := int32(binary.BigEndian.Uint32(p[0:4])); got != xid {
		c.t.Fatalf("reply xid %d, want %d", got, xid)
	}
	return int64(binary.BigEndian.Uint64(p[4:12]))
}

func connOf(t *testing.T, s *Server, local net.Addr) ConnStats {
	t.Helper()
	for _, c := range s.Connections() {
		if c.Remote == local.String() {
			return c
		}
	}
	t.Fatalf("no connection from %s", local)
	return ConnStats{}
}

// TestConnectionStats follows one connection packet by packet: what cons
// and srvr count, what crst and srst reset.
func TestConnectionStats(t *testing.T) {
	e := testEnsemble(t, 1, withClients)
	s := e.Server(1)
	c := dialStats(t, e.ClientAddr(1))
	session := c.connect()

	cs := connOf(t, s, c.nc.LocalAddr())
	if cs.Session != session || cs.Timeout != 4*time.Second || cs.Received != 1 || cs.Sent != 1 ||
		cs.LastOp != "SESS" || cs.LastCxid != 0 || cs.Latency.Count != 1 || cs.FourLetter {
		t.Fatalf("after connecting: %+v", cs)
	}
	zxid := c.call(1, zk.OpGetData, &zk.PathWatchRequest{Path: "/zookeeper/config"})
	cs = connOf(t, s, c.nc.LocalAddr())
	if cs.Received != 2 || cs.Sent != 2 || cs.LastOp != "GETD" || cs.LastCxid != 1 || cs.LastZxid != zxid || cs.Outstanding != 0 {
		t.Fatalf("after getData: %+v (reply zxid %#x)", cs, zxid)
	}
	// A ping is an operation but not the client's last real one.
	c.call(-2, zk.OpPing, nil)
	// auth bypasses ZooKeeper's request pipeline: counted as a packet only.
	c.call(-4, zk.OpAuth, &zk.AuthPacket{Scheme: "digest", Auth: []byte("u:p")})
	cs = connOf(t, s, c.nc.LocalAddr())
	if cs.LastOp != "PING" || cs.LastCxid != 1 || cs.Received != 4 || cs.Sent != 4 || cs.Latency.Count != 3 {
		t.Fatalf("after ping and auth: %+v", cs)
	}
	st := s.Stats()
	if st.Received != 4 || st.Sent != 4 || st.Latency.Count != 3 || st.UpdateLatency.Count != 1 || st.ReadLatency.Count != 2 ||
		st.Responses.Min != 16 || st.Outstanding != 0 || st.Connections != 1 {
		t.Fatalf("server: %+v", st)
	}

	// A four-letter word is a packet received, its answer no packet sent.
	ask(t, e.ClientAddr(1), "ruok")
	if st := s.Stats(); st.Received != 5 || st.Sent != 4 {
		t.Fatalf("after ruok: received %d sent %d", st.Received, st.Sent)
	}

	established := cs.Established
	if ans, _ := s.FourLetter("crst"); ans != "Connection stats reset.\n" {
		t.Fatalf("crst %q", ans)
	}
	cs = connOf(t, s, c.nc.LocalAddr())
	if cs.Received != 0 || cs.Sent != 0 || cs.LastOp != "NA" || cs.LastCxid != -1 || cs.LastZxid != -1 ||
		!cs.LastReply.IsZero() || cs.Latency.Count != 0 || !cs.Established.Equal(established) {
		t.Fatalf("after crst: %+v", cs)
	}
	cons, _ := s.FourLetter("cons")
	if !strings.Contains(cons, ",lop=NA,") || strings.Contains(cons, "lcxid") || !strings.Contains(cons, "lzxid=0xffffffffffffffff,lresp=0,") {
		t.Fatalf("cons after crst:\n%s", cons)
	}

	if ans, _ := s.FourLetter("srst"); ans != "Server stats reset.\n" {
		t.Fatalf("srst %q", ans)
	}
	st = s.Stats()
	if st.Received != 0 || st.Sent != 0 || st.Latency.Count != 0 || st.Responses.Last != -1 || st.ReadLatency.Count != 2 {
		t.Fatalf("after srst: %+v", st)
	}
}

// TestRequestPairing checks the bookkeeping that pairs replies with
// requests, including a connection that closes with requests unanswered.
func TestRequestPairing(t *testing.T) {
	e := testEnsemble(t, 1, withClients)
	s := e.Server(1)
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := newConn(s, 1<<40, a)
	req := func(xid int32, op zk.OpCode) []byte {
		return frame(&zk.RequestHeader{Xid: xid, Type: op})[4:]
	}
	reply := func(xid int32, zxid int64) []byte { return frame(&zk.ReplyHeader{Xid: xid, Zxid: zxid}) }

	c.beginRequest(req(5, zk.OpGetData))
	c.beginRequest(req(6, zk.OpSync))
	c.beginRequest(req(7, zk.OpSync))
	if got := s.Stats(); got.Outstanding != 3 || got.PendingSyncs != 2 {
		t.Fatalf("begun: %+v", got)
	}
	c.endRequest(reply(5, 9))
	if cs := c.snapshot(); cs.LastOp != "GETD" || cs.LastCxid != 5 || cs.LastZxid != 9 || cs.Outstanding != 2 {
		t.Fatalf("first answered: %+v", cs)
	}
	c.endRequest(reply(6, 10))
	if cs := c.snapshot(); cs.LastOp != "SYNC" || s.Stats().PendingSyncs != 1 {
		t.Fatalf("second answered: %+v", cs)
	}
	c.dropOutstanding()
	if got := s.Stats(); got.Outstanding != 0 || got.PendingSyncs != 0 {
		t.Fatalf("dropped: %+v", got)
	}
	// A reply with no request left, or a frame too short to carry a
	// header, changes nothing.
	c.endRequest(reply(8, 11))
	c.beginRequest([]byte{1, 2})
	c.endRequest([]byte{0, 0, 0, 1})
	if cs := c.snapshot(); cs.LastZxid != 10 || cs.Outstanding != 0 {
		t.Fatalf("after strays: %+v", cs)
	}
}

func TestProposalSizesOnLeaderOnly(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	leader := waitLeader(t, e)
	c := connectGoZK(t, e.ClientAddr(leader.ID()))
	if _, err := c.Create("/p", make([]byte, 300), 0, gozk.WorldACL(gozk.PermAll)); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "followers applied", func() bool { return converged(e) })
	for _, n := range e.Nodes() {
		p := e.Server(n.ID()).Stats().Proposals
		if n == leader && (p.Max < 300 || p.Min <= 0 || p.Last <= 0) {
			t.Errorf("leader proposals %v", p)
		}
		if n != leader && p != (SizeStats{-1, -1, -1}) {
			t.Errorf("follower n%d proposals %v", n.ID(), p)
		}
	}
	// The server's monitor notes leadership on its tick.
	eventually(t, 5*time.Second, "the leader's stats say since when it leads", func() bool {
		return !e.Server(leader.ID()).Stats().LeaderSince.IsZero()
	})
	if st := e.Server(leader.ID()).Stats(); st.UpdateLatency.Count < 2 {
		t.Errorf("leader stats %+v", st)
	}
}

func TestJavaFormats(t *testing.T) {
	doubles := []struct {
		v    float64
		want string
	}{
		{0, "0.0"}, {1.6, "1.6"}, {1.4407, "1.4407"}, {2, "2.0"}, {123456.5, "123456.5"},
		{1e7, "1.0E7"}, {1.5e-4, "1.5E-4"}, {0.001, "0.001"}, {-3.25, "-3.25"},
	}
	for _, d := range doubles {
		if got := javaDouble(d.v); got != d.want {
			t.Errorf("javaDouble(%v) = %q, want %q", d.v, got, d.want)
		}
	}
	addrs := map[string]string{
		"127.0.0.1:2181": "/127.0.0.1:2181", "[::1]:2181": "/0:0:0:0:0:0:0:1:2181",
		"[fe80::1%eth0]:7": "/fe80:0:0:0:0:0:0:1%eth0:7", "[::ffff:10.0.0.1]:9": "/10.0.0.1:9",
	}
	for in, want := range addrs {
		if got := javaAddr(in); got != want {
			t.Errorf("javaAddr(%s) = %q, want %q", in, got, want)
		}
	}
	if got := javaHex(-1); got != "ffffffffffffffff" {
		t.Errorf("javaHex(-1) = %q", got)
	}
	if got := javaDate(time.Date(2026, 11, 22, 2, 35, 46, 0, time.UTC).In(time.Local)); !strings.HasPrefix(got, "Sun Nov 22 ") {
		t.Errorf("javaDate = %q", got)
	}
	for in, want := range map[string]string{"": "-coordtui-dev,", "0.1.0": "-coordtui-0.1.0,", "1.2+dirty (x)": "-coordtui-1.2-dirty--x-,"} {
		if got := FullVersion(in); !strings.HasPrefix(got, ZooKeeperVersion+want) || !strings.HasSuffix(got, " GMT") {
			t.Errorf("FullVersion(%q) = %q", in, got)
		}
	}
}

// BenchmarkRequestStats is the bookkeeping one request costs: read,
// paired with its reply, reply written.
func BenchmarkRequestStats(b *testing.B) {
	e := testEnsemble(b, 1, withClients)
	a, p := net.Pipe()
	defer a.Close()
	defer p.Close()
	c := newConn(e.Server(1), 1<<40, a)
	req := frame(&zk.RequestHeader{Xid: 1, Type: zk.OpGetData}, &zk.PathWatchRequest{Path: "/a"})[4:]
	reply := frame(&zk.ReplyHeader{Xid: 1, Zxid: 5}, &zk.PathRequest{Path: "/a"})
	b.ReportAllocs()
	for b.Loop() {
		c.beginRequest(req)
		c.endRequest(reply)
		c.packetOut(len(reply) - 4)
	}
}

// BenchmarkGetDataOverWire is one client's getData round trips on a
// member's client port, 32 in flight: the path the statistics ride on.
func BenchmarkGetDataOverWire(b *testing.B) {
	e := testEnsemble(b, 1, withClients)
	nc, err := net.Dial("tcp", e.ClientAddr(1))
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	r := bufio.NewReader(nc)
	if _, err := nc.Write(frame(&zk.ConnectRequest{TimeOut: 4000, Passwd: make([]byte, 16)})); err != nil {
		b.Fatal(err)
	}
	if _, err := zk.ReadFrame(r, zk.DefaultMaxPacket); err != nil {
		b.Fatal(err)
	}
	req := frame(&zk.RequestHeader{Xid: 1, Type: zk.OpGetData}, &zk.PathWatchRequest{Path: "/zookeeper/config"})
	const window = 32
	b.ResetTimer()
	sent, got := 0, 0
	for got < b.N {
		for sent < b.N && sent-got < window {
			if _, err := nc.Write(req); err != nil {
				b.Fatal(err)
			}
			sent++
		}
		if _, err := zk.ReadFrame(r, zk.DefaultMaxPacket); err != nil {
			b.Fatal(err)
		}
		got++
	}
}
