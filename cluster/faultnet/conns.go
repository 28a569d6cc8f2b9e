package faultnet

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"sync"
	"time"

	"coordtui/cluster/event"
)

// ErrNoConn is returned for a connection id that is not (or no longer) open.
var ErrNoConn = errors.New("no such connection")

// Conns is the fault table for ZooKeeper client connections: every
// connection accepted through a listener it wrapped is registered under an
// id until it closes, and can be cut or frozen by id, or cut by client and
// member. Changes are published as event.KindFault events with Conn set.
// All methods are safe for concurrent use and never wait for a connection.
type Conns struct {
	bus *event.Bus

	mu     sync.Mutex
	nextID uint64
	open   map[uint64]*Conn
}

// NewConns returns an empty table publishing to bus (which may be nil).
func NewConns(bus *event.Bus) *Conns {
	return &Conns{bus: bus, open: make(map[uint64]*Conn)}
}

// ConnInfo describes one open client connection.
type ConnInfo struct {
	ID     uint64
	Member string    // the member whose client port accepted it
	Client string    // the label set by Conn.SetClient, else the remote address
	Remote string    // the client's address
	Frozen bool      // nothing is forwarded either way until thawed
	Opened time.Time // when it was accepted
}

// WrapListener returns a listener whose accepted connections are *Conn,
// registered in c under member until they close. Closing the listener
// closes l and leaves accepted connections open.
func (c *Conns) WrapListener(l net.Listener, member string) *Listener {
	return &Listener{Listener: l, conns: c, member: member}
}

// Listener is a client-port listener whose connections the fault layer can
// break. Accept returns *Conn values.
type Listener struct {
	net.Listener
	conns  *Conns
	member string
}

// Accept waits for the next connection and registers it.
func (l *Listener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.conns.register(nc, l.member), nil
}

func (c *Conns) register(nc net.Conn, member string) *Conn {
	conn := newConn(nc, member, c)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	conn.id = c.nextID
	c.open[conn.id] = conn
	return conn
}

func (c *Conns) unregister(id uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.open, id)
}

// List returns the open connections, by id.
func (c *Conns) List() []ConnInfo {
	c.mu.Lock()
	conns := make([]*Conn, 0, len(c.open))
	for _, conn := range c.open {
		conns = append(conns, conn)
	}
	c.mu.Unlock()
	sort.Slice(conns, func(i, j int) bool { return conns[i].id < conns[j].id })
	out := make([]ConnInfo, len(conns))
	for i, conn := range conns {
		out[i] = conn.Info()
	}
	return out
}

func (c *Conns) get(id uint64) (*Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	conn, ok := c.open[id]
	if !ok {
		return nil, fmt.Errorf("faultnet: conn #%d: %w", id, ErrNoConn)
	}
	return conn, nil
}

// Cut resets connection id: both ends see the connection fail at once, as
// when a network path dies and a middlebox resets it.
func (c *Conns) Cut(id uint64) error {
	conn, err := c.get(id)
	if err != nil {
		return err
	}
	conn.cut()
	return nil
}

// CutClient resets every connection of client (as labelled by SetClient, or
// the remote address) to member, and returns how many it cut. An empty
// client cuts all of member's client connections.
func (c *Conns) CutClient(client, member string) int {
	n := 0
	for _, info := range c.List() {
		if info.Member == member && (client == "" || info.Client == client) {
			if c.Cut(info.ID) == nil {
				n++
			}
		}
	}
	return n
}

// Freeze stops forwarding on connection id in both directions without
// closing it: the member reads nothing the client sends, and the member's
// writes wait, as if every packet were lost. Deadlines still end waiting
// reads and writes with a timeout.
func (c *Conns) Freeze(id uint64) error {
	conn, err := c.get(id)
	if err != nil {
		return err
	}
	conn.setFrozen(true)
	return nil
}

// Thaw resumes forwarding on a frozen connection; what the client sent
// meanwhile is read in order, and waiting writes go out.
func (c *Conns) Thaw(id uint64) error {
	conn, err := c.get(id)
	if err != nil {
		return err
	}
	conn.setFrozen(false)
	return nil
}

func (c *Conns) publish(conn *Conn, desc string) {
	c.bus.Publish(event.Event{Kind: event.KindFault, Member: conn.member,
		Fault: event.Fault{To: conn.member, Conn: conn.id, Client: conn.Client(), Desc: desc}})
}
