package cluster

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// One peer port per member carries two streams, told apart by the first
// byte a dialer writes: raft's own RPCs, and coordtui's peer RPCs (writes
// forwarded to the leader, session pings). One port keeps `server --peers`
// to one address per member.
const (
	streamRaft byte = 'R'
	streamPeer byte = 'P'
)

var errMuxClosed = errors.New("cluster: peer listener closed")

// peerMux splits one listener by the first byte of each connection.
type peerMux struct {
	l      net.Listener
	raft   chan net.Conn
	peer   chan net.Conn
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
}

func newPeerMux(l net.Listener) *peerMux {
	m := &peerMux{l: l, raft: make(chan net.Conn), peer: make(chan net.Conn), closed: make(chan struct{})}
	m.wg.Add(1)
	go m.serve()
	return m
}

func (m *peerMux) serve() {
	defer m.wg.Done()
	for {
		c, err := m.l.Accept()
		if err != nil {
			return
		}
		m.wg.Add(1)
		go m.route(c)
	}
}

func (m *peerMux) route(c net.Conn) {
	defer m.wg.Done()
	var b [1]byte
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(b[:]); err != nil {
		c.Close()
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	var ch chan net.Conn
	switch b[0] {
	case streamRaft:
		ch = m.raft
	case streamPeer:
		ch = m.peer
	default:
		c.Close()
		return
	}
	select {
	case ch <- c:
	case <-m.closed:
		c.Close()
	}
}

// Close stops accepting and waits for the routing goroutines.
func (m *peerMux) Close() error {
	m.once.Do(func() {
		close(m.closed)
		m.l.Close()
	})
	m.wg.Wait()
	return nil
}

func (m *peerMux) accept(ch chan net.Conn) (net.Conn, error) {
	select {
	case c := <-ch:
		return c, nil
	case <-m.closed:
		return nil, errMuxClosed
	}
}

func dialStream(addr string, kind byte, timeout time.Duration) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	if _, err := c.Write([]byte{kind}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// raftStream is the raft.StreamLayer half of the mux.
type raftStream struct{ m *peerMux }

func (s raftStream) Accept() (net.Conn, error) { return s.m.accept(s.m.raft) }
func (s raftStream) Close() error              { return s.m.Close() }
func (s raftStream) Addr() net.Addr            { return s.m.l.Addr() }
func (s raftStream) Dial(addr raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	return dialStream(string(addr), streamRaft, timeout)
}

var _ raft.StreamLayer = raftStream{}
