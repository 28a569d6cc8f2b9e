package faultnet

import (
	"math/rand/v2"
	"sort"
	"sync"

	"coordtui/cluster/event"
)

// link is a directed link between two members.
type link struct{ from, to string }

// Links is the fault table of an ensemble: a Fault for every directed link
// between members, the queues of RPCs held on held links, and the seeded
// random source that decides which RPCs a lossy link drops.
//
// All methods are safe for concurrent use and return promptly; none waits
// for an RPC. Changes are published as event.KindFault events, one per link
// whose fault changed, in the order they take effect.
type Links struct {
	bus *event.Bus

	mu      sync.Mutex
	members map[string]struct{}
	faults  map[link]Fault // only links that have a fault
	held    map[link][]*waiter
	rng     *rand.Rand
}

// NewLinks returns a table with every link healthy. Events go to bus (which
// may be nil). seed fixes the sequence of loss decisions: the same seed
// gives the same sequence of drop/keep rolls, although which RPC meets which
// roll depends on how raft's goroutines interleave.
func NewLinks(bus *event.Bus, seed uint64) *Links {
	return &Links{
		bus:     bus,
		members: make(map[string]struct{}),
		faults:  make(map[link]Fault),
		held:    make(map[link][]*waiter),
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
}

// Bus is the bus the table and its transports publish to.
func (l *Links) Bus() *event.Bus { return l.bus }

// AddMember makes ids known to the table, so that Isolate and Matrix include
// them. Listen and Wrap add their member themselves.
func (l *Links) AddMember(ids ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		l.members[id] = struct{}{}
	}
}

// Members returns the known members, sorted.
func (l *Links) Members() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.memberList()
}

func (l *Links) memberList() []string {
	out := make([]string, 0, len(l.members))
	for id := range l.members {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Get returns the fault on from->to.
func (l *Links) Get(from, to string) Fault {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.faults[link{from, to}]
}

// Set replaces the fault on from->to; the zero Fault heals the link. Out of
// range values are clamped (see Fault). Lifting a hold lets every RPC queued
// on the link proceed under the new fault. A link from a member to itself
// carries no RPCs and is ignored.
func (l *Links) Set(from, to string, f Fault) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.set(link{from, to}, f)
}

// CutOneWay cuts from->to and leaves to->from as it is; other parts of the
// link's fault (delay, loss, hold) stay.
func (l *Links) CutOneWay(from, to string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addCut(link{from, to})
}

// Isolate cuts every link between id and every other known member, both
// ways. Members made known later are not cut from it.
func (l *Links) Isolate(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, other := range l.memberList() {
		if other != id {
			l.addCut(link{id, other})
			l.addCut(link{other, id})
		}
	}
}

// Split cuts every link between a member of a and a member of b, both ways,
// leaving the links within each group as they are.
func (l *Links) Split(a, b []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, x := range a {
		for _, y := range b {
			l.addCut(link{x, y})
			l.addCut(link{y, x})
		}
	}
}

// HealAll clears every fault. RPCs held on held links proceed.
func (l *Links) HealAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]link, 0, len(l.faults))
	for k := range l.faults {
		keys = append(keys, k)
	}
	sortLinks(keys)
	for _, k := range keys {
		l.set(k, Fault{})
	}
}

func (l *Links) addCut(k link) {
	f := l.faults[k]
	f.Cut = true
	l.set(k, f)
}

// set must be called with l.mu held.
func (l *Links) set(k link, f Fault) {
	if k.from == k.to {
		return
	}
	f = f.normal()
	old := l.faults[k]
	if f == old {
		return
	}
	if f.IsZero() {
		delete(l.faults, k)
	} else {
		l.faults[k] = f
	}
	l.publish(k, f.String())
	if old.Hold && !f.Hold {
		l.wakeAll(k, wakeLifted)
	}
}

// publish must be called with l.mu held, so that fault events leave in the
// order the changes took effect. The bus never blocks.
func (l *Links) publish(k link, desc string) {
	l.bus.Publish(event.Event{Kind: event.KindFault, Fault: event.Fault{From: k.from, To: k.to, Desc: desc}})
}

func sortLinks(ks []link) {
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].from != ks[j].from {
			return ks[i].from < ks[j].from
		}
		return ks[i].to < ks[j].to
	})
}
