package source

import (
	"context"
	"errors"
	"sync"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/recipes/worker"
)

// World is what Scripted reads of a script being played: its
// lessons/script.Env. Every method must be safe from any goroutine.
type World interface {
	// Ensemble is the ensemble the script built last, or nil.
	Ensemble() *cluster.Ensemble
	// Pool is the script's worker pool, or nil before it starts one.
	Pool() *worker.Pool
	// EnsurePool is Pool, made now if the script has none yet, so that
	// the console's workers are the ones the script's checks see.
	EnsurePool() (*worker.Pool, error)
	// SetSpeed is slow motion for the ensemble and the script's deadlines.
	SetSpeed(factor float64) error
}

// ErrNoEnsemble is what Control returns before the script builds one.
var ErrNoEnsemble = errors.New("no ensemble yet: the script builds one in a step or two")

// Scripted is the Source (and Control) of a console playing a script: it
// shows whichever ensemble the script built last (a script may build
// several, one after another) through one subscription on a bus the
// script's ensembles all publish to (Bus; pass it as script.Config.Events).
// Control acts on the current ensemble; slow motion goes through the
// script's SetSpeed, so its deadlines stretch with the ensemble.
type Scripted struct {
	bus    *event.Bus
	sub    *event.Subscription
	timing cluster.Timing

	mu    sync.Mutex
	world World
	cur   *local // the ensemble shown; nil while there is none
	idle  *Net   // the network control before the first ensemble
	gen   int    // ensembles followed so far
}

// NewScripted makes the bus a script's ensembles will publish to and
// subscribes to it, before anything runs, so every first election is
// seen. timing is the raft timing the script's ensembles use (zero:
// cluster.EmbeddedTiming), for what slow motion says on screen.
func NewScripted(timing cluster.Timing) *Scripted {
	if timing.Heartbeat == 0 {
		timing = cluster.EmbeddedTiming
	}
	bus := event.NewBus(4096)
	return &Scripted{bus: bus, sub: bus.Subscribe(16384), timing: timing}
}

// Bus is the bus to give the script (script.Config.Events).
func (s *Scripted) Bus() *event.Bus { return s.bus }

// SetWorld connects the source to the script's world, once its runner
// exists.
func (s *Scripted) SetWorld(w World) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world = w
	s.idle = NewNet(faultnet.NewLinks(s.bus, 1), w.SetSpeed, s.timing.Election, s.timing.LeaderLease)
}

// current follows the script to the ensemble it built last: a new one
// gets a Net of its own, at the speed asked for before. It returns nil
// while there is none (before the first, or while one replaces another).
func (s *Scripted) current() *local {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.world == nil {
		return nil
	}
	ens := s.world.Ensemble()
	if ens == nil {
		return nil
	}
	if s.cur != nil && s.cur.ens == ens {
		return s.cur
	}
	speed, step := s.idle.Speed(), s.idle.Step()
	if s.cur != nil {
		speed, step = s.cur.net.Speed(), s.cur.net.Step()
		s.cur.net.Close()
	}
	l := newLocal(ens, s.world.SetSpeed, s.timing)
	l.net.speed = speed // the script's Env already applied it to the ensemble
	if step {
		l.net.carryStep() // the Env's speed includes step mode's stretch
	}
	s.cur = &l
	s.gen++
	return s.cur
}

// Generation counts the ensembles the source has shown: the console
// starts its tree and command line over when it changes.
func (s *Scripted) Generation() int {
	s.current()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

// Mode implements Source.
func (s *Scripted) Mode() string { return "scripted" }

// ConnString implements Source: "" while there is no ensemble.
func (s *Scripted) ConnString() string {
	if l := s.current(); l != nil {
		return l.ens.ConnString()
	}
	return ""
}

// Events implements Source.
func (s *Scripted) Events() <-chan event.Event { return s.sub.C() }

// Dropped implements Source.
func (s *Scripted) Dropped() uint64 { return s.sub.Dropped() }

// Snapshot implements Source.
func (s *Scripted) Snapshot(ctx context.Context) Snapshot {
	var workers []worker.Info
	if p := s.Workers(); p != nil {
		workers = p.List()
	}
	if l := s.current(); l != nil {
		return l.snapshot("scripted", workers)
	}
	return Snapshot{Taken: time.Now(), Mode: "scripted", Speed: s.LocalNet().Speed(), Notes: []string{ErrNoEnsemble.Error()}}
}

// Children implements Source.
func (s *Scripted) Children(ctx context.Context, member uint64, path string) ([]Child, error) {
	if l := s.current(); l != nil {
		return l.Children(ctx, member, path)
	}
	return nil, ErrNoEnsemble
}

// Detail implements Source.
func (s *Scripted) Detail(ctx context.Context, member uint64, path string) (Detail, error) {
	if l := s.current(); l != nil {
		return l.Detail(ctx, member, path)
	}
	return Detail{}, ErrNoEnsemble
}

// Find implements Source.
func (s *Scripted) Find(ctx context.Context, member uint64, substr string, limit int) ([]string, error) {
	if l := s.current(); l != nil {
		return l.Find(ctx, member, substr, limit)
	}
	return nil, ErrNoEnsemble
}

// Workers implements Source: the script's pool, nil until it or the
// learner (EnsureWorkers) starts one.
func (s *Scripted) Workers() *worker.Pool {
	s.mu.Lock()
	w := s.world
	s.mu.Unlock()
	if w == nil {
		return nil
	}
	return w.Pool()
}

// EnsureWorkers returns the script's pool, making it if need be, for a
// learner who starts workers before the script does.
func (s *Scripted) EnsureWorkers() (*worker.Pool, error) {
	if s.current() == nil {
		return nil, ErrNoEnsemble
	}
	s.mu.Lock()
	w := s.world
	s.mu.Unlock()
	return w.EnsurePool()
}

// Control implements Source.
func (s *Scripted) Control() Control { return s }

// ReadOnly implements Source.
func (s *Scripted) ReadOnly() bool { return false }

// Crash implements Control.
func (s *Scripted) Crash(id uint64) error {
	if l := s.current(); l != nil {
		return l.Crash(id)
	}
	return ErrNoEnsemble
}

// Restart implements Control.
func (s *Scripted) Restart(id uint64) error {
	if l := s.current(); l != nil {
		return l.Restart(id)
	}
	return ErrNoEnsemble
}

// Add implements Control.
func (s *Scripted) Add(ctx context.Context, observer bool) (uint64, error) {
	if l := s.current(); l != nil {
		return l.Add(ctx, observer)
	}
	return 0, ErrNoEnsemble
}

// Remove implements Control.
func (s *Scripted) Remove(ctx context.Context, id uint64) error {
	if l := s.current(); l != nil {
		return l.Remove(ctx, id)
	}
	return ErrNoEnsemble
}

// TransferLeadership implements Control.
func (s *Scripted) TransferLeadership(ctx context.Context, to uint64) error {
	if l := s.current(); l != nil {
		return l.TransferLeadership(ctx, to)
	}
	return ErrNoEnsemble
}

// Net implements Control: see LocalNet.
func (s *Scripted) Net() Network { return s.LocalNet() }

// LocalNet is the current ensemble's network, or before the first one a
// Net over no members whose speed control still reaches the script (and so
// every ensemble it builds).
func (s *Scripted) LocalNet() *Net {
	if l := s.current(); l != nil {
		return l.net
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idle == nil {
		s.idle = NewNet(faultnet.NewLinks(s.bus, 1), func(float64) error { return ErrNoEnsemble }, 0, 0)
	}
	return s.idle
}

// Close implements Source: it stops watching. The script's runner owns
// the ensembles and the workers, and closes them.
func (s *Scripted) Close() error {
	s.mu.Lock()
	if s.cur != nil {
		s.cur.net.Close()
		s.cur.net.Links().HealAll()
	}
	s.mu.Unlock()
	s.sub.Close()
	return nil
}
