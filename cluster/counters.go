package cluster

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"

	"coordtui/tree"
)

// Counters are a member's exact counters: unlike the event stream they are
// never dropped, so demos and tests assert on them (the herd effect is
// counted here, not in events).
type Counters struct {
	requests      [opSlots]atomic.Uint64 // by opcode, reads included
	notifications atomic.Uint64          // watch events sent to clients
	connections   atomic.Int64           // client connections open now
	sessions      sync.Map               // int64 → *SessionCounters
}

// SessionCounters count one session's traffic on one member.
type SessionCounters struct {
	Requests      atomic.Uint64
	Notifications atomic.Uint64
}

// Session returns session id's counters on this member, creating them.
func (c *Counters) Session(id int64) *SessionCounters {
	if v, ok := c.sessions.Load(id); ok {
		return v.(*SessionCounters)
	}
	v, _ := c.sessions.LoadOrStore(id, new(SessionCounters))
	return v.(*SessionCounters)
}

// SessionCount is a copied per-session count.
type SessionCount struct {
	ID                      int64
	Requests, Notifications uint64
}

// Sessions returns every session's counts on this member, in id order.
func (c *Counters) Sessions() []SessionCount {
	var out []SessionCount
	c.sessions.Range(func(k, v any) bool {
		sc := v.(*SessionCounters)
		out = append(out, SessionCount{ID: k.(int64), Requests: sc.Requests.Load(), Notifications: sc.Notifications.Load()})
		return true
	})
	slices.SortFunc(out, func(a, b SessionCount) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Opcodes run from -11 to 107; one slot each keeps Request lock-free.
const (
	opBase  = 16
	opSlots = opBase + 128
)

func newCounters() *Counters { return &Counters{} }

// Request counts one request of type op.
func (c *Counters) Request(op tree.OpType) {
	if i := int(op) + opBase; i >= 0 && i < opSlots {
		c.requests[i].Add(1)
	}
}

// Requests returns how many requests of type op this member has taken.
func (c *Counters) Requests(op tree.OpType) uint64 {
	if i := int(op) + opBase; i >= 0 && i < opSlots {
		return c.requests[i].Load()
	}
	return 0
}

// RequestsByOp returns every non-zero request count.
func (c *Counters) RequestsByOp() map[tree.OpType]uint64 {
	m := make(map[tree.OpType]uint64)
	for i := range c.requests {
		if v := c.requests[i].Load(); v > 0 {
			m[tree.OpType(i-opBase)] = v
		}
	}
	return m
}

// TotalRequests sums every request count.
func (c *Counters) TotalRequests() uint64 {
	var n uint64
	for i := range c.requests {
		n += c.requests[i].Load()
	}
	return n
}

// Notified counts watch events written to clients.
func (c *Counters) Notified(n int) { c.notifications.Add(uint64(n)) }

// Notifications returns how many watch events this member sent.
func (c *Counters) Notifications() uint64 { return c.notifications.Load() }

// ConnOpened and ConnClosed track open client connections.
func (c *Counters) ConnOpened()        { c.connections.Add(1) }
func (c *Counters) ConnClosed()        { c.connections.Add(-1) }
func (c *Counters) Connections() int64 { return c.connections.Load() }
