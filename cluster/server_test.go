package cluster

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster/zk"
)

func withClients(c *EnsembleConfig) {
	c.Client = &ServerConfig{FourLetterWords: []string{"*"}}
}

type silentLogger struct{}

func (silentLogger) Printf(string, ...interface{}) {}

// connectGoZK connects the third-party client and waits for its session.
func connectGoZK(t *testing.T, servers string) *gozk.Conn {
	t.Helper()
	c, events, err := gozk.Connect(strings.Split(servers, ","), 4*time.Second, gozk.WithLogger(silentLogger{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.State == gozk.StateHasSession {
				return c
			}
		case <-deadline:
			t.Fatal("go-zookeeper client got no session")
		}
	}
}

func TestGoZookeeperClientBasics(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	c := connectGoZK(t, e.ConnString())
	acl := gozk.WorldACL(gozk.PermAll)
	if p, err := c.Create("/app", []byte("v1"), 0, acl); err != nil || p != "/app" {
		t.Fatalf("create: %q %v", p, err)
	}
	if _, err := c.Create("/app", nil, 0, acl); !errors.Is(err, gozk.ErrNodeExists) {
		t.Fatalf("create again: %v", err)
	}
	seq, err := c.Create("/app/job-", nil, gozk.FlagSequence|gozk.FlagEphemeral, acl)
	if err != nil || seq != "/app/job-0000000000" {
		t.Fatalf("sequential: %q %v", seq, err)
	}
	data, st, err := c.Get("/app")
	if err != nil || string(data) != "v1" || st.Version != 0 || st.NumChildren != 1 {
		t.Fatalf("get: %q %+v %v", data, st, err)
	}
	_, _, ch, err := c.GetW("/app")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Set("/app", []byte("v2"), 7); !errors.Is(err, gozk.ErrBadVersion) {
		t.Fatalf("set with a wrong version: %v", err)
	}
	st2, err := c.Set("/app", []byte("v2"), 0)
	if err != nil || st2.Version != 1 {
		t.Fatalf("set: %+v %v", st2, err)
	}
	select {
	case ev := <-ch:
		if ev.Type != gozk.EventNodeDataChanged || ev.Path != "/app" {
			t.Fatalf("watch event %+v", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no NodeDataChanged")
	}
	kids, _, err := c.Children("/app")
	if err != nil || len(kids) != 1 || kids[0] != "job-0000000000" {
		t.Fatalf("children: %v %v", kids, err)
	}
	res, err := c.Multi(&gozk.CreateRequest{Path: "/m", Data: []byte("x"), Acl: acl},
		&gozk.SetDataRequest{Path: "/m", Data: []byte("y"), Version: 0},
		&gozk.DeleteRequest{Path: "/m", Version: 1})
	if err != nil || len(res) != 3 {
		t.Fatalf("multi: %v %v", res, err)
	}
	if _, err := c.Multi(&gozk.CreateRequest{Path: "/n", Acl: acl}, &gozk.DeleteRequest{Path: "/missing", Version: -1}); !errors.Is(err, gozk.ErrNoNode) {
		t.Fatalf("failing multi: %v", err)
	}
	if ok, _, err := c.Exists("/n"); err != nil || ok {
		t.Fatalf("a failed multi left /n behind: %v %v", ok, err)
	}
	if err := c.Delete("/app", -1); !errors.Is(err, gozk.ErrNotEmpty) {
		t.Fatalf("delete non-empty: %v", err)
	}
}

// rawConn speaks the protocol by hand, to send what no client would.
type rawConn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(15 * time.Second))
	return &rawConn{t: t, c: c, r: bufio.NewReader(c)}
}

func (r *rawConn) send(recs ...zk.Record) {
	r.t.Helper()
	if _, err := r.c.Write(zk.AppendFrame(nil, recs...)); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawConn) sendRaw(b []byte) {
	r.t.Helper()
	if _, err := r.c.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawConn) recv() []byte {
	r.t.Helper()
	b, err := zk.ReadFrame(r.r, 0)
	if err != nil {
		r.t.Fatalf("reading a frame: %v", err)
	}
	return b
}

func (r *rawConn) handshake() {
	r.t.Helper()
	r.send(&zk.ConnectRequest{TimeOut: 4000, Passwd: make([]byte, 16), HasReadOnly: true})
	var resp zk.ConnectResponse
	if err := zk.Unmarshal(r.recv(), &resp); err != nil || resp.SessionID == 0 || resp.TimeOut <= 0 {
		r.t.Fatalf("handshake: %+v %v", resp, err)
	}
}

func (r *rawConn) header() zk.ReplyHeader {
	r.t.Helper()
	var h zk.ReplyHeader
	if err := zk.Unmarshal(r.recv()[:16], &h); err != nil {
		r.t.Fatal(err)
	}
	return h
}

func (r *rawConn) closed() bool {
	_, err := r.r.ReadByte()
	return errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed)
}

func TestMalformedInputCostsOnlyThatConnection(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	addr := e.ClientAddr(1)
	good := connectGoZK(t, addr)

	// A truncated body: MARSHALLINGERROR, and the connection stays.
	r := dialRaw(t, addr)
	r.handshake()
	body := binary.BigEndian.AppendUint32(nil, 7) // xid 7
	body = binary.BigEndian.AppendUint32(body, uint32(zk.OpGetData))
	body = binary.BigEndian.AppendUint32(body, 50) // a path of 50 bytes that never comes
	r.sendRaw(append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...))
	if h := r.header(); h.Xid != 7 || h.Err != zk.ErrMarshallingError {
		t.Fatalf("truncated body: %+v", h)
	}
	r.send(&zk.RequestHeader{Xid: -2, Type: zk.OpPing})
	if h := r.header(); h.Xid != -2 || h.Err != zk.OK {
		t.Fatalf("ping after the bad body: %+v", h)
	}

	// An unknown opcode: UNIMPLEMENTED with zxid -1, then the connection closes.
	r.send(&zk.RequestHeader{Xid: 8, Type: 200})
	if h := r.header(); h.Xid != 8 || h.Err != zk.ErrUnimplemented || h.Zxid != -1 {
		t.Fatalf("unknown opcode: %+v", h)
	}
	if !r.closed() {
		t.Fatal("connection stayed open after an unknown opcode")
	}

	// A frame over the packet limit: closed without a word.
	big := dialRaw(t, addr)
	big.handshake()
	big.sendRaw(binary.BigEndian.AppendUint32(nil, zk.DefaultMaxPacket+1))
	if !big.closed() {
		t.Fatal("connection stayed open after an oversize frame")
	}

	// Everyone else is still served.
	if _, err := good.Create("/still-here", nil, 0, gozk.WorldACL(gozk.PermAll)); err != nil {
		t.Fatalf("the well-behaved client after the bad ones: %v", err)
	}
}

func TestFourLetterWordRuok(t *testing.T) {
	e := testEnsemble(t, 1, withClients)
	c, err := net.Dial("tcp", e.ClientAddr(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _ = c.Write([]byte("ruok"))
	b, _ := io.ReadAll(c)
	if string(b) != "imok" {
		t.Fatalf("ruok: %q", b)
	}
}
