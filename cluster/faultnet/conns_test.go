package faultnet

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/event"
)

// clientPort is a wrapped listener on loopback whose accepted connections
// the test receives.
type clientPort struct {
	ln       *Listener
	accepted chan *Conn
}

func newClientPort(t *testing.T, conns *Conns, member string) *clientPort {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &clientPort{ln: conns.WrapListener(l, member), accepted: make(chan *Conn, 8)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := p.ln.Accept()
			if err != nil {
				return
			}
			p.accepted <- c.(*Conn)
		}
	}()
	t.Cleanup(func() { p.ln.Close(); <-done })
	return p
}

// dial connects a client and returns both ends.
func (p *clientPort) dial(t *testing.T) (client net.Conn, server *Conn) {
	t.Helper()
	client, err := net.Dial("tcp", p.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	select {
	case server = <-p.accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("no connection accepted")
	}
	t.Cleanup(func() { server.Close() })
	return client, server
}

// readN reads exactly n bytes before a deadline.
func readN(t *testing.T, c net.Conn, n int, within time.Duration) (string, error) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(within))
	buf := make([]byte, n)
	_, err := io.ReadFull(c, buf)
	return string(buf), err
}

func TestFreezeHoldsDataBothWays(t *testing.T) {
	bus := event.NewBus(64)
	conns := NewConns(bus)
	sub := bus.Subscribe(64)
	defer sub.Close()
	port := newClientPort(t, conns, "n1")
	client, server := port.dial(t)

	if err := conns.Freeze(server.ID()); err != nil {
		t.Fatal(err)
	}
	if !conns.List()[0].Frozen {
		t.Error("List does not show the freeze")
	}
	// Client to member: the member's read waits out its deadline and loses
	// nothing.
	client.Write([]byte("ping"))
	if _, err := readN(t, server, 4, 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("frozen read: %v, want a timeout", err)
	}
	// Member to client: the write waits for the thaw.
	wrote := make(chan error, 1)
	go func() { _, err := server.Write([]byte("pong")); wrote <- err }()
	if _, err := readN(t, client, 4, 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("client read from a frozen connection: %v, want a timeout", err)
	}

	conns.Thaw(server.ID())
	if got, err := readN(t, server, 4, 5*time.Second); err != nil || got != "ping" {
		t.Errorf("after thaw the member read %q, %v", got, err)
	}
	if err := <-wrote; err != nil {
		t.Error(err)
	}
	if got, err := readN(t, client, 4, 5*time.Second); err != nil || got != "pong" {
		t.Errorf("after thaw the client read %q, %v", got, err)
	}

	want := []string{"fault conn#1 " + client.LocalAddr().String() + "->n1 frozen",
		"fault conn#1 " + client.LocalAddr().String() + "->n1 thawed"}
	var got []string
	for len(sub.C()) > 0 {
		got = append(got, (<-sub.C()).Body())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A read that started before the freeze does not let data through either,
// and moving the deadline ends a frozen wait at once.
func TestFreezeCatchesReadInProgress(t *testing.T) {
	conns := NewConns(nil)
	port := newClientPort(t, conns, "n1")
	client, server := port.dial(t)
	server.SetReadDeadline(time.Time{})
	type result struct {
		s   string
		err error
	}
	read := make(chan result, 1)
	go func() {
		buf := make([]byte, 1)
		n, err := server.Read(buf)
		read <- result{string(buf[:n]), err}
	}()
	conns.Freeze(server.ID())
	client.Write([]byte("x"))
	// Whether the read began before or after the freeze, it must now be
	// waiting. Ending it with a deadline must return no data.
	server.SetReadDeadline(time.Now())
	select {
	case r := <-read:
		if r.s != "" || !errors.Is(r.err, os.ErrDeadlineExceeded) {
			t.Fatalf("frozen read returned %q, %v", r.s, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("moving the deadline did not end a frozen read")
	}
	conns.Thaw(server.ID())
	if got, err := readN(t, server, 1, 5*time.Second); err != nil || got != "x" {
		t.Errorf("after thaw read %q, %v", got, err)
	}
}

func TestCutResetsConnection(t *testing.T) {
	conns := NewConns(nil)
	port := newClientPort(t, conns, "n1")
	client, server := port.dial(t)
	conns.Freeze(server.ID()) // a cut also ends a freeze
	if err := conns.Cut(server.ID()); err != nil {
		t.Fatal(err)
	}
	_, err := readN(t, client, 1, 5*time.Second)
	if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("client read after cut: %v, want the connection to fail", err)
	}
	if _, err := server.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("member read after cut: %v, want net.ErrClosed", err)
	}
	if n := len(conns.List()); n != 0 {
		t.Errorf("%d connections listed after the cut", n)
	}
	if err := conns.Cut(server.ID()); !errors.Is(err, ErrNoConn) {
		t.Errorf("second cut: %v, want ErrNoConn", err)
	}
	if err := conns.Freeze(99); !errors.Is(err, ErrNoConn) {
		t.Errorf("freeze of an unknown conn: %v", err)
	}
}

// CutClient cuts one client's connections to one member and no others.
func TestCutClientByMember(t *testing.T) {
	conns := NewConns(nil)
	p1, p2 := newClientPort(t, conns, "n1"), newClientPort(t, conns, "n2")
	_, a := p1.dial(t)
	_, b := p1.dial(t)
	_, c := p2.dial(t)
	a.SetClient("s1")
	b.SetClient("s2")
	c.SetClient("s1")
	if n := conns.CutClient("s1", "n1"); n != 1 {
		t.Errorf("CutClient(s1, n1) cut %d", n)
	}
	var left []string
	for _, info := range conns.List() {
		left = append(left, info.Client+"@"+info.Member)
	}
	if got := strings.Join(left, " "); got != "s2@n1 s1@n2" {
		t.Errorf("left open: %s", got)
	}
	if n := conns.CutClient("", "n1"); n != 1 {
		t.Errorf("CutClient(\"\", n1) cut %d", n)
	}
	if n := len(conns.List()); n != 1 {
		t.Errorf("%d left, want 1", n)
	}
}
