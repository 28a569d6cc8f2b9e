package recipes

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// Gate decides when a recipe may send its next request. Pass is called with
// the step about to be sent (Phase Next), on the recipe's goroutine, before
// every request except the clean-up a recipe does after its context ended;
// it returns nil when the step may go ahead, or ctx's error. A nil Gate
// lets everything through.
type Gate interface {
	Pass(ctx context.Context, s Step) error
}

// StepGate holds each client's requests until they are let through one at a
// time (Advance), or lets a client run freely (Open). It is how a user steps
// clients through an interleaving of their choice; tests build the
// interleavings that break the unsafe recipes with it. Clients are told apart
// by Step.Client. Safe for concurrent use.
type StepGate struct {
	mu      sync.Mutex
	queue   map[string][]*held
	open    map[string]bool
	allOpen bool
	changed chan struct{}
}

type held struct {
	step Step
	go_  chan struct{}
	done bool // let through (or withdrawn); guarded by the gate's mu
}

// NewStepGate returns a gate that holds every client.
func NewStepGate() *StepGate {
	return &StepGate{queue: make(map[string][]*held), open: make(map[string]bool), changed: make(chan struct{})}
}

// Pass implements Gate: it returns at once for an open client, otherwise
// when Advance lets this step through or ctx ends.
func (g *StepGate) Pass(ctx context.Context, s Step) error {
	g.mu.Lock()
	if g.allOpen || g.open[s.Client] {
		g.mu.Unlock()
		return nil
	}
	h := &held{step: s, go_: make(chan struct{})}
	g.queue[s.Client] = append(g.queue[s.Client], h)
	g.notifyLocked()
	g.mu.Unlock()
	select {
	case <-h.go_:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		if h.done {
			return nil // let through just as ctx ended: go ahead
		}
		h.done = true
		g.queue[s.Client] = slices.DeleteFunc(g.queue[s.Client], func(x *held) bool { return x == h })
		g.notifyLocked()
		return ctx.Err()
	}
}

// Advance lets client's oldest held step through and returns it; false if
// the client has no step held.
func (g *StepGate) Advance(client string) (Step, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	q := g.queue[client]
	if len(q) == 0 {
		return Step{}, false
	}
	h := q[0]
	g.queue[client] = q[1:]
	h.done = true
	close(h.go_)
	g.notifyLocked()
	return h.step, true
}

// Step waits until client has a step held, lets it through and returns it:
// one step of that client, as a user pressing "step" does.
func (g *StepGate) Step(ctx context.Context, client string) (Step, error) {
	if _, err := g.Next(ctx, client); err != nil {
		return Step{}, err
	}
	s, _ := g.Advance(client)
	return s, nil
}

// Next waits until client has a step held and returns it without letting
// it through.
func (g *StepGate) Next(ctx context.Context, client string) (Step, error) {
	for {
		g.mu.Lock()
		q, ch := g.queue[client], g.changed
		g.mu.Unlock()
		if len(q) > 0 {
			return q[0].step, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Step{}, ctx.Err()
		}
	}
}

// Pending returns the oldest held step of every client, ordered by client.
func (g *StepGate) Pending() []Step {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []Step
	for _, q := range g.queue {
		if len(q) > 0 {
			out = append(out, q[0].step)
		}
	}
	slices.SortFunc(out, func(a, b Step) int { return strings.Compare(a.Client, b.Client) })
	return out
}

// PendingFor returns client's oldest held step, if any.
func (g *StepGate) PendingFor(client string) (Step, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if q := g.queue[client]; len(q) > 0 {
		return q[0].step, true
	}
	return Step{}, false
}

// Open lets client run freely, its held steps included; Hold stops it again
// at its next step.
func (g *StepGate) Open(client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open[client] = true
	g.releaseLocked(client)
	g.notifyLocked()
}

// Hold makes client wait at the gate again from its next step on.
func (g *StepGate) Hold(client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.open, client)
	g.notifyLocked()
}

// OpenAll lets every client run freely ("run together"); HoldAll undoes it
// and every Open.
func (g *StepGate) OpenAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.allOpen = true
	for c := range g.queue {
		g.releaseLocked(c)
	}
	g.notifyLocked()
}

// HoldAll holds every client at its next step.
func (g *StepGate) HoldAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.allOpen = false
	clear(g.open)
	g.notifyLocked()
}

// IsOpen reports whether client runs without stopping.
func (g *StepGate) IsOpen(client string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.allOpen || g.open[client]
}

// Changed returns a channel closed at the gate's next change (a step held,
// let through or withdrawn), for a console that redraws on change.
func (g *StepGate) Changed() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.changed
}

func (g *StepGate) releaseLocked(client string) {
	for _, h := range g.queue[client] {
		h.done = true
		close(h.go_)
	}
	delete(g.queue, client)
}

func (g *StepGate) notifyLocked() {
	close(g.changed)
	g.changed = make(chan struct{})
}
