package source

import (
	"fmt"
	"sync"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
)

// StepStretch is how much step mode stretches raft's election timeouts,
// so that a candidate waits for the user to release its votes rather than
// starting round after round.
const StepStretch = 40

// Net is the console's hand on the network between members. It keeps
// what the user asked for per link (cuts, delays) apart from what slow
// motion and step mode add, and writes the sum to the fault table.
// All methods are safe for concurrent use.
type Net struct {
	links    *faultnet.Links
	setSpeed func(float64) error
	election time.Duration // the unstretched election timeout, for StepNote
	lease    time.Duration // the leader lease, which raft cannot stretch live

	// hmu guards queues alone, so that the collector never waits for mu,
	// which SetStep holds while it waits for the collector to end.
	hmu    sync.Mutex
	queues map[[2]string][]heldRPC // per link, in the order they were held

	mu   sync.Mutex
	base map[[2]string]faultnet.Fault
	// wrote is what this Net last wrote on each link: a link that holds
	// something else was changed by another hand (a script's isolate or
	// heal), and that change is adopted rather than undone.
	wrote map[[2]string]faultnet.Fault
	speed float64
	step  bool
	sub   *event.Subscription
	done  chan struct{}
}

// NewNet puts a Net over links; setSpeed stretches raft's timeouts
// (Ensemble.SetSpeed), election is the unstretched election timeout and
// lease the leader lease. Step mode watches the links' bus.
func NewNet(links *faultnet.Links, setSpeed func(float64) error, election, lease time.Duration) *Net {
	return &Net{links: links, setSpeed: setSpeed, election: election, lease: lease, base: map[[2]string]faultnet.Fault{},
		wrote: map[[2]string]faultnet.Fault{}, speed: 1}
}

// Note warns, in words, when a link's delay (stretched by slow motion)
// is long enough that a leader behind it misses its lease: raft 1.7.3
// cannot stretch the lease live, so slow motion alone can cost a leader
// its leadership. "" when all is well.
func (n *Net) Note() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var worst time.Duration
	var link [2]string
	for k, f := range n.base {
		if d := time.Duration(float64(f.Delay) * n.speed); d > worst && !f.Cut {
			worst, link = d, k
		}
	}
	if n.lease == 0 || 2*worst < n.lease {
		return ""
	}
	return fmt.Sprintf("%s->%s takes %v a message: past half the leader lease (%v, which slow motion cannot stretch), a leader behind it steps down",
		link[0], link[1], worst, n.lease)
}

// Links is the fault table underneath.
func (n *Net) Links() *faultnet.Links { return n.links }

// effective is what link from->to must carry now. n.mu must be held.
func (n *Net) effective(from, to string) faultnet.Fault {
	f := n.base[[2]string{from, to}]
	f.Delay = time.Duration(float64(f.Delay) * n.speed)
	f.Hold = n.step
	f.PassHeartbeats = n.step // the leader keeps its lease while the user steps
	return f
}

// sync writes the effective fault of every link that differs. n.mu must
// be held.
func (n *Net) sync() {
	n.adopt()
	ms := n.links.Members()
	for _, from := range ms {
		for _, to := range ms {
			if from == to {
				continue
			}
			if f := n.effective(from, to); n.links.Get(from, to) != f {
				n.links.Set(from, to, f)
				n.wrote[[2]string{from, to}] = f
			}
		}
	}
}

// adopt takes as the user's own any fault another hand wrote on a link
// since this Net last did, so that slowing down or stepping never heals
// a partition a script made. n.mu must be held.
func (n *Net) adopt() {
	ms := n.links.Members()
	for _, from := range ms {
		for _, to := range ms {
			k := [2]string{from, to}
			cur := n.links.Get(from, to)
			if from == to || cur == n.wrote[k] {
				continue
			}
			n.base[k] = faultnet.Fault{Cut: cur.Cut, Loss: cur.Loss, Delay: time.Duration(float64(cur.Delay) / n.speed)}
			n.wrote[k] = cur
		}
	}
}

// Sync brings the fault table in line after members joined.
func (n *Net) Sync() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sync()
}

func (n *Net) change(fn func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fn()
	n.sync()
}

// Base returns what the user set on from->to, without slow motion or step.
func (n *Net) Base(from, to string) faultnet.Fault {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.base[[2]string{from, to}]
}

// SetCut cuts or mends from->to, leaving its other faults.
func (n *Net) SetCut(from, to string, cut bool) error {
	n.change(func() { n.setCutLocked(from, to, cut) })
	return nil
}

func (n *Net) setCutLocked(from, to string, cut bool) {
	k := [2]string{from, to}
	f := n.base[k]
	f.Cut = cut
	n.base[k] = f
}

// SetDelay sets the latency the user wants on from->to.
func (n *Net) SetDelay(from, to string, d time.Duration) error {
	n.change(func() {
		k := [2]string{from, to}
		f := n.base[k]
		f.Delay = d
		n.base[k] = f
	})
	return nil
}

// Isolate cuts member id off from every other member, both ways.
func (n *Net) Isolate(id string) error {
	n.change(func() {
		for _, o := range n.links.Members() {
			if o != id {
				n.setCutLocked(id, o, true)
				n.setCutLocked(o, id, true)
			}
		}
	})
	return nil
}

// Split cuts every link between a member of a and one of b, both ways.
func (n *Net) Split(a, b []string) error {
	n.change(func() {
		for _, x := range a {
			for _, y := range b {
				n.setCutLocked(x, y, true)
				n.setCutLocked(y, x, true)
			}
		}
	})
	return nil
}

// Heal clears every cut and delay the user set (slow motion and step
// mode stay as they are).
func (n *Net) Heal() error {
	n.change(func() { clear(n.base) })
	return nil
}

// Speed is the slow-motion factor.
func (n *Net) Speed() float64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.speed
}

// SetSpeed sets slow motion: raft's timeouts and the delay the user set on
// each link are stretched by f (>= 1), so a scenario plays out as at
// normal speed, only slower. The leader lease is the exception (see Note).
func (n *Net) SetSpeed(f float64) error {
	if f < 1 {
		return fmt.Errorf("speed %g: slow motion stretches time, it cannot be below 1", f)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	stretch := f
	if n.step {
		stretch *= StepStretch
	}
	if err := n.setSpeed(stretch); err != nil {
		return err
	}
	n.speed = f
	n.sync()
	return nil
}

// Step reports whether step mode is on.
func (n *Net) Step() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.step
}
